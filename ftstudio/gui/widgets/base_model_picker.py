"""The base-model picker: the service's models, the user's own, and what to know of them."""

from __future__ import annotations

from collections.abc import Generator
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ftstudio.core.models import DEFAULT_MODEL
from ftstudio.gui.widgets.model_choices import ModelChoice, choices_from_service
from ftstudio.gui.widgets.model_combo import ModelCombo
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    import openai

    from ftstudio.core.cancel import CancelToken


TIP = (
    "The model to fine-tune: a base model, or one of your fine-tuned models to "
    "continue training it."
)


class BaseModelPicker(QWidget):
    """The model a job trains (the Launch tab): the service's list, with a warning line.

    Entries say what matters before training: a shutdown date, your own model,
    a local model's size and whether it fits. A name not listed can be typed.
    """

    model_changed = Signal(str)
    """The chosen model's name changed."""
    model_picked = Signal(str)
    """The user chose a model (a list pick, or Enter / leaving the field after typing)."""
    load_failed = Signal(object)
    """Listing the service's models failed with this :class:`FtError`."""
    loaded = Signal()
    """The service's models are listed (an earlier listing error is moot)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = date.today()
        self._choices: dict[str, ModelChoice] = {}
        self._runner = TaskRunner(self)
        self.combo = ModelCombo("Base model", TIP)
        self.combo.add_model(DEFAULT_MODEL)
        self._shown = DEFAULT_MODEL
        self.combo.currentTextChanged.connect(self._on_text)
        # a choice, not every keystroke: whoever re-validates on it does so once
        self.combo.activated.connect(self._on_picked)
        line = self.combo.lineEdit()
        if line is not None:
            line.editingFinished.connect(self._on_picked)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Base model note")
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.note)

    def load(self, client: openai.OpenAI) -> None:
        """List the service's models in the background, then offer them."""

        def run(cancel: CancelToken) -> Generator[Any, None, list[ModelChoice]]:
            from ftstudio.core.api.retry import with_retries

            page = yield from with_retries(client.models.list, cancel)
            return choices_from_service(page.data)

        task = self._runner.start(run, "Listing the models")
        task.succeeded.connect(self.set_choices)
        task.succeeded.connect(self.loaded)
        task.failed.connect(self.load_failed)
        task.start()

    def drop_listing(self) -> None:
        """Forget a listing still running: what it ends with is about another service."""
        self._runner.discard()

    def shutdown(self) -> None:
        """Stop a listing still running and wait for it."""
        self._runner.shutdown()

    @Slot(object)
    def set_choices(self, choices: list[ModelChoice]) -> None:
        """List ``choices``, keeping the current model chosen when it is listed."""
        current = self.model()
        self._choices = {c.name: c for c in choices}
        self.combo.blockSignals(True)
        self.combo.entries.clear()
        for choice in choices:
            tip = choice.local.fit_words() if choice.local is not None else ""
            # greyed when unusable: listed, with the reason, but not chosen
            self.combo.add_model(choice.name, choice.label(), tip, choice.usable)
        if current not in self._choices and self.has_local():
            # on this computer an OpenAI name means nothing: take the first that fits
            current = next((c.name for c in choices if c.local and c.usable), current)
        self.combo.show_model(current)
        self.combo.blockSignals(False)
        self._on_text()

    def model(self) -> str:
        """Return the chosen model's name (the typed text when it is not listed)."""
        return self.combo.typed_model()

    def has_local(self) -> bool:
        """Whether the list holds base models on this computer (the local trainer)."""
        return any(c.local is not None for c in self._choices.values())

    def problem(self) -> str:
        """Return why the chosen model cannot be trained here, or ""."""
        choice = self._choices.get(self.model())
        return choice.warning(self.today) if choice and not choice.usable else ""

    def set_model(self, name: str) -> None:
        """Choose ``name`` (typed in when it is not listed).

        With models on this computer listed, a name they do not include (a
        dataset's OpenAI target model) leaves the choice as it is.
        """
        if self.has_local() and name not in self._choices:
            return
        self.combo.show_model(name)

    def warning(self) -> str:
        """Return the warning for the chosen model (does not fit, shuts down), or ""."""
        choice = self._choices.get(self.model())
        return choice.warning(self.today) if choice is not None else ""

    @Slot()
    def _on_picked(self, *_args: object) -> None:
        name = self.model()
        if name:
            self.model_picked.emit(name)

    @Slot()
    def _on_text(self, *_args: object) -> None:
        warning = self.warning()
        choice = self._choices.get(self.model())
        local = choice.local if choice is not None else None
        # a model on this computer always says whether (and how) it fits
        text = warning or (local.fit_words() if local is not None else "")
        self.note.setText(text)
        self.note.setStyleSheet("color: #8a4b00;" if warning else "")
        self.note.setVisible(bool(text))
        if self.model() != self._shown:  # a new list with the same choice is no change
            self._shown = self.model()
            self.model_changed.emit(self._shown)
