"""The model that answers in the Playground and Evaluation, in groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ftstudio.gui.widgets.model_combo import ModelCombo

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ftstudio.core.chat.models import ModelChoices

GROUPS = (
    ("base", "Base models"),
    ("tuned", "Your fine-tuned models"),
    ("checkpoints", "Checkpoints"),
)
TIP = (
    "The model that answers: a base model, one of your fine-tuned models (ft:…), "
    "or a checkpoint. You can also type a name."
)


class ChatModelPicker(ModelCombo):
    """Pick a model from the service's list (base, fine-tuned, checkpoints) or type one."""

    def __init__(self, default: str = "", parent: QWidget | None = None) -> None:
        super().__init__("Model", TIP, parent)
        if default:
            self.setEditText(default)

    @property
    def model_name(self) -> str:
        """Return the chosen (or typed) model name."""
        return self.typed_model()

    def set_model_name(self, name: str) -> None:
        """Show ``name`` as the chosen model (it need not be in the list)."""
        self.show_model(name)

    def set_choices(self, choices: ModelChoices) -> None:
        """Fill the list with the service's models, keeping the current choice."""
        current = self.model_name
        self.entries.clear()
        for attr, title in GROUPS:
            names: tuple[str, ...] = getattr(choices, attr)
            if not names:
                continue
            self.add_header(title)
            for name in names:
                self.add_model(name)
        self.set_model_name(current)
