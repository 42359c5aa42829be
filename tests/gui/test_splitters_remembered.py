"""The Validator, Launch and Monitor splitters come back where the user left them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from ftstudio.gui.launcher.tab import LauncherTab
from ftstudio.gui.monitor.tab import MonitorTab
from ftstudio.gui.validator import ValidatorTab
from tests.gui.api_fixtures import manager_fixture, sandbox_fixture  # noqa: F401

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QSplitter, QWidget

    from ftstudio.gui.connection import ConnectionManager


def _splitters(widget: QWidget) -> list[QSplitter]:
    if isinstance(widget, MonitorTab):
        return list(widget.splitters)
    return [widget.splitter]  # type: ignore[attr-defined]


def _open(qtbot: Any, make: Callable[[], QWidget]) -> QWidget:
    widget = make()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _close(widget: QWidget) -> None:
    shutdown = getattr(widget, "shutdown", None)
    if shutdown is not None:
        shutdown()
    widget.close()


@pytest.mark.parametrize("tab", ["validator", "launch", "monitor"])
def test_a_moved_splitter_is_where_it_was_after_a_restart(
    qtbot: Any, manager: ConnectionManager, tab: str
) -> None:
    make: Callable[[], QWidget] = {
        "validator": ValidatorTab,
        "launch": lambda: LauncherTab(manager),
        "monitor": lambda: MonitorTab(manager),
    }[tab]
    first = _open(qtbot, make)
    if isinstance(first, ValidatorTab):
        first.set_document(None)  # no file: the findings page is not shown
        first._stack.setCurrentIndex(1)
    moved = []
    for splitter in _splitters(first):
        before = splitter.sizes()
        splitter.moveSplitter(sum(before) // 5, 1)
        assert splitter.sizes() != before
        moved.append(splitter.sizes())
    _close(first)
    again = _open(qtbot, make)
    if isinstance(again, ValidatorTab):
        again._stack.setCurrentIndex(1)
    assert [s.sizes() for s in _splitters(again)] == moved
    _close(again)
