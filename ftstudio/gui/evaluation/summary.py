"""The aggregate: per-model mean with its interval, the comparison, and a chart of scores."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ftstudio.core.evaluation.report import COLOURS, bins
from ftstudio.core.evaluation.scoring import JUDGE_SCALE, format_score
from ftstudio.core.evaluation.stats import distribution

if TYPE_CHECKING:
    from ftstudio.core.evaluation.scoring import Metric
    from ftstudio.core.evaluation.table import EvalTable


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def summary_html(table: EvalTable, metric: Metric, pair: tuple[int, int]) -> str:
    """Return each model's mean (95% interval) and the chosen pair's comparison.

    Each model's square has its colour in the chart.
    """
    lines = []
    for side, model in enumerate(table.models):
        s = table.summary(metric, side)
        colour = COLOURS[side % len(COLOURS)]
        lines.append(
            f"<span style='color:{colour}'>■</span> <b>{html.escape(model)}</b>: mean {_num(s.mean)} (95% interval "
            f"{_num(s.low)} to {_num(s.high)}), {s.count} of {len(table.cases)} scored"
        )
    if len(table.models) > 1:
        c = table.comparison(metric, *pair)
        lines.append(
            f"<b>{html.escape(c.sentence())}</b> ({c.wins} wins, {c.ties} ties, "
            f"{c.losses} losses for {html.escape(c.second)})"
        )
        first, ties, second = table.human_tally(c.first, c.second)
        if first + ties + second:
            lines.append(
                f"Blind human judgement: {html.escape(c.first)} preferred {first} times, "
                f"{html.escape(c.second)} {second} times, {ties} ties."
            )
    return "<br>".join(lines)


class SummaryPanel(QWidget):
    """The numbers in words above a bar chart of how the scores spread, per model."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Evaluation summary")
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(160)
        self.plot.setLabel("left", "tests")
        self.plot.setMouseEnabled(x=False, y=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.plot, 1)

    def show_table(
        self, table: EvalTable, metric: Metric, pair: tuple[int, int]
    ) -> None:
        """Show the summary and chart of ``table`` scored by ``metric``."""
        self.text.setText(summary_html(table, metric, pair))
        self.plot.clear()
        steps = bins(metric)
        width = 0.8 / max(1, len(table.models))
        ticks = []
        for side in range(len(table.models)):
            scores = [s for s in table.scores(metric, side) if s is not None]
            centres, counts = distribution(scores, steps)
            xs = [
                i + (side - (len(table.models) - 1) / 2) * width for i in range(steps)
            ]
            colour = COLOURS[side % len(COLOURS)]
            bars = pg.BarGraphItem(x=xs, height=counts, width=width, brush=colour)
            self.plot.addItem(bars)
            ticks = [
                (i, format_score(metric, c) if steps <= JUDGE_SCALE else f"{c:.2f}")
                for i, c in enumerate(centres)
            ]
        self.plot.getAxis("bottom").setTicks([ticks])
        self.plot.setLabel("bottom", metric.label)
