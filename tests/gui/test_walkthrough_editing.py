"""Traps a non-programmer met while editing examples in the Dataset tab."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from ftstudio.gui.dataset.cards import MessageCard
from ftstudio.gui.dataset.fields import JsonField
from ftstudio.gui.mainwindow import MainWindow
from tests.gui.conftest import open_window, sample_bytes

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from ftstudio.gui.document import Document


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    win = open_window(qtbot, tmp_path, monkeypatch, size=(1200, 800))
    yield win
    win.close()


def open_and_wait(qtbot: QtBot, win: MainWindow, path: Path) -> Document:
    with qtbot.waitSignal(win.document_changed, timeout=10_000):
        win.open_path(path)
    doc = win.document
    assert doc is not None
    qtbot.waitUntil(lambda: doc.report is not None, timeout=10_000)
    return doc


def cards(win: MainWindow) -> list[MessageCard]:
    return win.dataset_tab.editor.findChildren(MessageCard)


def test_a_file_dropped_on_a_message_opens_it_and_leaves_the_text(
    qtbot: QtBot, window: MainWindow, sample_file: Path, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, sample_file)
    window.dataset_tab.jump_to_row(0)
    field = cards(window)[1].content
    before = field.toPlainText()
    other = tmp_path / "other.jsonl"
    other.write_bytes(sample_bytes())
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(other))])
    target = field.viewport()  # type: ignore[union-attr]
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()  # the window takes the drop
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.document_changed, timeout=10_000):
        QApplication.sendEvent(target, drop)
    assert field.toPlainText() == before  # no "file:///" typed into the reply
    assert window.document is not None
    assert window.document.path == other
    first = json.loads(window.document.store.raw(0))
    assert "file://" not in json.dumps(first)


def _message_text(doc: Document, row: int, index: int) -> str:
    return str(json.loads(doc.store.raw(row))["messages"][index]["content"])


def _focus(qtbot: QtBot, window: MainWindow, widget: object) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    widget.setFocus()  # type: ignore[attr-defined]
    qtbot.waitUntil(widget.hasFocus, timeout=2000)  # type: ignore[attr-defined]


def test_ctrl_z_in_a_text_box_undoes_the_last_change_anywhere_and_ctrl_y_redoes(
    qtbot: QtBot, window: MainWindow, sample_file: Path
) -> None:
    doc = open_and_wait(qtbot, window, sample_file)
    window.dataset_tab.jump_to_row(0)
    reply = cards(window)[2].content
    _focus(qtbot, window, reply)
    reply.moveCursor(reply.textCursor().MoveOperation.End)  # type: ignore[union-attr]
    qtbot.keyClicks(reply, " Of course.")
    assert _message_text(doc, 0, 2) == "Paris. Of course."
    question = cards(window)[1].content  # another box: its own history is empty
    _focus(qtbot, window, question)
    qtbot.keyClick(question, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _message_text(doc, 0, 2) == "Paris."
    question = cards(window)[1].content
    _focus(qtbot, window, question)
    qtbot.keyClick(question, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert _message_text(doc, 0, 2) == "Paris. Of course."


def test_escape_clears_the_search(
    qtbot: QtBot, window: MainWindow, sample_file: Path
) -> None:
    open_and_wait(qtbot, window, sample_file)
    search = window.dataset_tab.search
    _focus(qtbot, window, search)
    qtbot.keyClicks(search, "France")
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""


def test_add_message_puts_the_cursor_in_the_new_box(
    qtbot: QtBot, window: MainWindow, sample_file: Path
) -> None:
    doc = open_and_wait(qtbot, window, sample_file)
    window.dataset_tab.jump_to_row(2)  # one user message, no reply yet
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    add = next(
        b
        for b in window.dataset_tab.editor.findChildren(QPushButton)
        if b.text() == "Add message"
    )
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    new = cards(window)[-1].content
    qtbot.waitUntil(new.hasFocus, timeout=2000)
    qtbot.keyClicks(QApplication.focusWidget(), "Here is my answer")
    assert _message_text(doc, 2, 1) == "Here is my answer"


HIDDEN_ROWS = [
    {
        "messages": [
            {"role": "user", "content": "Hi", "weight": 1},
            {"role": "assistant", "content": "Hello!"},
        ],
        "meta": {"source": "crm"},
    },
    {
        "messages": [
            {"role": "user", "content": "Bye"},
            {"role": "assistant", "content": "See you."},
        ]
    },
]


def _finding_codes(doc: Document, row: int) -> set[str]:
    return {f.code for f in doc.validator.row_findings(row)}


def _button(window: MainWindow, name: str) -> QPushButton:
    editor = window.dataset_tab.editor
    found = [b for b in editor.findChildren(QPushButton) if b.accessibleName() == name]
    assert found, [b.accessibleName() for b in editor.findChildren(QPushButton)]
    return found[0]


def test_what_the_validator_says_to_remove_can_be_removed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "hidden.jsonl"
    path.write_bytes(sample_bytes(HIDDEN_ROWS))
    doc = open_and_wait(qtbot, window, path)
    assert "invalid_weight" in _finding_codes(doc, 0)
    window.dataset_tab.jump_to_row(0)
    box = window.dataset_tab.editor.findChild(QWidget, "hiddenFields")
    assert box is not None
    assert box.isVisibleTo(window)
    with qtbot.waitSignal(doc.report_changed, timeout=10_000):
        _button(window, 'Remove "weight" on message 1, from the user').click()
    assert "weight" not in json.loads(doc.store.raw(0))["messages"][0]
    assert "invalid_weight" not in _finding_codes(doc, 0)
    with qtbot.waitSignal(doc.report_changed, timeout=10_000):
        _button(window, 'Remove "meta" at the top of the example').click()
    assert json.loads(doc.store.raw(0)) == {
        "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello!"},
        ]
    }
    assert window.dataset_tab.editor.findChild(QWidget, "hiddenFields") is None
    window.undo_group.undo()  # each removal is one undo step
    assert json.loads(doc.store.raw(0))["meta"] == {"source": "crm"}


def test_the_raw_json_view_checks_as_you_type_and_keeps_the_last_valid_value(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "hidden.jsonl"
    path.write_bytes(sample_bytes(HIDDEN_ROWS))
    doc = open_and_wait(qtbot, window, path)
    editor = window.dataset_tab.editor
    window.dataset_tab.jump_to_row(0)
    editor.json_toggle.click()
    field = editor.findChild(JsonField)
    assert field is not None
    assert '"meta"' in field.editor.toPlainText()  # what the form cannot show
    before = doc.store.raw(0)
    field.editor.setPlainText('{"messages": [')
    assert not field.valid
    assert "Not valid JSON yet" in field.status.text()
    assert doc.store.raw(0) == before  # nothing is lost while it does not parse
    field.editor.setPlainText(json.dumps(HIDDEN_ROWS[1]))
    assert field.valid
    assert json.loads(doc.store.raw(0)) == HIDDEN_ROWS[1]
    window.dataset_tab.jump_to_row(1)  # the view stays JSON from row to row
    assert editor.findChild(JsonField) is not None
    editor.json_toggle.click()
    assert editor.findChild(JsonField) is None
    assert cards(window)


def test_a_finding_that_appears_does_not_move_the_card_being_typed_in(
    qtbot: QtBot, window: MainWindow, sample_file: Path
) -> None:
    doc = open_and_wait(qtbot, window, sample_file)
    window.dataset_tab.jump_to_row(0)
    editor = window.dataset_tab.editor
    reply = cards(window)[2].content
    _focus(qtbot, window, reply)
    where = reply.mapTo(editor, QPoint(0, 0))
    assert not doc.validator.row_findings(0)
    with qtbot.waitSignal(doc.report_changed, timeout=10_000):
        reply.selectAll()  # type: ignore[union-attr]
        qtbot.keyClick(reply, Qt.Key.Key_Delete)  # an empty reply: an error
    qtbot.waitUntil(lambda: bool(doc.validator.row_findings(0)), timeout=5000)
    qtbot.wait(50)
    assert reply.hasFocus()
    assert reply.mapTo(editor, QPoint(0, 0)) == where
