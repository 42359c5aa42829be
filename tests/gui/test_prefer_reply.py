""" "This reply is better" never mixes a preference example into a chat dataset."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ftstudio.core.chat.conversation import Conversation, Turn
from ftstudio.core.dataset.formats import Format, detect_format
from ftstudio.gui.mainwindow import MainWindow
from ftstudio.gui.playground.chat_view import ChatView
from ftstudio.gui.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

PREFERENCE_ROW = {
    "input": {"messages": [{"role": "user", "content": "Hi"}]},
    "preferred_output": [{"role": "assistant", "content": "Hello!"}],
    "non_preferred_output": [{"role": "assistant", "content": "What."}],
}


def _no_client() -> Any:
    msg = "no service is needed to keep a reply"
    raise AssertionError(msg)


@pytest.fixture
def chat(qtbot: QtBot) -> Iterator[ChatView]:
    view = ChatView(_no_client)
    qtbot.addWidget(view)
    view.conversation = Conversation(
        models=["base", "tuned"],
        turns=[Turn("What is 2+2?", ["Four.", "2+2 is 4."])],
    )
    yield view
    view.shutdown()


def answer_with(button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` in the next question box, noting what it said."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text() == button_text:
                button.click()
                return
        box.reject()

    QTimer.singleShot(0, click)


def formats(doc: Any) -> set[Format]:
    return {detect_format(json.loads(doc.store.raw(r))) for r in range(len(doc.store))}


def test_in_a_chat_dataset_the_chosen_reply_can_be_added_as_chat(
    chat: ChatView, make_doc: Any
) -> None:
    doc = make_doc()  # chat examples
    rows = len(doc.store)
    chat.set_document(doc)
    seen: list[str] = []
    answer_with("Add as a chat example", seen)
    chat.add_preference_example(1)
    assert "cannot be used for training" in seen[0]
    assert len(doc.store) == rows + 1
    added = json.loads(doc.store.raw(rows))
    assert added["messages"][-1] == {"role": "assistant", "content": "2+2 is 4."}
    assert formats(doc) == {Format.CHAT}  # the Validator finds no mixed formats


def test_in_a_chat_dataset_a_new_preference_dataset_can_be_started(
    qtbot: QtBot, chat: ChatView, make_doc: Any
) -> None:
    doc = make_doc()
    rows = len(doc.store)
    chat.set_document(doc)
    statuses: list[str] = []
    chat.status.connect(statuses.append)
    seen: list[str] = []
    answer_with("Start a preference dataset", seen)
    with qtbot.waitSignal(chat.new_dataset_requested) as started:
        chat.add_preference_example(0)
    assert len(doc.store) == rows  # the chat dataset is left as it was
    store, title = started.args
    assert title == "Preferences"
    value = json.loads(store.raw(0))
    assert value["preferred_output"][0]["content"] == "Four."
    assert "new preference dataset" in statuses[-1]


def test_cancel_adds_nothing(chat: ChatView, make_doc: Any) -> None:
    doc = make_doc()
    rows = len(doc.store)
    chat.set_document(doc)
    answer_with("Cancel", [])
    chat.add_preference_example(0)
    assert len(doc.store) == rows


def test_a_preference_dataset_gets_the_example_and_the_status_says_so(
    chat: ChatView, make_doc: Any
) -> None:
    doc = make_doc([PREFERENCE_ROW])
    chat.set_document(doc)
    statuses: list[str] = []
    chat.status.connect(statuses.append)
    chat.add_preference_example(1)  # no question: it fits
    assert len(doc.store) == 2
    assert formats(doc) == {Format.PREFERENCE}
    assert statuses[-1].startswith("Added a preference example as example 2")


def test_the_new_preference_dataset_opens_in_the_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    settings = Settings(QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    playground: Any = window.api_tabs.playground.ensure()
    playground.chat.conversation = Conversation(
        models=["base", "tuned"], turns=[Turn("Hi", ["Hello!", "Hey."])]
    )
    with qtbot.waitSignal(window.document_changed, timeout=10_000):
        playground.chat.add_preference_example(0)  # no dataset open: a new one
    assert window.document is not None
    assert window.document.title == "Preferences"
    assert formats(window.document) == {Format.PREFERENCE}
    window.close()
