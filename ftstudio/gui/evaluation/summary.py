"""The aggregate: per-model mean with its interval, the comparison, and a chart of scores."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ftstudio.core.evaluation.report import COLOURS
from ftstudio.core.evaluation.scoring import JUDGE_SCALE, format_score
from ftstudio.gui.theme import paint_plots

if TYPE_CHECKING:
    from ftstudio.core.evaluation.overview import Overview


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def summary_html(models: list[str], total: int, ov: Overview) -> str:
    """Return each model's mean (95% interval) and the chosen pair's comparison.

    Each model's square has its colour in the chart.
    """
    lines = []
    for side, (model, s) in enumerate(zip(models, ov.summaries, strict=True)):
        colour = COLOURS[side % len(COLOURS)]
        lines.append(
            f"<span style='color:{colour}'>■</span> <b>{html.escape(model)}</b>: mean "
            f"{_num(s.mean)} (95% interval {_num(s.low)} to {_num(s.high)}), "
            f"{s.count} of {total} scored"
        )
    c = ov.comparison
    if c is not None:
        lines.append(
            f"<b>{html.escape(c.sentence())}</b> ({c.wins} wins, {c.ties} ties, "
            f"{c.losses} losses for {html.escape(c.second)})"
        )
        first, ties, second = ov.human
        if first + ties + second:
            lines.append(
                f"Blind human judgement: {html.escape(c.first)} preferred {first} times, "
                f"{html.escape(c.second)} {second} times, {ties} ties."
            )
    elif len(models) > 1:
        lines.append("Pick two different models to compare.")
    return "<br>".join(lines)


class SummaryPanel(QWidget):
    """The numbers in words above a bar chart of how the scores spread, per model."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Evaluation summary")
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(160)
        self.plot.setLabel("left", "tests")
        self.plot.setMouseEnabled(x=False, y=False)
        paint_plots([self.plot], self.palette())  # as the Monitor's and Validator's
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.plot, 1)

    def changeEvent(self, event: QEvent) -> None:
        """Repaint the chart in the new colours after View → Theme."""
        if event.type() == QEvent.Type.PaletteChange:
            paint_plots([self.plot], self.palette())
        super().changeEvent(event)

    def show_overview(self, models: list[str], total: int, ov: Overview) -> None:
        """Show the summary and the chart of scores of a computed overview."""
        self.text.setText(summary_html(models, total, ov))
        self.plot.clear()
        width = 0.8 / max(1, len(models))
        ticks: list[tuple[int, str]] = []
        for side, (centres, counts) in enumerate(ov.distributions):
            xs = [
                i + (side - (len(models) - 1) / 2) * width for i in range(len(counts))
            ]
            colour = COLOURS[side % len(COLOURS)]
            self.plot.addItem(
                pg.BarGraphItem(x=xs, height=counts, width=width, brush=colour)
            )
            ticks = [
                (
                    i,
                    format_score(ov.metric, c)
                    if len(centres) <= JUDGE_SCALE
                    else f"{c:.2f}",
                )
                for i, c in enumerate(centres)
            ]
        self.plot.getAxis("bottom").setTicks([ticks])
        self.plot.setLabel("bottom", ov.metric.label)
