"""Histograms of tokens and messages per example (pyqtgraph, created on first show).

pyqtgraph takes about 0.3 s to import, so the plots are built the first time the
tab is shown, not when the window starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ftstudio.gui.theme import paint_plots

MAX_BINS = 40
TOKENS_TITLE = "Tokens per example"
MESSAGES_TITLE = "Messages per example"


def histogram(
    values: Sequence[int] | np.ndarray[Any, Any],
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Return ``(edges, counts)`` with whole-number bins and at most ``MAX_BINS`` bars."""
    arr = np.asarray(values, dtype=np.int64)
    if arr.size == 0:
        return np.array([0.0, 1.0]), np.array([0])
    low, high = int(arr.min()), int(arr.max()) + 1
    width = max(1, -(-(high - low) // MAX_BINS))  # ceil: integer-wide bins
    # half a step to the left: a whole number sits in the middle of its bar
    edges = np.arange(low, high + width, width, dtype=np.float64) - 0.5
    # bincount, not np.histogram: whole numbers need no search (400,000 in 2 ms)
    counts = np.bincount((arr - low) // width, minlength=len(edges) - 1)
    return edges, counts[: len(edges) - 1]


def limit_caption(
    tokens: Sequence[int] | np.ndarray[Any, Any], limit: int | None, over: int
) -> str:
    """Describe the longest example against the model's limit in words."""
    longest = int(np.max(tokens)) if len(tokens) else 0
    if limit is None:
        return f"Longest example: {longest:,} tokens. This model's limit is not known."
    if over:
        return (
            f"Longest example: {longest:,} tokens. {over:,} go past the limit of "
            f"{limit:,} tokens (dashed line) and will be cut off."
        )
    return f"Longest example: {longest:,} tokens; every example fits in the limit of {limit:,} tokens."


class HistogramPanel(QWidget):
    """Two histograms side by side, with the token limit as a dashed line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tokens: np.ndarray[Any, Any] = np.zeros(0, dtype=np.int64)
        self._messages: np.ndarray[Any, Any] = np.zeros(0, dtype=np.int64)
        self._limit: int | None = None
        self._over = 0
        self._plots: list[Any] = []  # pyqtgraph PlotWidgets once built
        self._limit_line: Any = None
        self._bars: dict[int, list[Any]] = {}  # plot id → its bar items
        self._row = QHBoxLayout()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._row, 1)
        layout.addWidget(self.caption)
        self.setAccessibleName("Histograms of tokens and messages per example")

    @property
    def built(self) -> bool:
        """Whether the pyqtgraph plots exist yet."""
        return bool(self._plots)

    def set_data(
        self,
        tokens: Sequence[int] | np.ndarray[Any, Any],
        messages: Sequence[int] | np.ndarray[Any, Any],
        limit: int | None,
    ) -> None:
        """Plot tokens and messages per example, and ``limit`` (None: unknown)."""
        self._tokens = np.asarray(tokens, dtype=np.int64)
        self._messages = np.asarray(messages, dtype=np.int64)
        self._limit = limit
        self._over = int(np.count_nonzero(self._tokens > limit)) if limit else 0
        self.caption.setText(
            limit_caption(self._tokens, limit, self._over)
            if self._tokens.size
            else "The charts appear once the examples have been checked."
        )
        for plot in self._plots:
            plot.setVisible(bool(self._tokens.size))
        if self.built:
            self._redraw()

    def showEvent(self, event: QShowEvent) -> None:
        if not self.built:
            self._build()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self.built:
            self._apply_palette()
            self._redraw()
        super().changeEvent(event)

    def _build(self) -> None:
        import pyqtgraph as pg

        for title, x_label in (
            (TOKENS_TITLE, "tokens"),
            (MESSAGES_TITLE, "messages"),
        ):
            plot = pg.PlotWidget()
            plot.setAccessibleName(title)
            plot.setTitle(title)
            plot.setLabel("bottom", x_label)
            plot.setLabel("left", "examples")
            plot.setMouseEnabled(x=True, y=False)
            plot.hideButtons()
            plot.setMinimumHeight(180)
            plot.setVisible(bool(self._tokens.size))
            self._row.addWidget(plot)
            self._plots.append(plot)
        self._limit_line = pg.InfiniteLine(angle=90, movable=False)
        self._plots[0].addItem(self._limit_line)
        self._apply_palette()
        self._redraw()

    def _apply_palette(self) -> None:
        import pyqtgraph as pg

        text = paint_plots(self._plots, self.palette())
        self._limit_line.setPen(pg.mkPen(text, width=2, style=Qt.PenStyle.DashLine))

    def _redraw(self) -> None:
        import pyqtgraph as pg

        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        for plot, values in zip(
            self._plots, (self._tokens, self._messages), strict=True
        ):
            for item in self._bars.pop(id(plot), ()):
                plot.removeItem(item)
            edges, counts = histogram(values)
            width = float(edges[1] - edges[0])
            bars = pg.BarGraphItem(
                x=(edges[:-1] + edges[1:]) / 2,
                height=counts,
                width=width * 0.85,  # a gap between bars: counts of whole numbers
                brush=highlight,
                pen=pg.mkPen(None),  # empty bins draw nothing
            )
            plot.addItem(bars)
            self._bars[id(plot)] = [bars]
            plot.setXRange(float(edges[0]), float(edges[-1]), padding=0.02)
        tokens_plot = self._plots[0]
        limit = self._limit
        self._limit_line.setVisible(limit is not None)
        if limit is not None:
            self._limit_line.setValue(limit)
        if self._tokens.size and limit is not None:
            low, longest = float(self._tokens.min()), float(self._tokens.max())
            # Show the limit when it is near the data; a limit far to the right
            # would squash every bar into one pixel (the caption says where it is).
            if limit <= 2 * longest:
                tokens_plot.setXRange(
                    min(low, limit), max(longest, limit), padding=0.05
                )
        tokens_plot.enableAutoRange(axis="y")
