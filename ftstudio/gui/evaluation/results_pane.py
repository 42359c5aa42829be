"""The results: the table (sortable by score difference), the example in full, the summary."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelection,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ftstudio.core.evaluation.overview import compute_overview, snapshot
from ftstudio.core.evaluation.scoring import Metric
from ftstudio.gui.evaluation.detail import ExampleView
from ftstudio.gui.evaluation.summary import SummaryPanel
from ftstudio.gui.evaluation.table_model import SORT_ROLE, EvalTableModel
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from ftstudio.core.evaluation.overview import Overview
    from ftstudio.core.evaluation.table import EvalTable

SUMMARY_MS = 500
"""While a run goes, the summary is recomputed at most this often."""


class ResultsPane(QWidget):
    """Reads a run: which pair to compare, the table, one example, the summary."""

    error = Signal(object)
    """An :class:`FtError` for the tab's banner."""
    summary_ready = Signal()
    """The summary and chart show the scores as they were when last asked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.score_metric = Metric.EXACT
        self.model = EvalTableModel(self)
        self.summary_runner = TaskRunner(self)
        self._snapshot: EvalTable | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SUMMARY_MS)
        self._timer.timeout.connect(self.refresh_summary)
        self.first_box, self.second_box = QComboBox(), QComboBox()
        self.first_box.setAccessibleName("Compare with")
        self.second_box.setAccessibleName("Compare")
        for box in (self.first_box, self.second_box):
            box.currentIndexChanged.connect(self._on_pair)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(24)  # fixed row height
        self.view.selectionModel().selectionChanged.connect(self._on_selected)
        self.model.modelReset.connect(self._fit_columns)
        self.example = ExampleView()
        self.summary = SummaryPanel()
        self.details = QTabWidget()
        self.details.addTab(self.example, "Example")
        self.details.addTab(self.summary, "Summary and chart")
        self.compare_row = QHBoxLayout()
        self.compare_row.addWidget(QLabel("Compare"))
        self.compare_row.addWidget(self.second_box, 1)
        self.compare_row.addWidget(QLabel("with"))
        self.compare_row.addWidget(self.first_box, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.details)
        split.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.compare_row)
        layout.addWidget(split, 1)

    @Slot()
    def _fit_columns(self) -> None:
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):
            text = self.model.column_kind(column) in ("input", "expected")
            mode = (
                QHeaderView.ResizeMode.Stretch
                if text
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)

    def show_table(self, table: EvalTable) -> None:
        """Show ``table``: the first two models compared, the summary recomputed."""
        self.model.reset(table)
        self.model.set_metric(self.score_metric)
        for box in (self.first_box, self.second_box):
            box.blockSignals(True)
            box.clear()
            box.addItems(table.models)
            box.blockSignals(False)
        self.first_box.setCurrentIndex(0)
        self.second_box.setCurrentIndex(min(1, len(table.models) - 1))
        self._on_pair()

    def set_metric(self, metric: Metric) -> None:
        """Score with ``metric`` (replies are kept: nothing is asked again)."""
        self.score_metric = metric
        self.model.set_metric(metric)
        self.refresh_summary()

    def summary_later(self) -> None:
        """Recompute the summary soon (new answers keep coming)."""
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _on_pair(self) -> None:
        first, second = self.first_box.currentIndex(), self.second_box.currentIndex()
        if first >= 0 and second >= 0:
            self.model.set_pair(first, second)
        self.refresh_summary()

    @Slot()
    def refresh_summary(self) -> None:
        """Recompute the means, intervals, comparison and chart off the GUI thread."""
        self._timer.stop()
        table = self.model.table
        self.example.show_example(table, self.score_metric, self.example.row)
        self._snapshot = snapshot(table)
        fn = partial(
            compute_overview, self._snapshot, self.score_metric, self.model.pair
        )
        task = self.summary_runner.start(fn, "Summarizing")
        task.succeeded.connect(self._on_overview)
        task.failed.connect(self.error)
        task.start()

    @Slot(object)
    def _on_overview(self, overview: Overview) -> None:
        table = self.model.table
        if self._snapshot is None or self._snapshot.cases is not table.cases:
            return  # another test file since: a newer summary is on its way
        table.adopt_scores(overview.metric, overview.scores, self._snapshot)
        self.summary.show_overview(table.models, len(table.cases), overview)
        self.summary_ready.emit()

    @Slot(QItemSelection, QItemSelection)
    def _on_selected(self, *_args: object) -> None:
        rows = self.view.selectionModel().selectedRows()
        row = self.proxy.mapToSource(rows[0]).row() if rows else None
        self.example.show_example(self.model.table, self.score_metric, row)
        if row is not None:
            self.details.setCurrentWidget(self.example)

    def shutdown(self) -> None:
        """Stop a summary being computed and wait for its thread."""
        self._timer.stop()
        self.summary_runner.shutdown()
