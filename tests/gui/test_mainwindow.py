from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel, QMessageBox

from ftstudio.core.dataset.edits import set_value
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.recovery import pending_copies, recovery_dir
from ftstudio.gui.settings import Settings


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    settings = Settings(
        QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    )
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def open_and_wait(qtbot, win, path):
    with qtbot.waitSignal(win.document_changed, timeout=10_000):
        win.open_path(path)
    with qtbot.waitSignal(win.document.report_changed, timeout=10_000):
        pass
    return win.document


def test_empty_state_says_what_to_do(window):
    texts = [label.text() for label in window.dataset_tab.findChildren(QLabel)]
    assert any("Open a training file or import a spreadsheet" in t for t in texts)
    assert not window.menu_actions.save.isEnabled()
    assert window.windowTitle() == "ftstudio"


def test_open_edit_title_and_recent_files(qtbot, window, sample_file):
    doc = open_and_wait(qtbot, window, sample_file)
    assert window.dataset_tab.model.rowCount() == 3
    assert window.windowTitle() == "train.jsonl[*] — ftstudio"
    assert not window.isWindowModified()
    value = json.loads(doc.store.raw(0))
    value["messages"][2]["content"] = "Lyon?"
    doc.push(set_value(doc.store, 0, value))
    assert window.isWindowModified()
    assert window.settings.recent_files() == [sample_file.resolve()]
    window.undo_group.undo()
    assert not window.isWindowModified()


def test_opening_a_missing_file_shows_a_plain_error(qtbot, window, tmp_path):
    window.open_path(tmp_path / "nope.jsonl")
    qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    assert "There is no file at" in window.banner.message.text()
    assert window.document is None


def test_cancel_an_open_in_progress(qtbot, window, tmp_path, monkeypatch):
    from ftstudio.core.progress import Progress

    def slow_open(path, cancel):
        while True:
            cancel.wait(0.01)
            yield Progress(1, 100, "Indexing lines")

    monkeypatch.setattr(DatasetStore, "open_iter", staticmethod(slow_open))
    window.open_path(tmp_path / "big.jsonl")
    qtbot.waitUntil(window.progress.isVisible, timeout=5000)
    assert window.progress.cancel.isVisible()
    qtbot.mouseClick(window.progress.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=5000)
    assert window.document is None
    assert not window.banner.isVisible()  # cancelling is not an error


def test_save_failure_shows_reason_and_keeps_edits(
    qtbot, window, sample_file, tmp_path
):
    doc = open_and_wait(qtbot, window, sample_file)
    value = json.loads(doc.store.raw(0))
    value["messages"][2]["content"] = "edited"
    doc.push(set_value(doc.store, 0, value))
    window.saving._start_save(doc, tmp_path / "missing" / "x.jsonl")
    qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    assert "was not saved" in window.banner.message.text()
    assert window.isWindowModified()
    assert doc.store.parsed(0).value["messages"][2]["content"] == "edited"


def test_crash_recovery_restores_unsaved_edits(qtbot, window, sample_file, tmp_path):
    doc = open_and_wait(qtbot, window, sample_file)
    value = json.loads(doc.store.raw(1))
    value["messages"][0]["content"] = "recover me"
    doc.push(set_value(doc.store, 1, value))
    window._recovery.autosave()
    qtbot.waitUntil(lambda: len(pending_copies()) == 1, timeout=5000)
    copy = pending_copies()[0]
    assert copy.data.parent == recovery_dir()
    # never beside the user's file
    assert not [
        p for p in sample_file.parent.iterdir() if p.suffix in (".tmp", ".json")
    ]
    # a crash: the first window never closes cleanly; a new one starts
    second = MainWindow(
        Settings(QSettings(str(tmp_path / "w2.ini"), QSettings.Format.IniFormat))
    )
    qtbot.addWidget(second)
    with qtbot.waitSignal(second.document_changed, timeout=5000):
        second.restore_copy(copy)
    restored = second.document
    assert restored.store.parsed(1).value["messages"][0]["content"] == "recover me"
    assert restored.path == sample_file
    assert restored.modified
    assert copy.data not in [c.data for c in pending_copies()]
    second.close()


def test_closing_discards_the_recovery_copy(qtbot, window, sample_file):
    doc = open_and_wait(qtbot, window, sample_file)
    value = json.loads(doc.store.raw(1))
    value["messages"][0]["content"] = "x"
    doc.push(set_value(doc.store, 1, value))
    window._recovery.autosave()
    qtbot.waitUntil(lambda: len(pending_copies()) == 1, timeout=5000)
    window.close()  # the user answers Discard
    assert pending_copies() == []


def test_findings_jump_selects_the_example(qtbot, window, sample_file):
    open_and_wait(qtbot, window, sample_file)
    window.tabs.setCurrentIndex(1)  # the Validator tab is built when first shown
    validator = window.lazy_tabs[0].widget
    assert validator is not None
    validator.jump_requested.emit(2)
    assert window.tabs.currentWidget() is window.dataset_tab
    assert window.dataset_tab.table.currentIndex().row() == 2
    assert window.dataset_tab.editor.row == 2


def test_other_tabs_are_built_after_start(qtbot, window):
    assert all(tab.widget is None for tab in window.lazy_tabs)  # not at first paint
    qtbot.waitUntil(lambda: all(tab.widget for tab in window.lazy_tabs), timeout=3000)


def test_dropping_a_file_opens_it(qtbot, window, sample_file):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_file))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.document_changed, timeout=5000):
        window.dropEvent(event)
    assert window.document.path == sample_file


def test_geometry_and_last_folder_persist(qtbot, tmp_path, sample_file):
    ini = str(tmp_path / "persist.ini")
    first = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)))
    qtbot.addWidget(first)
    first.resize(700, 500)
    first.show()
    open_and_wait(qtbot, first, sample_file)
    size = (first.width(), first.height())
    assert size != (1200, 760)  # not the default size
    first.close()
    second = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)))
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == size
    assert second.settings.last_folder() == sample_file.parent.resolve()
    assert second.settings.recent_files()[0] == sample_file.resolve()


def test_unknown_setting_names_the_known_ones(tmp_path):
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    with pytest.raises(KeyError, match="files/recent"):
        settings.value("files/recnet")


def test_crash_hook_writes_a_redacted_log(qtbot, monkeypatch):
    from ftstudio.gui import app

    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    try:
        raise RuntimeError("boom with sk-test-not-a-real-key in it")
    except RuntimeError as exc:
        app.excepthook(type(exc), exc, exc.__traceback__)
    logs = sorted((Path(os.environ["FTSTUDIO_DATA_DIR"]) / "crashes").glob("*.log"))
    text = logs[-1].read_text()
    assert "boom" in text
    assert "not-a-real-key" not in text


def test_run_app_opens_the_file_argument(qtbot, monkeypatch, sample_file):
    import sys

    from PySide6.QtWidgets import QApplication

    from ftstudio.gui import app, mainwindow

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its own
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    windows: list[MainWindow] = []

    class Recorded(MainWindow):
        def __init__(self) -> None:
            super().__init__()
            windows.append(self)

    opened: list[Path] = []

    def fake_exec() -> int:
        (window,) = windows
        qtbot.waitUntil(lambda: window.document is not None, timeout=10_000)
        opened.append(window.document.path)
        window.close()
        return 0

    monkeypatch.setattr(mainwindow, "MainWindow", Recorded)
    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    assert app.run_app([str(sample_file)]) == 0
    assert opened == [sample_file]
    assert sys.excepthook is app.excepthook


def test_a_copy_of_another_open_window_is_not_offered(tmp_path):
    import json as _json
    import subprocess
    import sys

    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (folder / "other.jsonl").write_bytes(b"{}\n")
        (folder / "other.json").write_text(
            _json.dumps(
                {"original": None, "title": "x", "saved_at": 1, "pid": other.pid}
            )
        )
        assert all(c.data.stem != "other" for c in pending_copies())
    finally:
        other.kill()
        other.wait()
    assert any(c.data.stem == "other" for c in pending_copies())  # now it crashed
    for suffix in (".jsonl", ".json"):
        (folder / f"other{suffix}").unlink()
