from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QInputDialog, QMessageBox

from ftstudio.core.dataset.edits import set_value
from ftstudio.gui.dataset.cards import MessageCard
from ftstudio.gui.dataset.fields import JsonField
from ftstudio.gui.dataset.tab import DatasetTab
from tests.gui.conftest import SAMPLE


@pytest.fixture
def tab(qtbot, make_doc):
    def build(rows=None):
        doc = make_doc(rows)
        widget = DatasetTab()
        qtbot.addWidget(widget)
        widget.set_document(doc)
        widget.resize(1100, 600)
        widget.show()
        return widget, doc

    return build


def cards(tab):
    return tab.editor.widget().findChildren(MessageCard)


def messages(doc, row):
    return doc.store.parsed(row).value["messages"]


def test_typing_in_a_message_edits_the_dataset_in_one_step(qtbot, tab):
    widget, doc = tab()
    widget.jump_to_row(0)
    card = cards(widget)[2]
    card.content.setFocus()
    card.content.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(card.content, " Really.")
    assert messages(doc, 0)[2]["content"] == "Paris. Really."
    assert doc.undo_stack.count() == 1
    assert cards(widget)[2] is card  # the form was not rebuilt under the cursor
    doc.undo_stack.undo()
    assert messages(doc, 0)[2]["content"] == "Paris."
    qtbot.waitUntil(lambda: cards(widget)[2].content.toPlainText() == "Paris.")


def test_train_on_this_reply_sets_the_weight(qtbot, tab):
    widget, doc = tab()
    widget.jump_to_row(1)
    first_reply = cards(widget)[1]
    assert first_reply.train.isVisible()
    assert not first_reply.train.isChecked()  # weight 0 in the file
    assert "weight" in first_reply.train.toolTip()
    assert "weight" not in first_reply.train.text()
    first_reply.train.click()
    assert messages(doc, 1)[1]["weight"] == 1
    cards(widget)[3].train.click()
    assert messages(doc, 1)[3]["weight"] == 0
    assert not cards(widget)[0].train.isVisible()  # user messages have no toggle


def test_add_move_duplicate_delete_messages(qtbot, tab):
    widget, doc = tab()
    widget.jump_to_row(0)
    cards(widget)[2].action.emit("duplicate")
    assert [m["content"] for m in messages(doc, 0)][-2:] == ["Paris.", "Paris."]
    cards(widget)[1].action.emit("up")
    assert messages(doc, 0)[0]["role"] == "user"
    cards(widget)[0].action.emit("delete")
    assert messages(doc, 0)[0]["role"] == "system"
    before = len(messages(doc, 0))
    qtbot.mouseClick(_add_button(widget), Qt.MouseButton.LeftButton)
    assert len(messages(doc, 0)) == before + 1
    assert len(cards(widget)) == before + 1
    for _ in range(4):
        doc.undo_stack.undo()
    assert messages(doc, 0) == SAMPLE[0]["messages"]


def _add_button(widget):
    from PySide6.QtWidgets import QPushButton

    return next(
        b
        for b in widget.editor.widget().findChildren(QPushButton)
        if b.text() == "Add message"
    )


def test_role_change_is_saved_and_hides_the_toggle(qtbot, tab):
    widget, doc = tab()
    widget.jump_to_row(0)
    card = cards(widget)[2]
    card.role.setCurrentText("user")
    assert messages(doc, 0)[2]["role"] == "user"
    assert not card.train.isVisible()


def test_tool_calls_are_json_and_invalid_text_is_not_saved(qtbot, tab):
    rows = [
        {
            "messages": [
                {"role": "user", "content": "Weather?"},
                {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "weather", "arguments": "{}"},
                        }
                    ],
                },
            ],
            "tools": [{"type": "function", "function": {"name": "weather"}}],
        }
    ]
    widget, doc = tab(rows)
    widget.jump_to_row(0)
    fields = widget.editor.widget().findChildren(JsonField)
    assert len(fields) == 2  # the tool calls and the tool definitions
    calls = fields[0]
    assert '"name": "weather"' in calls.editor.toPlainText()
    before = doc.store.raw(0)
    calls.editor.setPlainText("[{")
    assert not calls.valid
    assert "Not valid JSON" in calls.status.text()
    assert doc.store.raw(0) == before
    calls.editor.setPlainText('[{"id": "call_2", "type": "function"}]')
    assert calls.valid
    assert messages(doc, 0)[1]["tool_calls"] == [{"id": "call_2", "type": "function"}]


def test_preference_and_completion_editors(qtbot, tab):
    from ftstudio.gui.dataset.fields import TextField

    rows = [
        {
            "input": {"messages": [{"role": "user", "content": "Name a shade plant."}]},
            "preferred_output": [{"role": "assistant", "content": "Hosta."}],
            "non_preferred_output": [{"role": "assistant", "content": "Sunflower."}],
        },
        {"prompt": "Fern care:", "completion": " Keep the soil moist."},
    ]
    widget, doc = tab(rows)
    widget.jump_to_row(0)
    fields = {
        f.accessibleName(): f for f in widget.editor.widget().findChildren(TextField)
    }
    assert fields["Preferred reply"].toPlainText() == "Hosta."
    assert fields["Rejected reply"].toPlainText() == "Sunflower."
    fields["Rejected reply"].setPlainText("Cactus.")
    assert doc.store.parsed(0).value["non_preferred_output"][0]["content"] == "Cactus."
    widget.jump_to_row(1)
    fields = {
        f.accessibleName(): f for f in widget.editor.widget().findChildren(TextField)
    }
    fields["Completion"].setPlainText(" Water weekly.")
    assert doc.store.parsed(1).value == {
        "prompt": "Fern care:",
        "completion": " Water weekly.",
    }


def bulk(qtbot, widget, action):
    """Run a bulk action: it is built on a worker, then applied as one edit."""
    with qtbot.waitSignal(widget.bulk.runner.task_started) as started:
        action()
    with qtbot.waitSignal(started.args[0].finished, timeout=10_000):
        pass


def test_bulk_edit_built_while_the_user_edits_is_dropped(qtbot, tab, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    widget, doc = tab()
    with qtbot.waitSignal(widget.bulk.runner.task_started) as started:
        widget.bulk.remove_system_prompt()
    before = doc.store.raw(1)
    doc.push(set_value(doc.store, 2, {"messages": [{"role": "user", "content": "x"}]}))
    with qtbot.waitSignal(started.args[0].finished, timeout=10_000):
        pass
    assert "changed while this was being prepared" in shown[0]
    assert doc.undo_stack.count() == 1  # only the user's own edit
    assert doc.store.raw(1) == before


def test_bulk_system_prompt_is_one_undo_step(qtbot, tab, monkeypatch):
    widget, doc = tab()
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("Be brief.", True)
    )
    bulk(qtbot, widget, widget.bulk.set_system_prompt)
    for row in range(3):
        assert messages(doc, row)[0] == {"role": "system", "content": "Be brief."}
    assert messages(doc, 0)[1]["role"] == "user"  # replaced, not added twice
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert [json.loads(doc.store.raw(r)) for r in range(3)] == SAMPLE


def test_bulk_remove_system_train_last_and_duplicates(qtbot, tab, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    widget, doc = tab([*SAMPLE, SAMPLE[0]])
    bulk(qtbot, widget, widget.bulk.remove_system_prompt)
    assert all(m["role"] != "system" for m in messages(doc, 0))
    bulk(qtbot, widget, widget.bulk.train_only_last)
    assert [m.get("weight") for m in messages(doc, 1)] == [None, 0, None, 1]
    assert len(doc.store) == 4
    bulk(qtbot, widget, widget.bulk.delete_duplicates)
    assert len(doc.store) == 3
    assert doc.undo_stack.count() == 3


def test_search_box_filters_the_table(qtbot, tab):
    widget, _doc = tab()
    qtbot.keyClicks(widget.search, "hello")
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1, timeout=5000)
    assert widget.count.text() == "1 of 3 examples"
    widget.problems.setCurrentIndex(1)  # only errors
    qtbot.waitUntil(lambda: widget.model.rowCount() == 0, timeout=5000)
    widget.search.clear()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1, timeout=5000)
    assert widget.model.source_row(0) == 2
    widget.jump_to_row(0)  # hidden by the filter: the filter is cleared
    assert widget.model.rowCount() == 3


def test_add_duplicate_delete_examples(qtbot, tab):
    widget, doc = tab()
    widget.jump_to_row(0)
    widget.add_example()
    assert len(doc.store) == 4
    assert widget.editor.row == 1
    assert len(cards(widget)) == 2
    widget.duplicate_examples()
    assert len(doc.store) == 5
    widget.delete_examples()
    assert len(doc.store) == 4
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert [json.loads(doc.store.raw(r)) for r in range(3)] == SAMPLE


def test_delete_key_on_the_table_deletes_the_example(qtbot, tab):
    widget, doc = tab()
    widget.jump_to_row(1)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)  # shortcuts only work in the active window
    widget.table.setFocus()
    qtbot.keyClick(widget.table, Qt.Key.Key_Delete)
    assert len(doc.store) == 2
    assert "Say hello" not in doc.store.raw(1).decode()


class FirstPaint(QObject):
    """Notes in ``order`` when the watched widget first paints."""

    def __init__(self, order: list[str]) -> None:
        super().__init__()
        self.order = order

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "table painted" not in self.order:
            self.order.append("table painted")
        return False


def test_the_first_example_opens_in_the_editor_after_the_table_painted(qtbot, make_doc):
    order: list[str] = []
    widget = DatasetTab()
    qtbot.addWidget(widget)
    watch = FirstPaint(order)
    widget.table.viewport().installEventFilter(watch)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    order.clear()
    widget.set_document(make_doc())
    assert widget.table.currentIndex().row() == -1  # not in the same turn
    qtbot.waitUntil(lambda: widget.table.currentIndex().row() == 0, timeout=2000)
    order.append("editor filled")
    assert order == ["table painted", "editor filled"]
    assert cards(widget)  # the first example's messages are in the editor
    widget.table.viewport().removeEventFilter(watch)
    widget.set_document(None)
