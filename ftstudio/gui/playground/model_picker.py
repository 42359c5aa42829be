"""An editable model picker with groups: base models, fine-tuned models, checkpoints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QWidget

if TYPE_CHECKING:
    from ftstudio.core.chat.models import ModelChoices

GROUPS = (
    ("base", "Base models"),
    ("tuned", "Your fine-tuned models"),
    ("checkpoints", "Checkpoints"),
)


class ModelPicker(QComboBox):
    """Pick a model from the service's list, or type any model name."""

    def __init__(self, default: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(28)
        self.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.setToolTip(
            "The model that answers: a base model, one of your fine-tuned models "
            "(ft:…), or a checkpoint. You can also type a name."
        )
        self._items = QStandardItemModel(self)
        self.setModel(self._items)
        if default:
            self.setEditText(default)

    @property
    def model_name(self) -> str:
        """Return the chosen (or typed) model name."""
        return self.currentText().strip()

    def set_model_name(self, name: str) -> None:
        """Show ``name`` as the chosen model (it need not be in the list)."""
        index = self.findText(name, Qt.MatchFlag.MatchExactly)
        if index >= 0 and self._items.item(index).isEnabled():
            self.setCurrentIndex(index)
        self.setEditText(name)

    def set_choices(self, choices: ModelChoices) -> None:
        """Fill the list with the service's models, keeping the current choice."""
        current = self.model_name
        self._items.clear()
        for attr, title in GROUPS:
            names: tuple[str, ...] = getattr(choices, attr)
            if not names:
                continue
            header = QStandardItem(title)
            # a header is a label, not a model: it cannot be chosen
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self._items.appendRow(header)
            for name in names:
                self._items.appendRow(QStandardItem(name))
        self.set_model_name(current)
