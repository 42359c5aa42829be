"""An editable list of base models: pick one or type a snapshot or ``ft:`` name."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal, Slot
from PySide6.QtWidgets import QComboBox, QWidget

from ftstudio.core.models import default_table


class ModelPicker(QComboBox):
    """A combo box of the models ftstudio knows, where any other name can be typed.

    Emits :attr:`model_picked` once per committed choice (a list pick, or Enter /
    leaving the field after typing), never on every keystroke, so a caller that
    re-validates on a model change does not re-validate per letter.
    """

    model_picked = Signal(str)
    """The user chose a model (the name as typed, stripped)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(default_table().names())
        self.setAccessibleName("Target model")
        self.setToolTip(
            "The OpenAI model you want to fine-tune. It decides how text is cut "
            "into tokens, the longest example it accepts and the price. You can "
            "also type a dated version (gpt-4o-mini-2024-07-18) or one of your "
            "fine-tuned models (ft:…)."
        )
        self._committed = self.currentText()
        self.activated.connect(self._commit)
        line = self.lineEdit()
        if line is not None:
            line.editingFinished.connect(self._commit)

    @property
    def chosen_model(self) -> str:
        """Return the last committed model name."""
        return self._committed

    def set_model(self, name: str) -> None:
        """Show ``name`` without emitting :attr:`model_picked`."""
        with QSignalBlocker(self):
            index = self.findText(name)
            if index >= 0:
                self.setCurrentIndex(index)
            else:
                self.setEditText(name)
        self._committed = name

    @Slot()
    def _commit(self) -> None:
        name = self.currentText().strip()
        if not name:
            self.set_model(self._committed)  # an emptied field means "no change"
            return
        if name != self._committed:
            self._committed = name
            self.model_picked.emit(name)
