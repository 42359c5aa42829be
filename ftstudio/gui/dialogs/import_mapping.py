"""The part of the import dialog that says which column is which."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QPlainTextEdit, QWidget

if TYPE_CHECKING:
    from ftstudio.core.dataset.importer import ColumnMapping

NO_SYSTEM, FIXED_SYSTEM = "none", "fixed"


class MappingForm(QWidget):
    """Combo boxes for the user, assistant and system prompt columns."""

    changed = Signal()
    """The user changed a column or the fixed system prompt."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = self._box(
            "User message column", "What the user says: the question or request."
        )
        self.assistant = self._box(
            "Assistant reply column", "The reply you want the model to learn to give."
        )
        self.system = self._box(
            "System prompt",
            "Optional instructions the model gets before each conversation: from a "
            "column, the same text for every row, or none.",
        )
        self.system_text = QPlainTextEdit()
        self.system_text.setAccessibleName("System prompt for every row")
        self.system_text.setPlaceholderText(
            "For example: You are a friendly support assistant for…"
        )
        self.system_text.setMaximumHeight(70)
        self.system_text.setVisible(False)
        self.system_text.textChanged.connect(self._on_changed)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&User message:", self.user)
        form.addRow("&Assistant reply:", self.assistant)
        form.addRow("&System prompt:", self.system)
        form.addRow("", self.system_text)
        self.set_columns((), None)

    def _box(self, name: str, tip: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.setToolTip(tip)
        box.currentIndexChanged.connect(self._on_changed)
        return box

    def set_columns(
        self, columns: Sequence[str], suggested: ColumnMapping | None
    ) -> None:
        """Offer ``columns`` and pre-select the ``suggested`` mapping, if any."""
        boxes = (self.user, self.assistant, self.system)
        for box in boxes:
            box.blockSignals(True)
            box.clear()
        for box in (self.user, self.assistant):
            box.addItem("Choose a column…", None)
            for column in columns:
                box.addItem(column, column)
        self.system.addItem("No system prompt", NO_SYSTEM)
        self.system.addItem(
            "The same prompt for every row (type it below)", FIXED_SYSTEM
        )
        for column in columns:
            self.system.addItem(f"Column: {column}", column)
        if suggested is not None:
            picks: tuple[tuple[QComboBox, str | None], ...] = (
                (self.user, suggested.user),
                (self.assistant, suggested.assistant),
                (self.system, suggested.system_column),
            )
            for box, wanted in picks:
                if wanted:
                    box.setCurrentIndex(max(0, box.findData(wanted)))
        for box in boxes:
            box.blockSignals(False)
        self._on_changed()

    def roles(self) -> dict[str, str]:
        """Return ``{column: role in plain words}`` for the columns in use."""
        roles: dict[str, str] = {}
        for box, role in (
            (self.system, "system prompt"),
            (self.assistant, "assistant reply"),
            (self.user, "user message"),
        ):
            column = box.currentData()
            if column not in (None, NO_SYSTEM, FIXED_SYSTEM):
                roles[str(column)] = role
        return roles

    def mapping(self) -> ColumnMapping | None:
        """Return the mapping chosen (None while it is incomplete or contradictory)."""
        from ftstudio.core.dataset.importer import ColumnMapping

        if self.problem():
            return None
        user, assistant = (
            str(self.user.currentData()),
            str(self.assistant.currentData()),
        )
        system = self.system.currentData()
        if system == FIXED_SYSTEM:
            text = self.system_text.toPlainText().strip()
            return ColumnMapping(user, assistant, system_prompt=text)
        column = None if system == NO_SYSTEM else str(system)
        return ColumnMapping(user, assistant, system_column=column)

    def problem(self) -> str:
        """Say what is still missing ("" when the mapping is complete)."""
        user, assistant = self.user.currentData(), self.assistant.currentData()
        system = self.system.currentData()
        if user is None or assistant is None:
            return (
                "Choose the column with the user messages and the one with the replies."
            )
        if user == assistant:
            return "The user messages and the replies must come from different columns."
        if system in (user, assistant):
            return "The system prompt must come from a column of its own."
        if system == FIXED_SYSTEM and not self.system_text.toPlainText().strip():
            return "Type the system prompt, or choose “No system prompt”."
        return ""

    @Slot()
    def _on_changed(self) -> None:
        self.system_text.setVisible(self.system.currentData() == FIXED_SYSTEM)
        self.changed.emit()
