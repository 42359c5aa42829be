"""Another program changes the open file; recovery copies come back on open."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ftstudio.core.dataset.compare import compare_with_file
from ftstudio.core.dataset.edits import set_value
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import FtError
from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.recovery import pending_copies, recovery_dir, write_copy
from ftstudio.gui.settings import Settings
from ftstudio.gui.window import file_changed
from ftstudio.gui.window.file_changed import Choice, build_box
from tests.gui.conftest import SAMPLE, sample_bytes
from tests.gui.test_mainwindow import open_and_wait

THEIRS = sample_bytes([{"messages": [{"role": "user", "content": "theirs"}]}])


def edit_row(doc, row: int, text: str) -> None:
    value = json.loads(doc.store.raw(row))
    value["messages"][0]["content"] = text
    doc.push(set_value(doc.store, row, value))


@pytest.fixture
def answers(monkeypatch):
    """Questions the window asks, answered in order (recovery questions: buttons)."""
    asked: list[str] = []
    replies: list[QMessageBox.StandardButton] = []

    def question(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return replies.pop(0) if replies else QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked, replies


@pytest.fixture
def window(qtbot, tmp_path, answers):
    win = MainWindow(
        Settings(QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    )
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_the_document_says_once_that_its_file_changed(qtbot, make_doc, sample_file):
    doc = make_doc(path=sample_file)
    assert not doc.check_file()
    sample_file.write_bytes(THEIRS)
    with qtbot.waitSignal(doc.file_changed, timeout=5000):
        pass  # noticed by the document's own timer
    with qtbot.assertNotEmitted(doc.file_changed):
        assert doc.check_file()  # already said
    edit_row(doc, 0, "mine")
    task = doc.save()
    with qtbot.waitSignals([task.failed, doc.file_changed], timeout=5000):
        pass
    assert sample_file.read_bytes() == THEIRS
    assert doc.modified


def test_reload_keeps_unsaved_edits_as_a_private_recovery_copy(
    qtbot, window, sample_file, monkeypatch
):
    doc = open_and_wait(qtbot, window, sample_file)
    edit_row(doc, 1, "my edit")
    sample_file.write_bytes(THEIRS)
    monkeypatch.setattr(file_changed, "ask", lambda *_a: Choice.RELOAD)
    with qtbot.waitSignal(window.document_changed, timeout=10_000):
        doc.check_file()
    assert window.document.store.to_bytes() == THEIRS
    assert not window.document.modified
    (copy,) = pending_copies()
    assert b"my edit" in copy.data.read_bytes()
    assert copy.original == sample_file
    if os.name != "nt":
        assert stat.S_IMODE(copy.data.stat().st_mode) == 0o600
        assert stat.S_IMODE(copy.meta.stat().st_mode) == 0o600
        assert stat.S_IMODE(recovery_dir().stat().st_mode) == 0o700


def test_keep_mine_saves_elsewhere_and_leaves_their_file(
    qtbot, window, sample_file, monkeypatch, tmp_path
):
    doc = open_and_wait(qtbot, window, sample_file)
    edit_row(doc, 0, "mine")
    sample_file.write_bytes(THEIRS)
    mine = tmp_path / "mine.jsonl"
    monkeypatch.setattr(file_changed, "ask", lambda *_a: Choice.SAVE_ELSEWHERE)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(mine), "")
    )
    with qtbot.waitSignal(doc.path_changed, timeout=10_000):
        doc.check_file()
    assert b'"mine"' in mine.read_bytes()
    assert sample_file.read_bytes() == THEIRS
    assert not doc.modified
    assert not doc.check_file()  # the new file is the one watched now


def test_closing_with_unsaved_edits_never_overwrites_their_file(
    qtbot, window, sample_file, monkeypatch, answers
):
    doc = open_and_wait(qtbot, window, sample_file)
    edit_row(doc, 0, "mine")
    sample_file.write_bytes(THEIRS)
    monkeypatch.setattr(file_changed, "ask", lambda *_a: Choice.LATER)
    answers[1].append(QMessageBox.StandardButton.Save)
    assert not window.saving.maybe_save()
    assert sample_file.read_bytes() == THEIRS
    assert "Save As" in window.banner.message.text()
    assert doc.modified


def test_the_question_names_the_file_and_offers_the_choices(make_doc, sample_file):
    doc = make_doc(path=sample_file)
    edit_row(doc, 0, "mine")
    sample_file.write_bytes(THEIRS)
    box, buttons = build_box(None, doc)
    assert box.text() == "train.jsonl was changed by another program."
    assert "recovery copy" in box.informativeText()
    labels = {b.text(): c for b, c in buttons.items()}
    assert labels == {
        "Reload": Choice.RELOAD,
        "Keep mine, save elsewhere…": Choice.SAVE_ELSEWHERE,
        "Compare…": None,
        "Decide later": Choice.LATER,
    }
    box.deleteLater()
    sample_file.unlink()
    box, buttons = build_box(None, doc)
    assert box.text() == "train.jsonl was removed or renamed by another program."
    assert Choice.RELOAD not in buttons.values()
    box.deleteLater()


def test_compare_lists_the_lines_on_each_side(sample_file):
    store = DatasetStore.open(sample_file)
    lines = sample_file.read_bytes().splitlines()
    sample_file.write_bytes(b"\n".join([lines[2], lines[0], b'{"new": 1}']) + b"\n")
    text = compare_with_file(store, sample_file)
    assert "Your version: 3 lines. The file on disk: 3 lines." in text
    assert "1 lines are only in your version and 1 only in the file on disk" in text
    assert "Only in your version:\n  line 2: " + lines[1].decode()[:40] in text
    assert 'Only in the file on disk:\n  line 3: {"new": 1}' in text
    sample_file.unlink()
    assert "Only your version is left" in compare_with_file(store, sample_file)


def _copy_of(path: Path, rows: list, saved_at: float | None = None) -> None:
    write_copy("abc", [sample_bytes(rows)], path, path.name, len(rows))
    if saved_at is not None:
        meta = recovery_dir() / "abc.json"
        info = json.loads(meta.read_text())
        info["saved_at"] = saved_at
        meta.write_text(json.dumps(info))


def test_opening_a_file_offers_its_recovery_copy(qtbot, window, sample_file, answers):
    asked, replies = answers
    rows = [*SAMPLE, {"messages": [{"role": "user", "content": "unsaved"}]}]
    _copy_of(sample_file, rows)
    replies.append(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.document_changed, timeout=10_000):
        window.open_path(sample_file)
    qtbot.waitUntil(
        lambda: window.document is not None and len(window.document.store) == 4,
        timeout=10_000,
    )
    assert "train.jsonl has changes that were not saved" in asked[0]
    assert "(4 lines)" in asked[0]
    assert window.document.modified
    assert window.document.path == sample_file
    assert pending_copies() == []


def test_a_copy_older_than_the_file_is_never_offered(
    qtbot, window, sample_file, answers
):
    _copy_of(sample_file, SAMPLE[:1], saved_at=time.time() - 3600)
    open_and_wait(qtbot, window, sample_file)
    assert answers[0] == []
    assert len(window.document.store) == 3


def test_ftstudio_file_offers_the_copy(qtbot, monkeypatch, sample_file, answers):
    import sys

    from PySide6.QtWidgets import QApplication

    from ftstudio.gui import app, mainwindow

    asked, replies = answers
    _copy_of(sample_file, [*SAMPLE, *SAMPLE])
    replies.append(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    windows: list[MainWindow] = []

    class Recorded(MainWindow):
        def __init__(self) -> None:
            super().__init__()
            windows.append(self)

    rows: list[int] = []

    def fake_exec() -> int:
        (win,) = windows
        qtbot.waitUntil(
            lambda: win.document is not None and len(win.document.store) == 6,
            timeout=10_000,
        )
        rows.append(len(win.document.store))
        win.close()  # the save question gets the default answer: Discard
        return 0

    monkeypatch.setattr(mainwindow, "MainWindow", Recorded)
    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    assert app.run_app([str(sample_file)]) == 0
    assert rows == [6]
    assert "train.jsonl has changes that were not saved" in asked[0]


def test_a_failed_save_of_a_restored_copy_is_plain(qtbot, make_doc, sample_file):
    doc = make_doc(path=sample_file)
    sample_file.unlink()
    edit_row(doc, 0, "x")
    with pytest.raises(FtError, match="removed or renamed"):
        doc.save_now()


def test_a_change_while_the_question_is_open_is_not_asked_twice(
    qtbot, window, sample_file, monkeypatch
):
    doc = open_and_wait(qtbot, window, sample_file)
    asked: list[str] = []

    def ask(*_a):
        asked.append("asked")
        sample_file.write_bytes(THEIRS + THEIRS)  # the program writes again
        doc.check_file()
        return Choice.LATER

    monkeypatch.setattr(file_changed, "ask", ask)
    sample_file.write_bytes(THEIRS)
    doc.check_file()
    assert asked == ["asked"]
    assert window.document is doc  # "decide later" keeps everything as it is


def test_a_file_shortened_in_place_while_open_keeps_the_window_whole(
    qtbot, window, sample_file, monkeypatch
):
    doc = open_and_wait(qtbot, window, sample_file)
    monkeypatch.setattr(file_changed, "ask", lambda *_a: Choice.LATER)
    with sample_file.open("r+b") as f:  # `python make_data.py > train.jsonl`
        f.truncate(0)
    model = window.dataset_tab.model
    last = model.index(model.rowCount() - 1, 3)
    assert model.data(last) == "No reply here"  # read from memory, not the file
    edit_row(doc, 2, "still editable")
    with qtbot.waitSignal(doc.file_changed, timeout=5000):
        pass
    assert window.document is doc
