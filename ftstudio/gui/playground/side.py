"""One model's column in the chat: its picker, the conversation so far, its latest reply."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ftstudio.gui.widgets.chat_model_picker import ChatModelPicker

if TYPE_CHECKING:
    from ftstudio.core.chat.conversation import Conversation
    from ftstudio.core.chat.stream import Usage

REPLY_HINT = "The reply appears here. When it is done you can edit it before adding it to the dataset."


class SidePanel(QWidget):
    """A model picker, the earlier turns, and the latest reply (editable once finished)."""

    reply_edited = Signal(int, str)
    """The user edited the latest reply of side ``int`` to this text."""
    add_requested = Signal(int)
    """Add this side's conversation to the dataset as a chat example."""
    prefer_requested = Signal(int)
    """Add a preference example with this side's reply as the better one."""

    def __init__(
        self, side: int, default_model: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.side = side
        letter = "AB"[side]
        self.title = QLabel(f"<b>Model {letter}</b>")
        self.picker = ChatModelPicker(default_model)
        self.picker.setAccessibleName(f"Model {letter}")
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName(f"Conversation with model {letter}")
        self.transcript.setPlaceholderText("Earlier messages appear here.")
        self.reply = QPlainTextEdit()
        self.reply.setAccessibleName(f"Latest reply of model {letter}")
        self.reply.setPlaceholderText(REPLY_HINT)
        self.reply.setReadOnly(True)
        self.reply.textChanged.connect(self._on_reply_changed)
        self.usage = QLabel()
        self.usage.setAccessibleName(f"Tokens used by model {letter}")
        self.add_button = QPushButton("Add to dataset")
        self.add_button.setToolTip(
            "Add this conversation, with the reply as shown, as a new training example."
        )
        self.add_button.clicked.connect(self._on_add)
        self.prefer_button = QPushButton("This reply is better")
        self.prefer_button.setToolTip(
            "Add a preference (DPO) example: this reply preferred, the other one rejected."
        )
        self.prefer_button.clicked.connect(self._on_prefer)
        self._streaming = False
        self._shown: Conversation | None = None

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.picker, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.usage, 1)
        buttons.addWidget(self.prefer_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.transcript, 3)
        layout.addWidget(QLabel("Reply (you can edit it once it is complete)"))
        layout.addWidget(self.reply, 2)
        layout.addLayout(buttons)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._shown is not None:
            self.show_conversation(self._shown)  # the theme changed: recolour

    # what it shows ------------------------------------------------------------
    def show_conversation(self, conversation: Conversation) -> None:
        """Show the earlier turns in the transcript and the latest reply below."""
        self._shown = conversation
        # colours from the palette: fixed dark ones vanished on a dark theme
        you, model, aside = speaker_colours(self.palette())
        parts = []
        if conversation.system.strip():
            parts.append(_block("Instructions", conversation.system, aside))
        turns = conversation.turns
        for i, turn in enumerate(turns):
            parts.append(_block("You", turn.user, you))
            last = i == len(turns) - 1
            if not last and self.side < len(turn.replies):
                parts.append(_block("Model", turn.replies[self.side], model))
        self.transcript.setHtml("".join(parts))
        self.transcript.moveCursor(QTextCursor.MoveOperation.End)
        latest = ""
        if turns and self.side < len(turns[-1].replies):
            latest = turns[-1].replies[self.side]
        self._set_reply_text(latest)

    def begin_reply(self) -> None:
        """Clear the reply box for a new streamed reply (read-only while it streams)."""
        self._streaming = True
        self.reply.setReadOnly(True)
        self._set_reply_text("")
        self.usage.setText("Waiting for the reply…")

    def append(self, text: str) -> None:
        """Add streamed text at the end of the reply."""
        cursor = self.reply.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.reply.blockSignals(True)  # not a user edit
        cursor.insertText(text)
        self.reply.blockSignals(False)
        self.reply.ensureCursorVisible()

    def end_reply(self, note: str) -> None:
        """End the reply (done, stopped or failed): it becomes editable."""
        self._streaming = False
        self.reply.setReadOnly(False)
        self.usage.setText(note)

    @property
    def reply_text(self) -> str:
        """Return the latest reply as shown (with the user's edits)."""
        return self.reply.toPlainText()

    @property
    def streaming(self) -> bool:
        """Whether a reply is streaming into this side."""
        return self._streaming

    def _set_reply_text(self, text: str) -> None:
        self.reply.blockSignals(True)
        self.reply.setPlainText(text)
        self.reply.blockSignals(False)

    @Slot()
    def _on_reply_changed(self) -> None:
        if not self._streaming:
            self.reply_edited.emit(self.side, self.reply.toPlainText())

    @Slot()
    def _on_add(self) -> None:
        self.add_requested.emit(self.side)

    @Slot()
    def _on_prefer(self) -> None:
        self.prefer_requested.emit(self.side)


def usage_text(usage: Usage | None) -> str:
    """Return e.g. "Tokens: 25 in + 7 out = 32" (or that the service did not say)."""
    if usage is None:
        return "Tokens: the service did not report them."
    return (
        f"Tokens: {usage.prompt_tokens:,} in + {usage.completion_tokens:,} out "
        f"= {usage.total_tokens:,}"
    )


def speaker_colours(palette: QPalette) -> tuple[str, str, str]:
    """Return the colours of "You", "Model" and the instructions for ``palette``."""
    return (
        palette.color(QPalette.ColorRole.Link).name(),
        palette.color(QPalette.ColorRole.Text).name(),
        palette.color(QPalette.ColorRole.PlaceholderText).name(),
    )


def _block(who: str, text: str, colour: str) -> str:
    body = html.escape(text).replace("\n", "<br>")
    return f'<p><b style="color:{colour}">{who}:</b> {body}</p>'
