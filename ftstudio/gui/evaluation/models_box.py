"""The models to evaluate: any number of pickers, each removable, one more on request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ftstudio.gui.widgets.chat_model_picker import ChatModelPicker

if TYPE_CHECKING:
    from ftstudio.core.chat.models import ModelChoices

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_MODELS = 8


class ModelsBox(QWidget):
    """A column of model pickers: base, fine-tuned, checkpoints, a candidate."""

    changed = Signal()
    """A model was added, removed or renamed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices: ModelChoices | None = None
        self.pickers: list[ChatModelPicker] = []
        self._rows: list[QWidget] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton("Add a model")
        self.add_button.setToolTip(
            "Compare one more model (a checkpoint, a candidate…)."
        )
        self.add_button.clicked.connect(self._add_clicked)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        self._layout.addLayout(add_row)

    def models(self) -> list[str]:
        """Return the chosen model names, in order, skipping empty pickers."""
        return [p.model_name for p in self.pickers if p.model_name]

    def set_models(self, names: list[str]) -> None:
        """Show exactly ``names`` (at least one picker stays)."""
        while self.pickers:
            self._remove(0)
        for name in names or [""]:
            self.add_model(name)

    def set_choices(self, choices: ModelChoices) -> None:
        """Fill every picker with the service's models."""
        self._choices = choices
        for picker in self.pickers:
            picker.set_choices(choices)

    @Slot()
    def _add_clicked(self) -> None:
        self.add_model("").setFocus()

    def add_model(self, name: str) -> ChatModelPicker:
        """Add a picker showing ``name``; return it."""
        picker = ChatModelPicker("")
        if self._choices is not None:
            picker.set_choices(self._choices)
        picker.set_model_name(name)
        picker.editTextChanged.connect(self.changed)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        label = QLabel()
        remove = QPushButton("Remove")
        remove.setToolTip("Leave this model out.")
        remove.clicked.connect(self._remove_clicked)
        line.addWidget(label)
        line.addWidget(picker, 1)
        line.addWidget(remove)
        self.pickers.append(picker)
        self._rows.append(row)
        self._layout.insertWidget(len(self._rows) - 1, row)
        self._relabel()
        self.changed.emit()
        return picker

    @Slot()
    def _remove_clicked(self) -> None:
        sender = self.sender()
        for index, row in enumerate(self._rows):
            if sender is not None and sender.parent() is row:
                self._remove(index)
                self._relabel()
                self.changed.emit()
                return

    def _remove(self, index: int) -> None:
        row = self._rows.pop(index)
        self.pickers.pop(index)
        self._layout.removeWidget(row)
        row.deleteLater()

    def _relabel(self) -> None:
        for index, row in enumerate(self._rows):
            label = row.findChild(QLabel)
            remove = row.findChild(QPushButton)
            if label is not None:
                label.setText(f"Model {LETTERS[index]}")
            if remove is not None:
                remove.setEnabled(len(self._rows) > 1)
            self.pickers[index].setAccessibleName(f"Model {LETTERS[index]}")
        self.add_button.setEnabled(len(self._rows) < MAX_MODELS)
