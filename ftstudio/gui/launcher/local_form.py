"""Settings only a job on this computer has: LoRA on or off, its rank and alpha, a learning rate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.hyperparams import BOUNDS, LOCAL_DEFAULTS, LORA_EXPLAIN

if TYPE_CHECKING:
    from ftstudio.gui.launcher.hyper_form import HyperForm
    from ftstudio.gui.widgets.base_model_picker import BaseModelPicker

INTRO = (
    "These settings exist only when training on this computer. The defaults suit "
    "most tasks; hover over a setting for what it does."
)
LEARNING_RATE = 0.0001
"""Shown when the user turns the learning rate's "Auto" off: a usual LoRA rate."""


def _tip(name: str) -> str:
    bound = BOUNDS[name]
    return f"{bound.explain}\n\nAllowed: {bound.describe()}."


def _int_spin(name: str) -> QSpinBox:
    bound = BOUNDS[name]
    box = QSpinBox()
    box.setRange(int(bound.low), int(bound.high))
    box.setValue(int(LOCAL_DEFAULTS[name]))
    box.setAccessibleName(bound.label)
    box.setToolTip(_tip(name))
    box.setMinimumWidth(120)
    return box


class LocalForm(QWidget):
    """The local trainer's extra hyperparameters, each explained in plain words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        # numbers keep their size, as in the training settings above
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.lora = QCheckBox("Train a small add-on (LoRA), not the whole model")
        self.lora.setChecked(bool(LOCAL_DEFAULTS["lora"]))
        self.lora.setAccessibleName("LoRA")
        self.lora.setToolTip(LORA_EXPLAIN)
        self.lora.toggled.connect(self._on_lora)
        form.addRow("LoRA:", self.lora)
        self.lora_note = QLabel()
        self.lora_note.setWordWrap(True)
        self.lora_note.setAccessibleName("LoRA note")
        form.addRow(self.lora_note)  # spanning: a wrapped label in a field gets cut
        self.rank = _int_spin("lora_r")
        form.addRow(f"{BOUNDS['lora_r'].label}:", self.rank)
        self.alpha = _int_spin("lora_alpha")
        form.addRow(f"{BOUNDS['lora_alpha'].label}:", self.alpha)
        self.rate_auto = QCheckBox("Auto")
        self.rate_auto.setChecked(True)
        self.rate_auto.setAccessibleName("Learning rate: automatic")
        self.rate_auto.setToolTip(
            _tip("learning_rate")
            + "\n\nAuto: the base rate times the learning-rate multiplier above."
        )
        self.rate = QDoubleSpinBox()
        self.rate.setDecimals(6)
        bound = BOUNDS["learning_rate"]
        self.rate.setRange(0.000001, bound.high)
        # steps follow the magnitude: 0.0002 goes to 0.00021, not to 0.0102
        self.rate.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.rate.setValue(LEARNING_RATE)
        self.rate.setEnabled(False)
        self.rate.setAccessibleName(bound.label)
        self.rate.setToolTip(self.rate_auto.toolTip())
        self.rate.setMinimumWidth(120)
        self.rate_auto.toggled.connect(self._on_rate_auto)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate_auto)
        rate_row.addWidget(self.rate)
        rate_row.addStretch(1)
        form.addRow(f"{bound.label}:", rate_row)
        self._on_lora(self.lora.isChecked())

    @Slot(bool)
    def _on_lora(self, on: bool) -> None:
        self.rank.setEnabled(on)
        self.alpha.setEnabled(on)
        self.lora_note.setText(
            "Only the add-on is trained and saved: quick, and small on disk."
            if on
            else "Every weight of the model is trained: several times more GPU "
            "memory, and each checkpoint is a full copy of the model."
        )

    @Slot(bool)
    def _on_rate_auto(self, auto: bool) -> None:
        self.rate.setEnabled(not auto)

    def values(self) -> dict[str, Any]:
        """Return the form's values: ``lora``, ``lora_r``, ``lora_alpha``, ``learning_rate``."""
        return {
            "lora": self.lora.isChecked(),
            "lora_r": int(self.rank.value()),
            "lora_alpha": int(self.alpha.value()),
            "learning_rate": "auto"
            if self.rate_auto.isChecked()
            else float(self.rate.value()),
        }

    def payload(self) -> dict[str, Any]:
        """Return the extra hyperparameters for the job, checked.

        Raises
        ------
        FtError
            When a value is not allowed, saying which and why.
        """
        from ftstudio.core.hyperparams import local_payload

        return local_payload(self.values())


def job_params(
    picker: BaseModelPicker, hyper: HyperForm, local: LocalForm, local_running: bool
) -> dict[str, Any]:
    """Return the job's keywords from the forms; a local job adds LoRA and rate.

    Raises
    ------
    FtError
        For a value not allowed, or a model on this computer that does not fit.
    """
    problem = picker.problem()
    if problem:
        raise FtError(ErrorKind.INPUT, problem)
    params = hyper.job_params()
    if local_running:
        section = params["method"][hyper.method_name()]
        section["hyperparameters"].update(local.payload())
    return params
