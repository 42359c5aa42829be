"""Training method and settings: each hyperparameter "auto" unless the user sets it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.hyperparams import BOUNDS, METHOD_PARAMS, SUFFIX_MAX, Bound

METHODS = (
    ("supervised", "Supervised (learn from example replies)"),
    ("dpo", "Preference (DPO: learn which reply is better)"),
)
SEED_MAX = 2**31 - 1
METADATA_MAX = 15  # the service allows 16 keys; ftstudio tags each launch with one


def _spin(bound: Bound) -> QAbstractSpinBox:
    if bound.integer:
        box = QSpinBox()
        box.setRange(int(bound.low), int(bound.high))
        box.setValue(max(int(bound.low), 3 if bound.name == "n_epochs" else 1))
        return box
    dbox = QDoubleSpinBox()
    dbox.setDecimals(3)
    dbox.setSingleStep(0.05)
    # an exclusive lower bound (more than 0): the smallest step above it
    dbox.setRange(bound.low + 0.001 if bound.low_exclusive else bound.low, bound.high)
    dbox.setValue(0.1 if bound.name == "beta" else 1.0)
    return dbox


class ParamRow(QWidget):
    """One hyperparameter: an "Auto" box, and a number limited to the documented range."""

    def __init__(
        self, bound: Bound, allowed: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.bound = bound
        allowed = allowed or bound.describe()
        tip = f"{bound.explain}\n\nAllowed: {allowed}, or auto (the service picks)."
        self.auto = QCheckBox("Auto")
        self.auto.setChecked(True)
        self.auto.setToolTip(tip)
        self.auto.setAccessibleName(f"{bound.label}: automatic")
        self.spin = _spin(bound)
        self.spin.setToolTip(tip)
        self.spin.setAccessibleName(bound.label)
        self.spin.setEnabled(False)
        self.auto.toggled.connect(self._on_auto)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.auto)
        layout.addWidget(self.spin)
        layout.addStretch(1)
        self.spin.setMinimumWidth(120)

    @Slot(bool)
    def _on_auto(self, auto: bool) -> None:
        self.spin.setEnabled(not auto)

    def value(self) -> int | float | str:
        """Return "auto" or the number set."""
        if self.auto.isChecked():
            return "auto"
        spin = self.spin
        if isinstance(spin, QSpinBox):
            return int(spin.value())
        assert isinstance(spin, QDoubleSpinBox)
        return float(spin.value())

    def set_value(self, value: int | float | str) -> None:
        """Set "auto" or a number."""
        self.auto.setChecked(value == "auto")
        if value != "auto":
            spin = self.spin
            if isinstance(spin, QSpinBox):
                spin.setValue(int(value))
            elif isinstance(spin, QDoubleSpinBox):
                spin.setValue(float(value))


def parse_metadata(text: str) -> dict[str, str]:
    """Parse "key=value, key=value" into a dict; raise a plain FtError when malformed."""
    result: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            msg = f'Write metadata as key=value pairs separated by commas ("{part}" has no "=").'
            raise FtError(ErrorKind.INPUT, msg)
        if len(key) > 64 or len(value) > 512:
            msg = "Metadata keys can have at most 64 characters and values at most 512."
            raise FtError(ErrorKind.INPUT, msg)
        result[key] = value
    if len(result) > METADATA_MAX:
        raise FtError(
            ErrorKind.INPUT, f"At most {METADATA_MAX} metadata pairs can be given."
        )
    return result


class HyperForm(QWidget):
    """Method, hyperparameters, suffix, seed and metadata of a new job."""

    changed = Signal()
    """The method or an epoch count changed (the cost and checks depend on them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.method = QComboBox()
        self.method.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.method.setAccessibleName("Training method")
        for key, label in METHODS:
            self.method.addItem(label, key)
        self.method.setToolTip(
            "Supervised training copies the example replies. Preference training "
            "(DPO) needs a file with a preferred and a non-preferred reply per example."
        )
        form.addRow("Method:", self.method)
        self.rows: dict[str, ParamRow] = {}
        used = {name for names in METHOD_PARAMS.values() for name in names}
        for name, bound in BOUNDS.items():
            if name not in used:  # the local trainer's have their own form
                continue
            row = ParamRow(bound)
            self.rows[name] = row
            form.addRow(f"{bound.label}:", row)
        self._form = form
        self.suffix = QLineEdit()
        self.suffix.setMaximumWidth(420)
        self.suffix.setMaxLength(SUFFIX_MAX)
        self.suffix.setAccessibleName("Model name suffix")
        self.suffix.setPlaceholderText("optional, e.g. support-bot")
        self.suffix.setToolTip(
            f"Up to {SUFFIX_MAX} characters added to the new model's name, so you can "
            "recognise it."
        )
        form.addRow("Name suffix:", self.suffix)
        self.seed = ParamRow(
            Bound(
                "seed",
                "Seed",
                0,
                SEED_MAX,
                True,
                False,
                "Makes a run repeatable: the same seed, file and settings train the same "
                "way. Auto picks one at random.",
            ),
            allowed=f"a whole number from 0 to {SEED_MAX:,}",
        )
        form.addRow("Seed:", self.seed)
        self.metadata = QLineEdit()
        self.metadata.setMaximumWidth(420)
        self.metadata.setAccessibleName("Metadata")
        self.metadata.setPlaceholderText("optional, e.g. team=support, purpose=trial")
        self.metadata.setToolTip(
            "Labels for your own records, shown with the job: key=value pairs "
            "separated by commas."
        )
        form.addRow("Metadata:", self.metadata)
        self.method.currentIndexChanged.connect(self._on_method)
        self.rows["n_epochs"].auto.toggled.connect(self._emit_changed)
        spin = self.rows["n_epochs"].spin
        assert isinstance(spin, QSpinBox)
        spin.valueChanged.connect(self._emit_changed)
        self._on_method()

    @Slot(bool)
    def use_multiplier(self, used: bool) -> None:
        """Enable the multiplier, or grey it out while a learning rate replaces it."""
        row = self.rows["learning_rate_multiplier"]
        row.setEnabled(used)
        row.setToolTip(
            "" if used else "Not used: the learning rate set below replaces it."
        )

    def method_name(self) -> str:
        """Return "supervised" or "dpo"."""
        return str(self.method.currentData())

    def set_method(self, method: str) -> None:
        """Choose the training method."""
        self.method.setCurrentIndex(self.method.findData(method))

    def show_auto_epochs(self, epochs: int) -> None:
        """Show in the greyed Epochs box what Auto picks for this file.

        It is the number the cost beside it is computed with (1 for a big file).
        """
        row = self.rows["n_epochs"]
        if row.value() == "auto" and isinstance(row.spin, QSpinBox):
            row.spin.blockSignals(True)
            row.spin.setValue(epochs)
            row.spin.blockSignals(False)

    def epochs(self) -> int | None:
        """Return the epochs set, or None for auto."""
        value = self.rows["n_epochs"].value()
        return value if isinstance(value, int) else None

    @Slot()
    def _on_method(self, *_args: object) -> None:
        used = METHOD_PARAMS[self.method_name()]
        for name, row in self.rows.items():
            self._form.setRowVisible(row, name in used)
        self.changed.emit()

    @Slot()
    def _emit_changed(self, *_args: object) -> None:
        self.changed.emit()

    def job_params(self) -> dict[str, Any]:
        """Return the ``jobs.create`` keywords of this form (without model and files).

        Raises
        ------
        FtError
            When a value is not allowed, saying which and why.
        """
        from ftstudio.core.hyperparams import check_suffix, method_payload

        method = self.method_name()
        values = {name: self.rows[name].value() for name in METHOD_PARAMS[method]}
        params: dict[str, Any] = {"method": method_payload(method, values)}
        suffix = check_suffix(self.suffix.text().strip())
        if suffix:
            params["suffix"] = suffix
        seed = self.seed.value()
        if seed != "auto":
            params["seed"] = seed
        metadata = parse_metadata(self.metadata.text())
        if metadata:
            params["metadata"] = metadata
        return params
