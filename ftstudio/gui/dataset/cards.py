"""One card per message in the example editor: role, content, "train on this reply"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ftstudio.gui.dataset.fields import JsonField, TextField
from ftstudio.gui.icons import icon

ROLES = ("system", "developer", "user", "assistant", "tool")
ROLE_TIPS = {
    "system": "Instructions that set how the assistant behaves",
    "developer": "Instructions from the app developer (newer name for system)",
    "user": "What the person says",
    "assistant": "The reply the model should learn to give",
    "tool": "The result a tool returned to the assistant",
}
TRAIN_TIP = (
    "Whether the model learns from this reply. When off, the reply stays in the "
    "conversation as context but is not trained on (in the file this is the "
    '"weight" of the message: 1 when on, 0 when off).'
)


class MessageCard(QFrame):
    """Edit one message dict in place and say what changed.

    The card mutates ``message`` (a dict owned by the editor's copy of the
    example) and emits :attr:`edited` with the field that changed, or
    :attr:`action` for structural requests the editor carries out.
    """

    edited = Signal(str)
    """A field of the message changed: "role", "content", "weight", "tool_calls"."""
    action = Signal(str)
    """The user asked to "up", "down", "duplicate" or "delete" this message."""

    def __init__(
        self, message: dict[str, Any], number: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.message = message
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("messageCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(self._header(number))
        content = message.get("content")
        self.content: TextField | JsonField
        if content is None or isinstance(content, str):
            self.content = TextField(content or "")
            self.content.setAccessibleName(f"Message {number} text")
            self.content.text_edited.connect(self._on_text)
        else:  # content parts (text, images…) are edited as JSON
            self.content = JsonField(content, f"Message {number} content parts")
            self.content.value_edited.connect(self._on_content_value)
        layout.addWidget(self.content)
        self.tool_calls: JsonField | None = None
        if "tool_calls" in message:
            layout.addWidget(QLabel("Tool calls (JSON):"))
            self.tool_calls = JsonField(
                message["tool_calls"], f"Message {number} tool calls"
            )
            self.tool_calls.value_edited.connect(self._on_tool_calls)
            layout.addWidget(self.tool_calls)
        self._sync_train()

    def _header(self, number: int) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(f"<b>{number}</b>")
        self.role = QComboBox()
        role = str(self.message.get("role", ""))
        self.role.addItems([*ROLES, *([role] if role not in ROLES else [])])
        for i in range(self.role.count()):
            tip = ROLE_TIPS.get(self.role.itemText(i), "")
            self.role.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        self.role.setCurrentText(role)
        self.role.setAccessibleName(f"Message {number} role")
        self.role.setToolTip("Who speaks in this message")
        self.role.currentTextChanged.connect(self._on_role)
        label.setBuddy(self.role)
        self.train = QCheckBox("Train on this reply")
        self.train.setToolTip(TRAIN_TIP)
        self.train.setAccessibleName(f"Train on reply {number}")
        self.train.toggled.connect(self._on_train)
        row.addWidget(label)
        row.addWidget(self.role)
        row.addWidget(self.train)
        row.addStretch(1)
        for name, tip in (
            ("up", "Move this message up"),
            ("down", "Move this message down"),
            ("duplicate", "Duplicate this message"),
            ("delete", "Delete this message"),
        ):
            button = QToolButton()
            button.setIcon(icon(name))
            button.setToolTip(tip)
            button.setAccessibleName(f"{tip} ({number})")
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, n=name: self.action.emit(n))
            row.addWidget(button)
        return row

    def _sync_train(self) -> None:
        is_assistant = self.message.get("role") == "assistant"
        self.train.setVisible(is_assistant)
        self.train.blockSignals(True)
        self.train.setChecked(self.message.get("weight", 1) != 0)
        self.train.blockSignals(False)

    @Slot(str)
    def _on_role(self, role: str) -> None:
        self.message["role"] = role
        if role != "assistant":
            self.message.pop("weight", None)  # only assistant replies carry a weight
        self._sync_train()
        self.edited.emit("role")

    @Slot(bool)
    def _on_train(self, on: bool) -> None:
        self.message["weight"] = 1 if on else 0
        self.edited.emit("weight")

    @Slot(str)
    def _on_text(self, text: str) -> None:
        self.message["content"] = text
        self.edited.emit("content")

    @Slot(object)
    def _on_content_value(self, value: Any) -> None:
        self.message["content"] = value
        self.edited.emit("content")

    @Slot(object)
    def _on_tool_calls(self, value: Any) -> None:
        self.message["tool_calls"] = value
        self.edited.emit("tool_calls")
