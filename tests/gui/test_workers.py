from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread

from ftstudio.core.cancel import CancelToken
from ftstudio.core.errors import FtError
from ftstudio.core.progress import Progress
from ftstudio.workers import TaskRunner, live_tasks


def counting(n: int) -> Any:
    def run(cancel: CancelToken) -> Generator[Progress, None, int]:
        for i in range(n):
            yield Progress(i + 1, n, "Counting")
        return n

    return run


def test_success_signals_in_order(qtbot):
    runner = TaskRunner()
    task = runner.start(counting(5), "Counting")
    seen: list[Progress] = []
    results: list[int] = []
    task.progressed.connect(seen.append)
    task.succeeded.connect(results.append)
    with qtbot.waitSignals(
        [task.started, task.succeeded, task.finished], order="strict", timeout=3000
    ):
        task.start()
    assert results == [5]
    assert seen[-1].done == 5


def test_result_is_computed_off_the_gui_thread(qtbot):
    threads: list[QThread] = []

    def run(cancel: CancelToken) -> Generator[None, None, bool]:
        threads.append(QThread.currentThread())
        yield None
        return True

    task = TaskRunner().start(run, "Checking")
    with qtbot.waitSignal(task.finished, timeout=3000):
        task.start()
    assert threads
    assert threads[0] is not QThread.currentThread()


def test_cancel_stops_at_the_next_yield(qtbot):
    def endless(cancel: CancelToken) -> Generator[Progress, None, None]:
        while True:
            cancel.wait(0.01)
            yield Progress(0, None, "Waiting")

    runner = TaskRunner()
    task = runner.start(endless, "Waiting")
    succeeded: list[object] = []
    task.succeeded.connect(succeeded.append)
    with qtbot.waitSignal(task.started, timeout=3000):
        task.start()
    with qtbot.waitSignals(
        [task.cancelled, task.finished], order="strict", timeout=3000
    ):
        runner.cancel()
    assert not succeeded


def test_failure_carries_a_plain_error(qtbot):
    def broken(cancel: CancelToken) -> Generator[None, None, None]:
        yield None
        raise FtError("io", "The file is gone.")

    def buggy(cancel: CancelToken) -> Generator[None, None, None]:
        yield None
        raise ZeroDivisionError

    for fn, message in ((broken, "The file is gone."), (buggy, "while reading")):
        task = TaskRunner().start(fn, "Reading")
        errors: list[FtError] = []
        task.failed.connect(errors.append)
        with qtbot.waitSignals([task.failed, task.finished], order="strict"):
            task.start()
        error = errors[0]
        assert isinstance(error, FtError)
        assert message in error.message


def test_new_task_discards_the_previous_result(qtbot):
    def slow(cancel: CancelToken) -> Generator[None, None, str]:
        cancel.wait(0.2)
        yield None
        return "old"

    def fast(cancel: CancelToken) -> Generator[None, None, str]:
        yield None
        return "new"

    runner = TaskRunner()
    results: list[str] = []
    old = runner.start(slow, "Old")
    old.succeeded.connect(results.append)
    old.start()
    new = runner.start(fast, "New")
    new.succeeded.connect(results.append)
    assert new.generation == old.generation + 1
    with qtbot.waitSignal(new.finished, timeout=3000):
        new.start()
    qtbot.waitUntil(lambda: not live_tasks(), timeout=3000)
    assert results == ["new"]


def test_partial_results_arrive_batched_and_complete(qtbot):
    def many(cancel: CancelToken) -> Generator[int, None, None]:
        yield from range(10_000)

    task = TaskRunner().start(many, "Streaming")
    batches: list[list[int]] = []
    task.partial.connect(batches.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert [x for b in batches for x in b] == list(range(10_000))
    assert len(batches) < 100  # batched, not one signal per item


def test_shutdown_waits_for_the_thread(qtbot):
    def endless(cancel: CancelToken) -> Generator[None, None, None]:
        while not cancel.wait(0.01):
            yield None

    runner = TaskRunner()
    task = runner.start(endless, "Waiting")
    with qtbot.waitSignal(task.started):
        task.start()
    assert runner.shutdown(3000)


QUIT_WITH_A_STUCK_TASK = """
import sys, threading
from ftstudio.gui.application import leave, studio_application
from ftstudio.workers import TaskRunner
app = studio_application([])
waiting, release = threading.Event(), threading.Event()
def blocked(cancel):
    waiting.set()
    release.wait(60)  # a request nobody answers: no checkpoint to stop at
    yield None
runner = TaskRunner()
runner.start(blocked, "Asking a silent service").start()
assert waiting.wait(10)
sys.exit(leave(7, seconds=0.3))
"""


def test_quitting_while_a_task_is_stuck_ends_cleanly_with_the_exit_code(
    tmp_path: Path,
) -> None:
    # Without the wait-then-leave step Qt aborts the process (exit 134) when
    # Python deletes the still-running QThread during interpreter teardown.
    done = subprocess.run(
        [sys.executable, "-c", QUIT_WITH_A_STUCK_TASK],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 7, done.stderr
    assert "Destroyed while thread" not in done.stderr
    assert "still waiting: Asking a silent service" in done.stderr


def test_discard_frees_the_runner_at_once_and_drops_the_signals(qtbot: Any) -> None:
    waiting, release = threading.Event(), threading.Event()

    def blocked(cancel: CancelToken) -> Generator[None, None, str]:
        waiting.set()
        release.wait(10)
        yield None
        return "late"

    runner = TaskRunner()
    task = runner.start(blocked, "Blocked")
    results: list[str] = []
    task.succeeded.connect(results.append)
    task.start()
    assert waiting.wait(5)
    runner.discard()
    assert runner.current is None
    release.set()
    qtbot.waitUntil(lambda: not live_tasks(), timeout=3000)
    assert results == []


def test_notices_arrive_each_on_their_own_signal_in_order_with_the_results(qtbot):
    from ftstudio.core.api.retry import RetryNotice

    def busy(attempt: int) -> RetryNotice:
        error = FtError("rate_limit", "The service is busy.", retryable=True)
        return RetryNotice(attempt, 6, 0.0, error)

    def flaky(cancel: CancelToken) -> Generator[object, None, str]:
        yield from range(500)  # fast: these are batched
        for attempt in range(1, 6):
            yield busy(attempt)  # five notices in a row: none may be lost
        yield from range(500, 1000)
        yield busy(6)
        yield 1000
        return "done"

    task = TaskRunner().start(flaky, "Streaming")
    heard: list[object] = []
    task.partial.connect(lambda batch: heard.append(list(batch)))
    task.noticed.connect(lambda notice: heard.append(notice.text))
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    results = [x for part in heard if isinstance(part, list) for x in part]
    assert results == list(range(1001))  # no notice among the results
    said = [part for part in heard if isinstance(part, str)]
    assert said == [f"{busy(a).text}" for a in range(1, 7)]
    # each notice comes after every result yielded before it, before the rest
    flat = [x for part in heard for x in (part if isinstance(part, list) else [part])]
    assert flat.index(busy(1).text) == 500
    assert flat.index(busy(6).text) == 1000 + 5
