"""GUI test fixtures: leak checks after every test, sample datasets, documents."""

from __future__ import annotations

import json
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from ftstudio.core.progress import run_to_end
from ftstudio.workers import live_tasks

SAMPLE = [
    {
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "What is the capital of France?"},
            {"role": "assistant", "content": "Paris."},
        ]
    },
    {
        "messages": [
            {"role": "user", "content": "Say hello"},
            {"role": "assistant", "content": "Hello!", "weight": 0},
            {"role": "user", "content": "Again"},
            {"role": "assistant", "content": "Hello again!"},
        ]
    },
    {"messages": [{"role": "user", "content": "No reply here"}]},
]


def sample_bytes(rows: list[Any] | None = None) -> bytes:
    lines = [json.dumps(r, ensure_ascii=False) for r in (rows or SAMPLE)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "train.jsonl"
    path.write_bytes(sample_bytes())
    return path


STUCK_DIALOG_SECONDS = 10.0


class _DialogWatchdog:
    """Closes a modal dialog nobody answers, so a test fails instead of hanging."""

    def __init__(self) -> None:
        self.stuck: list[str] = []
        self._since: dict[int, float] = {}

    def check(self) -> None:
        from PySide6.QtWidgets import QDialog

        modal = QApplication.activeModalWidget()
        if modal is None:
            self._since.clear()
            return
        first = self._since.setdefault(id(modal), time.monotonic())
        if time.monotonic() - first > STUCK_DIALOG_SECONDS:
            self.stuck.append(f"{type(modal).__name__} {modal.windowTitle()!r}")
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()


@pytest.fixture(autouse=True)
def _no_stuck_dialogs(qapp: Any) -> Iterator[None]:
    """Fail, rather than hang, a test that opens a modal dialog and never answers it.

    Tests that answer a dialog (a QTimer clicking a button) do so within
    milliseconds; the watchdog only acts after ten seconds.
    """
    from PySide6.QtCore import QTimer

    watchdog = _DialogWatchdog()
    timer = QTimer()
    timer.timeout.connect(watchdog.check)
    timer.start(250)
    yield
    timer.stop()
    if watchdog.stuck:
        pytest.fail(
            f"a modal dialog waited for an answer nobody gave: {watchdog.stuck}"
        )


@pytest.fixture(autouse=True)
def _no_leaks() -> Iterator[None]:
    """Fail a test that leaves a worker thread running or a top-level window open.

    Runs after the test's own fixtures are torn down (autouse: set up first), so
    widgets registered with ``qtbot.addWidget`` are already closed.
    """
    app = QApplication.instance()
    before = set(QApplication.topLevelWidgets()) if app else set()
    yield
    if QApplication.instance() is None:
        return
    # the teardown chain is asynchronous (thread.finished is queued): give it a moment
    deadline = time.monotonic() + 3
    while live_tasks() and time.monotonic() < deadline:
        QApplication.processEvents()
        # deleteLater is not run by processEvents outside an event loop
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        time.sleep(0.005)
    stuck = [t.label for t in live_tasks()]
    QApplication.sendPostedEvents(None, 0)  # deliver deleteLater
    leaked = [
        w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()
    ]
    for w in leaked:
        w.close()
    if stuck:
        for task in live_tasks():
            task.discard()
            task.wait(3000)
        QApplication.processEvents()
        pytest.fail(f"worker threads still running after the test: {stuck}")
    if leaked:
        pytest.fail(
            f"top-level widgets left open: {[type(w).__name__ for w in leaked]}"
        )


@pytest.fixture
def make_doc(qtbot: Any) -> Iterator[Any]:
    """Build documents over sample bytes; validated once; closed after the test."""
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.gui.document import Document

    docs: list[Document] = []

    def make(rows: list[Any] | None = None, path: Path | None = None) -> Document:
        if path is not None:
            store = DatasetStore.open(path)
        else:
            store = DatasetStore.from_bytes(sample_bytes(rows))
        doc = Document(store, title="sample")
        docs.append(doc)
        with qtbot.waitSignal(doc.report_changed, timeout=10_000):
            doc.revalidate()
        return doc

    yield make
    for doc in docs:
        doc.close()


def drain(gen: Generator[Any, None, Any]) -> Any:
    return run_to_end(gen)


def open_window(
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int] | None = None,
) -> Any:
    """Return a shown studio window with its own settings file.

    "Save changes?" questions are answered Discard, so closing never blocks.
    """
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from ftstudio.gui.mainwindow import MainWindow
    from ftstudio.gui.settings import Settings

    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    settings = Settings(QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings)
    qtbot.addWidget(win)
    if size is not None:
        win.resize(*size)
    win.show()
    return win
