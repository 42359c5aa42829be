"""The dataset's target model: pick one ftstudio knows or type a snapshot or ``ft:`` name."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal, Slot
from PySide6.QtWidgets import QWidget

from ftstudio.core.models import default_table
from ftstudio.gui.widgets.model_combo import ModelCombo

TIP = (
    "The OpenAI model you want to fine-tune. It decides how text is cut into "
    "tokens, the longest example it accepts and the price. You can also type a "
    "dated version (gpt-4o-mini-2024-07-18) or one of your fine-tuned models (ft:…)."
)


class TargetModelPicker(ModelCombo):
    """The models of ftstudio's table (the Validator and Cost tabs), any other typed.

    Emits :attr:`model_picked` once per committed choice (a list pick, or Enter /
    leaving the field after typing), never on every keystroke, so a caller that
    re-validates on a model change does not re-validate per letter.
    """

    model_picked = Signal(str)
    """The user chose a model (the name as typed, stripped)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Target model", TIP, parent)
        for name in default_table().names():
            self.add_model(name)
        self._committed = self.typed_model()
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
            self.show_model(name)
        self._committed = name

    @Slot()
    def _commit(self) -> None:
        name = self.typed_model()
        if not name:
            self.set_model(self._committed)  # an emptied field means "no change"
            return
        if name != self._committed:
            self._committed = name
            self.model_picked.emit(name)
