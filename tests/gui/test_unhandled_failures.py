"""No task failure is lost: one nobody listens to reaches the window's error area."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings

from ftstudio.core.errors import FtError
from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.settings import Settings
from ftstudio.workers import TaskRunner, plain

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot


def _refuse() -> None:
    raise FtError("io", "The disk is full: free some space and try again.")


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    settings = Settings(QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_a_failure_nobody_handles_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    runner = TaskRunner(window)
    task = runner.start(plain(_refuse), "Saving")
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert window.banner.isVisible()
    assert "The disk is full" in window.banner.message.text()


def test_a_handled_failure_is_left_to_its_handler(
    qtbot: QtBot, window: MainWindow
) -> None:
    runner = TaskRunner(window)
    seen: list[FtError] = []
    task = runner.start(plain(_refuse), "Saving")
    task.failed.connect(seen.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert [e.kind for e in seen] == ["io"]
    assert not window.banner.isVisible()


def test_plain_runs_a_function_as_a_task(qtbot: QtBot, window: MainWindow) -> None:
    runner = TaskRunner(window)
    task = runner.start(plain(sum, [1, 2, 3], start=4), "Adding")
    with qtbot.waitSignal(task.succeeded, timeout=5000) as done:
        task.start()
    assert done.args == [10]
