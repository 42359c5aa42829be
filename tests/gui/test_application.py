"""The studio's application: cyclic garbage is freed on the GUI thread, never a worker's."""

from __future__ import annotations

import gc
import threading
from typing import Any, ClassVar

from ftstudio.gui.application import StudioApplication, studio_application


class _Cycle:
    """A reference cycle that records which thread finally freed it."""

    freed_on: ClassVar[list[int]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.freed_on.append(threading.get_ident())


def _allocate_a_lot(keep: list[Any]) -> None:
    # far past every generation's threshold: an enabled collector would run here
    keep.extend([i] for i in range(300_000))


def test_the_tests_run_in_the_studio_application(qapp: Any) -> None:
    assert isinstance(qapp, StudioApplication)
    assert studio_application([]) is qapp  # one application, never a second
    assert not gc.isenabled()


def test_a_cycle_dropped_while_a_worker_allocates_is_freed_on_the_gui_thread(
    qtbot: Any,
) -> None:
    _Cycle.freed_on.clear()
    gc.collect()  # start from empty generations
    _Cycle()  # unreachable at once, but only a collection can free it
    kept: list[Any] = []  # alive, so the young generation stays over its threshold
    worker = threading.Thread(target=_allocate_a_lot, args=(kept,))
    worker.start()
    worker.join()
    assert _Cycle.freed_on == []  # the worker's allocations collected nothing
    # the GUI thread's timer collects once the young generation is over its threshold
    qtbot.waitUntil(lambda: bool(_Cycle.freed_on), timeout=5_000)
    assert _Cycle.freed_on == [threading.main_thread().ident]
    kept.clear()
