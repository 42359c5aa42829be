"""The chat view: settings, one or two model columns, the message box, add-to-dataset."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.chat.conversation import Conversation
from ftstudio.core.chat.stream import ChatSettings
from ftstudio.core.chat.to_example import chat_example, preference_example
from ftstudio.core.dataset.edits import insert_values
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.models import DEFAULT_MODEL
from ftstudio.gui.playground.knobs import SamplingKnobs
from ftstudio.gui.playground.prefer import Target, ask_target
from ftstudio.gui.playground.side import SidePanel
from ftstudio.gui.playground.streaming import ReplyStream

if TYPE_CHECKING:
    import openai

    from ftstudio.core.chat.models import ModelChoices
    from ftstudio.gui.document import Document

FILE_FILTER = "Conversations (*.json);;All files (*)"


class ChatView(QWidget):
    """Chat with one model, or the same conversation with two side by side."""

    error = Signal(object)
    """An :class:`FtError` for the tab's banner."""
    status = Signal(str)
    """A line for the tab's status area."""
    new_dataset_requested = Signal(object, str)
    """Open this new unsaved dataset (a store) under this title."""

    def __init__(
        self, client: Callable[[], openai.OpenAI], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._doc: Document | None = None
        self.conversation = Conversation(models=[DEFAULT_MODEL])
        self.panels = [SidePanel(0, DEFAULT_MODEL), SidePanel(1, DEFAULT_MODEL)]
        self.streams = [ReplyStream(p, self) for p in self.panels]
        for panel, stream in zip(self.panels, self.streams, strict=True):
            panel.reply_edited.connect(self._on_reply_edited)
            panel.add_requested.connect(self.add_chat_example)
            panel.prefer_requested.connect(self.add_preference_example)
            stream.ended.connect(self._on_reply_ended)
            stream.notice.connect(self.status)
            stream.failed.connect(self.error)
        self._build()
        self.set_compare(False)
        self._update_buttons()

    def _build(self) -> None:
        self.system = QPlainTextEdit()
        self.system.setPlaceholderText(
            "Instructions for the model (the system prompt), e.g. 'You are a friendly support agent.'"
        )
        self.system.setAccessibleName("System prompt")
        self.system.setFixedHeight(56)
        self.knobs = SamplingKnobs()
        self.compare = QCheckBox("Compare two models")
        self.compare.setToolTip(
            "Send the same messages to two models side by side, e.g. the base model and your fine-tuned one."
        )
        self.compare.toggled.connect(self.set_compare)
        knobs = QHBoxLayout()
        knobs.addWidget(self.knobs)
        knobs.addStretch(1)
        knobs.addWidget(self.compare)
        self.new_button = QPushButton("New chat")
        self.new_button.clicked.connect(self.new_conversation)
        self.open_button = QPushButton("Open…")
        self.open_button.clicked.connect(self._ask_open)
        self.save_button = QPushButton("Save…")
        self.save_button.clicked.connect(self._ask_save)
        for button in (self.new_button, self.open_button, self.save_button):
            knobs.addWidget(button)
        form = QFormLayout()
        form.addRow("Instructions", self.system)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for panel in self.panels:
            splitter.addWidget(panel)
        self.message = QPlainTextEdit()
        self.message.setPlaceholderText("Type a message and press Send (Ctrl+Enter).")
        self.message.setAccessibleName("Your message")
        self.message.setFixedHeight(64)
        self.send_button = QPushButton("Send")
        self.send_button.setShortcut("Ctrl+Return")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the replies now; what arrived is kept.")
        self.stop_button.clicked.connect(self.stop)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        side_buttons = QVBoxLayout()
        side_buttons.addWidget(self.send_button)
        side_buttons.addWidget(self.stop_button)
        bottom.addLayout(side_buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(knobs)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

    # state --------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Whether a reply is streaming."""
        return any(s.running for s in self.streams)

    def settings(self) -> ChatSettings:
        """Return the sampling settings as chosen."""
        return self.knobs.settings()

    def active_sides(self) -> list[int]:
        """Return the sides in use: [0], or [0, 1] when comparing."""
        return [0, 1] if self.compare.isChecked() else [0]

    def set_document(self, doc: Document | None) -> None:
        """Set the dataset that "Add to dataset" adds to (None: none open)."""
        self._doc = doc
        self._update_buttons()

    def set_model(self, name: str, side: int = 0) -> None:
        """Choose the model of ``side`` (e.g. a checkpoint sent from the Monitor)."""
        self.panels[side].picker.set_model_name(name)

    def set_choices(self, choices: ModelChoices) -> None:
        """Fill both pickers with the service's models."""
        for panel in self.panels:
            panel.picker.set_choices(choices)

    @Slot(bool)
    def set_compare(self, on: bool) -> None:
        """Show or hide the second model's column."""
        if self.compare.isChecked() != on:
            self.compare.setChecked(on)  # calls back here
            return
        self.panels[1].setVisible(on)
        if on:  # model B continues from the same history model A had
            for turn in self.conversation.turns:
                if len(turn.replies) == 1:
                    turn.replies.append(turn.replies[0])
            self.panels[1].show_conversation(self.conversation)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.busy
        has_doc = self._doc is not None
        compare = self.compare.isChecked()
        self.send_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        for button in (self.new_button, self.open_button, self.compare):
            button.setEnabled(not busy)
        tip = "" if has_doc else "Open or create a dataset first."
        for panel in self.panels:
            panel.add_button.setEnabled(has_doc and not busy)
            panel.prefer_button.setEnabled(has_doc and not busy)
            panel.prefer_button.setVisible(compare)
            panel.picker.setEnabled(not busy)
            if tip:
                panel.add_button.setToolTip(tip)

    # chatting -----------------------------------------------------------------
    @Slot()
    def send(self) -> None:
        """Send the typed message to the model(s) and stream the replies."""
        text = self.message.toPlainText().strip()
        if not text or self.busy:
            return
        sides = self.active_sides()
        models = [self.panels[s].picker.model_name for s in sides]
        if not all(models):
            self.error.emit(
                FtError(ErrorKind.INPUT, "Choose a model first (or type its name).")
            )
            return
        try:
            client = self._client()
        except FtError as exc:
            self.error.emit(exc)
            return
        conv = self.conversation
        conv.models = models
        conv.system = self.system.toPlainText()
        conv.settings = self.settings()
        conv.ask(text)
        self.message.clear()
        for side in sides:
            self.panels[side].show_conversation(conv)
            self.streams[side].start(
                client, models[side], conv.messages(side), conv.settings
            )
        self._update_buttons()
        self.status.emit("Waiting for the reply…")

    @Slot()
    def stop(self) -> None:
        """Stop every streaming reply."""
        for stream in self.streams:
            stream.stop()

    @Slot(int, str)
    def _on_reply_ended(self, side: int, text: str) -> None:
        if self.conversation.turns:
            self.conversation.set_reply(side, text)
        self._update_buttons()
        if not self.busy:
            self.status.emit("Ready.")

    @Slot(int, str)
    def _on_reply_edited(self, side: int, text: str) -> None:
        if self.conversation.turns:
            self.conversation.set_reply(side, text)

    # to the dataset -------------------------------------------------------------
    @Slot(int)
    def add_chat_example(self, side: int) -> None:
        """Add side ``side``'s conversation to the open dataset (one undo step)."""
        self._add(lambda: chat_example(self.conversation, side), "Add chat example")

    @Slot(int)
    def add_preference_example(self, side: int) -> None:
        """Keep side ``side``'s reply as the better one, without mixing formats.

        A preference dataset (or an empty one) gets a preference example; a chat
        dataset gets the user's choice of the chosen reply as a chat example or
        a new preference dataset. The status line says which it was.
        """
        try:  # say what is missing before asking where it should go
            example = preference_example(self.conversation, side)
        except FtError as exc:
            self.error.emit(exc)
            return
        target = ask_target(self, self._doc)
        if target is Target.PREFERENCE:
            self._add(lambda: example, "Add preference example", "a preference example")
        elif target is Target.CHAT:
            self._add(
                lambda: chat_example(self.conversation, side),
                "Add chat example",
                "the chosen reply as a chat example",
            )
        elif target is Target.NEW_PREFERENCE:
            from ftstudio.core.dataset.store import DatasetStore

            line = json.dumps(example, ensure_ascii=False) + "\n"
            store = DatasetStore.from_bytes(line.encode("utf-8"))
            self.new_dataset_requested.emit(store, "Preferences")
            self.status.emit(
                "Started a new preference dataset, Preferences, with this example "
                "(not saved yet)."
            )

    def _add(
        self,
        build: Callable[[], dict[str, object]],
        label: str,
        what: str = "it",
    ) -> None:
        doc = self._doc
        if doc is None:
            self.error.emit(FtError(ErrorKind.INPUT, "Open or create a dataset first."))
            return
        try:
            example = build()
        except FtError as exc:
            self.error.emit(exc)
            return
        doc.push(insert_values(doc.store, len(doc.store), [example], label=label))
        self.status.emit(
            f"Added {what} as example {len(doc.store)} of {doc.title}. "
            "Edit ▸ Undo removes it."
        )

    # files --------------------------------------------------------------------
    @Slot()
    def new_conversation(self) -> None:
        """Start over (instructions, models and settings stay)."""
        self.conversation = Conversation(
            models=[self.panels[s].picker.model_name for s in self.active_sides()],
            system=self.system.toPlainText(),
            settings=self.settings(),
        )
        for panel in self.panels:
            panel.show_conversation(self.conversation)
            panel.usage.clear()

    def save_conversation(self, path: Path) -> None:
        """Save the conversation with the current instructions, models and settings."""
        conv = self.conversation
        conv.system = self.system.toPlainText()
        conv.settings = self.settings()
        conv.models = [self.panels[s].picker.model_name for s in self.active_sides()]
        conv.save(path)
        self.status.emit(f"Conversation saved to {path.name}.")

    def open_conversation(self, path: Path) -> None:
        """Open a saved conversation: its models, instructions, settings and turns."""
        conv = Conversation.open(path)
        self.conversation = conv
        self.system.setPlainText(conv.system)
        self.knobs.set_settings(conv.settings)
        for side, model in enumerate(conv.models):
            self.set_model(model, side)
        self.set_compare(conv.compare)
        for panel in self.panels:
            panel.show_conversation(conv)
            panel.usage.clear()
        self.status.emit(f"Opened {path.name}.")

    @Slot()
    def _ask_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save conversation", "", FILE_FILTER
        )
        if name:
            self._guard(lambda: self.save_conversation(Path(name)))

    @Slot()
    def _ask_open(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open conversation", "", FILE_FILTER
        )
        if name:
            self._guard(lambda: self.open_conversation(Path(name)))

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except FtError as exc:
            self.error.emit(exc)

    def shutdown(self) -> None:
        """Stop the replies and wait for their threads."""
        for stream in self.streams:
            stream.shutdown()
