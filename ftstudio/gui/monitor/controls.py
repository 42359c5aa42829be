"""The row under the plot: show or hide series, smoothing slider, export buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QWidget,
)

from ftstudio.gui.monitor.plots import KINDS

if TYPE_CHECKING:
    from ftstudio.gui.monitor.plots import MetricsPlot

MAX_SMOOTHING = 100
"""The slider's largest moving-average window, in points."""


def smoothing_text(window: int) -> str:
    """Describe the smoothing window in words."""
    return "Smoothing: off" if window <= 1 else f"Smoothing: average of {window} steps"


class PlotControls(QWidget):
    """Check boxes per series kind, a smoothing slider, and export buttons."""

    export_png_requested = Signal()
    """The user asked to save the plot as a picture."""
    export_csv_requested = Signal()
    """The user asked to save the metrics as CSV."""

    def __init__(self, plot: MetricsPlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plot = plot
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for kind, words in KINDS.items():
            box = QCheckBox(words)
            box.setChecked(True)
            box.setToolTip(f"Show or hide the {words.lower()} curves")
            box.toggled.connect(self._on_toggled)
            layout.addWidget(box)
            self.boxes[kind] = box
        layout.addSpacing(16)
        self.smoothing_label = QLabel(smoothing_text(1))
        # wide enough for the longest text, so the slider does not jump
        longest = smoothing_text(MAX_SMOOTHING)
        self.smoothing_label.setMinimumWidth(
            self.smoothing_label.fontMetrics().horizontalAdvance(longest) + 8
        )
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(1, MAX_SMOOTHING)
        self.smoothing.setValue(1)
        self.smoothing.setAccessibleName("Smoothing")
        self.smoothing.setToolTip(
            "Average each curve over nearby steps to see the trend through the noise; "
            "the raw points stay visible, faint"
        )
        self.smoothing.setMaximumWidth(180)
        self.smoothing.valueChanged.connect(self._on_smoothing)
        layout.addWidget(self.smoothing_label)
        layout.addWidget(self.smoothing)
        layout.addStretch(1)
        png = QPushButton("Save plot…")
        png.setToolTip("Save the curves as a PNG picture")
        png.clicked.connect(self.export_png_requested)
        csv = QPushButton("Save metrics…")
        csv.setToolTip(
            "Save every step's metrics as a CSV file (opens in a spreadsheet)"
        )
        csv.clicked.connect(self.export_csv_requested)
        layout.addWidget(png)
        layout.addWidget(csv)

    @Slot(bool)
    def _on_toggled(self, _checked: bool) -> None:
        for kind, box in self.boxes.items():
            self._plot.set_kind_visible(kind, box.isChecked())

    @Slot(int)
    def _on_smoothing(self, value: int) -> None:
        self.smoothing_label.setText(smoothing_text(value))
        self._plot.set_smoothing(value)
