"""Loss and token-accuracy plots (pyqtgraph, built on first show), with hover values.

pyqtgraph costs about 0.3 s to import, so the plots are built the first time the
tab is shown. Every curve clips to the view and downsamples by peaks, so a job
of 100,000 steps redraws in milliseconds and spikes stay visible.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ftstudio.core.monitor.metrics import (
    LABELS,
    SERIES,
    MetricSeries,
    moving_average,
    step_summary,
)
from ftstudio.gui.theme import paint_plots

if TYPE_CHECKING:
    import numpy as np

KINDS = {"train": "Training", "valid": "Validation", "full_valid": "Full validation"}
"""The three kinds of series the user can show or hide, with their plain names."""
_COLORS = {
    "train": QColor(31, 119, 180),
    "valid": QColor(230, 120, 0),
    "full_valid": QColor(44, 160, 44),
}


def legend_row() -> QLabel:
    """Return the colours of the three kinds of curve as one line of text."""
    parts = [
        f"<span style='color: {_COLORS[kind].name()}'>&#9644;&#9644;</span> {title}"
        for kind, title in KINDS.items()
    ]
    label = QLabel("&nbsp;&nbsp;&nbsp;".join(parts))
    label.setAccessibleName("Legend: " + ", ".join(KINDS.values()))
    label.setAlignment(Qt.AlignmentFlag.AlignRight)
    return label


REDRAW_MS = 100
"""Live points are drawn at most this often (metric events arrive in bursts)."""
THIN_ABOVE = 10_000
"""Curves with more points are drawn 1 px wide: Qt draws wide lines about twice as
slowly, and a dense curve reads as well thin (bench/monitor_bench.py)."""
LABELLED_CHECKPOINTS = 5
"""With more checkpoints than this, only the last one is labelled (the rest overlap)."""


def kind_of(name: str) -> str:
    """Return ``train``, ``valid`` or ``full_valid`` for a series name."""
    return name.removesuffix("_mean_token_accuracy").removesuffix("_loss")


class MetricsPlot(QWidget):
    """Training, validation and full validation loss over steps; accuracy below."""

    def __init__(self, series: MetricSeries, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = series
        self._smoothing = 1
        self._hidden: set[str] = set()
        self._epochs: list[float] = []
        self._checkpoints: list[int] = []
        self.legend: QLabel | None = None
        self._plots: list[Any] = []  # loss, accuracy PlotWidgets once built
        self._main: dict[str, Any] = {}  # bold curve: smoothed, or raw when off
        self._shadow: dict[str, Any] = {}  # faint raw points under a smoothed curve
        self._width: dict[str, int] = {}  # pen width each bold curve has now
        self._markers: list[Any] = []
        self._cursor: list[Any] = []
        self._proxies: list[Any] = []  # keep the hover proxies alive
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_MS)
        self._redraw_timer.timeout.connect(self.redraw)
        self.hover_label = QLabel("Point at the plot to read the values at a step.")
        self.hover_label.setWordWrap(True)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.hover_label)
        self.setAccessibleName("Training curves")

    @property
    def built(self) -> bool:
        """Whether the pyqtgraph plots exist yet."""
        return bool(self._plots)

    # what to draw ----------------------------------------------------------------
    def schedule_redraw(self) -> None:
        """Redraw soon, once for a burst of new points."""
        if self.built and not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def set_smoothing(self, window: int) -> None:
        """Average each curve over ``window`` points (1 = raw points only)."""
        self._smoothing = max(1, window)
        self.redraw()

    def set_kind_visible(self, kind: str, visible: bool) -> None:
        """Show or hide one kind of series (``train``, ``valid``, ``full_valid``)."""
        if visible:
            self._hidden.discard(kind)
        else:
            self._hidden.add(kind)
        self.redraw()

    def set_marks(self, epochs: list[float], checkpoints: list[int]) -> None:
        """Mark epoch ends (dashed) and checkpoints (dotted, labelled)."""
        if epochs == self._epochs and checkpoints == self._checkpoints:
            return
        self._epochs, self._checkpoints = list(epochs), list(checkpoints)
        if self.built:
            self._draw_marks()

    def curve_data(
        self, name: str
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Return the points of the bold curve of ``name`` as plotted (all of them)."""
        import numpy as np

        curve = self._main.get(name)
        if curve is None or curve.xData is None or not curve.isVisible():
            return np.zeros(0), np.zeros(0)
        return curve.xData, curve.yData

    # building -------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        if not self.built:
            self.build()
        super().showEvent(event)

    def build(self) -> None:
        """Create the plots (normally on first show)."""
        if self.built:
            return
        import pyqtgraph as pg

        text = self.palette().color(QPalette.ColorRole.WindowText)
        for title, y_label in (("Loss", "loss"), ("Token accuracy", "accuracy")):
            plot = pg.PlotWidget()
            plot.setAccessibleName(title)
            plot.setTitle(title)
            plot.setLabel("left", y_label)
            plot.setLabel("bottom", "step")
            for axis in ("left", "bottom"):
                # "accuracy (x0.001)" with 200..800 would confuse anyone
                plot.getAxis(axis).enableAutoSIPrefix(False)
            item = plot.getPlotItem()
            item.setClipToView(True)
            item.setDownsampling(auto=True, mode="peak")
            plot.hideButtons()
            plot.setMinimumHeight(140)
            self._plots.append(plot)
        self._apply_palette()
        loss, accuracy = self._plots
        # one legend for both plots, in a row above them: inside a plot it
        # covered the curves wherever they happened to run
        self.legend = legend_row()
        accuracy.setXLink(loss)
        self._layout.insertWidget(0, self.legend)
        self._layout.insertWidget(1, loss, 3)
        self._layout.insertWidget(2, accuracy, 2)
        for name in SERIES:
            plot = loss if name.endswith("_loss") else accuracy
            color = _COLORS[kind_of(name)]
            faint = QColor(color)
            faint.setAlpha(60)
            self._shadow[name] = plot.plot(pen=pg.mkPen(faint))
            symbol = "o" if kind_of(name) == "full_valid" else None
            self._main[name] = plot.plot(
                pen=pg.mkPen(color, width=2),
                symbol=symbol,
                symbolSize=7,
                symbolBrush=color,
                symbolPen=color,
            )
        for plot in self._plots:
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(text))
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
            self._cursor.append(line)
        self._proxies = [
            pg.SignalProxy(
                plot.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved
            )
            for plot in self._plots
        ]
        self._draw_marks()
        self.redraw()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.built:
            self._apply_palette()  # the theme changed: plots follow the window

    def _apply_palette(self) -> None:
        text = paint_plots(self._plots, self.palette())
        for line in self._cursor:
            line.setPen(text)

    def _draw_marks(self) -> None:
        import pyqtgraph as pg

        for plot, mark in self._markers:
            plot.removeItem(mark)
        self._markers = []
        grey = self.palette().color(QPalette.ColorRole.PlaceholderText)
        purple = QColor(140, 60, 170)
        for index, plot in enumerate(self._plots):
            for step in self._epochs:
                mark = pg.InfiniteLine(
                    step,
                    angle=90,
                    movable=False,
                    pen=pg.mkPen(grey, style=Qt.PenStyle.DashLine),
                )
                plot.addItem(mark, ignoreBounds=True)
                self._markers.append((plot, mark))
            for step in self._checkpoints:
                mark = pg.InfiniteLine(
                    step,
                    angle=90,
                    movable=False,
                    pen=pg.mkPen(purple, style=Qt.PenStyle.DotLine, width=2),
                    label="checkpoint" if index == 0 and self._labelled(step) else None,
                    labelOpts={"position": 0.92, "color": purple},
                )
                plot.addItem(mark, ignoreBounds=True)
                self._markers.append((plot, mark))

    def _labelled(self, step: int) -> bool:
        # a local job saves one checkpoint an epoch: thirty labels would overlap
        few = len(self._checkpoints) <= LABELLED_CHECKPOINTS
        return few or step == self._checkpoints[-1]

    @Slot()
    def redraw(self) -> None:
        """Draw every series from the metric store as it is now."""
        if not self.built:
            return
        import pyqtgraph as pg

        window = self._smoothing
        for name in SERIES:
            main, shadow = self._main[name], self._shadow[name]
            visible = kind_of(name) not in self._hidden and self.series.has(name)
            main.setVisible(visible)
            # full validation has one point an epoch: averaging it would hide it
            smooth = window > 1 and kind_of(name) != "full_valid"
            shadow.setVisible(visible and smooth)
            if not visible:
                continue
            steps, values = self.series.arrays(name)
            width = 1 if steps.size > THIN_ABOVE else 2
            if self._width.get(name, 2) != width:
                self._width[name] = width
                main.setPen(pg.mkPen(_COLORS[kind_of(name)], width=width))
            if smooth:
                shadow.setData(steps, values)
                main.setData(steps, moving_average(values, window))
            else:
                shadow.setData([], [])
                main.setData(steps, values)

    # hover ----------------------------------------------------------------------
    def _on_mouse_moved(self, event: tuple[QPointF]) -> None:
        scene_pos = event[0]
        for plot in self._plots:
            if plot.sceneBoundingRect().contains(scene_pos):
                x = plot.getPlotItem().vb.mapSceneToView(scene_pos).x()
                self.hover_at(float(x))
                return

    def hover_at(self, x: float) -> str:
        """Show the values at the step nearest ``x``; return the text shown."""
        summary = step_summary(self.series, x)
        if summary is None:
            return self.hover_label.text()
        step, text = summary
        for line in self._cursor:
            line.setValue(step)
            line.setVisible(True)
        self.hover_label.setText(text)
        return text

    # export ---------------------------------------------------------------------
    def export_png(self, path: Path) -> bool:
        """Save both plots as one PNG; return whether it was written."""
        if not self.built:
            self.build()
        self.redraw()
        return self.grab().save(str(path), "PNG")


__all__ = ["KINDS", "LABELS", "MetricsPlot", "kind_of"]
