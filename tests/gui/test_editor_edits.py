"""The editor writes only what the user touched, and typing keeps one line per undo step."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from ftstudio.gui.dataset.cards import MessageCard
from ftstudio.gui.dataset.fields import TextField
from ftstudio.gui.dataset.tab import DatasetTab

CHAT = {
    "messages": [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello"},
    ]
}


@pytest.fixture
def tab(qtbot, make_doc):
    def build(rows):
        doc = make_doc(rows)
        widget = DatasetTab()
        qtbot.addWidget(widget)
        widget.set_document(doc)
        widget.resize(1100, 600)
        widget.show()
        return widget, doc

    return build


def fields(widget):
    return {
        f.accessibleName(): f for f in widget.editor.widget().findChildren(TextField)
    }


def test_typing_a_reply_writes_only_that_reply(qtbot, tab):
    # a preference example that lacks its rejected reply, with exact numbers
    line = {
        "input": {"messages": [{"role": "user", "content": "Q"}]},
        "preferred_output": [{"role": "assistant", "content": "A"}],
        "id": 10**25,
    }
    widget, doc = tab([line])
    widget.jump_to_row(0)
    preferred = fields(widget)["Preferred reply"]
    preferred.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(preferred, "!")
    assert doc.store.raw(0) == (
        b'{"input":{"messages":[{"role":"user","content":"Q"}]},'
        b'"preferred_output":[{"role":"assistant","content":"A!"}],'
        b'"id":10000000000000000000000000}'
    )
    rejected = fields(widget)["Rejected reply"]
    qtbot.keyClicks(rejected, "B")
    assert doc.store.parsed(0).value["non_preferred_output"] == [
        {"role": "assistant", "content": "B"}
    ]


def test_an_example_without_a_conversation_does_not_get_one(qtbot, tab):
    widget, doc = tab([{"preferred_output": [{"role": "assistant", "content": "A"}]}])
    widget.jump_to_row(0)
    qtbot.keyClicks(fields(widget)["Preferred reply"], "!")
    assert (
        doc.store.raw(0)
        == b'{"preferred_output":[{"role":"assistant","content":"!A"}]}'
    )


def test_a_long_burst_of_typing_keeps_one_line_per_undo_step(qtbot, tab):
    widget, doc = tab([CHAT])
    widget.jump_to_row(0)
    card = widget.editor.widget().findChildren(MessageCard)[1]
    card.content.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(card.content, " there, how are you today? " * 8)
    assert doc.undo_stack.count() == 1
    assert doc.store.edited_lines <= 3  # not one per keystroke (216 of them)
    typed = doc.store.parsed(0).value["messages"][1]["content"]
    assert typed == "Hello" + " there, how are you today? " * 8
    doc.undo_stack.undo()
    assert doc.store.parsed(0).value == CHAT
    doc.undo_stack.redo()
    assert doc.store.parsed(0).value["messages"][1]["content"] == typed
