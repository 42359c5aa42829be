"""The Monitor's legend sits above the plots and never covers a curve."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ftstudio.core.monitor.metrics import MetricSeries
from ftstudio.gui.monitor.plots import KINDS, MetricsPlot

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


def test_the_legend_is_outside_the_plot_area(qtbot: QtBot) -> None:
    plot = MetricsPlot(MetricSeries())
    qtbot.addWidget(plot)
    plot.resize(500, 400)
    plot.show()
    qtbot.waitExposed(plot)
    loss, accuracy = plot._plots
    assert loss.getPlotItem().legend is None  # nothing drawn over the curves
    assert accuracy.getPlotItem().legend is None
    legend = plot.legend
    assert legend is not None
    qtbot.waitUntil(legend.isVisible, timeout=2000)
    assert legend.geometry().bottom() < loss.geometry().top()
    for title in KINDS.values():
        assert title in legend.text()
    plot.close()
