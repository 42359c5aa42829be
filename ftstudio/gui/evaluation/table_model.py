"""The results table: one row per test; the question, expected answer, scores, difference."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from ftstudio.core.evaluation.scoring import Metric, format_score
from ftstudio.core.evaluation.table import EvalTable

if TYPE_CHECKING:
    from ftstudio.core.evaluation.results import Answer, Grade

Index = QModelIndex | QPersistentModelIndex
PREVIEW_CHARS = 200  # a cell shows the start; the example panel shows everything
SCORE_ROLE = Qt.ItemDataRole.UserRole + 1
"""The score from 0 to 1, or None (not answered or not graded yet)."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""What the column sorts by: numbers for scores, text otherwise."""
NO_SCORE = -2.0  # sorts below every real score and difference


def _brush(value: float) -> QBrush:
    # from red (0) through white to green (1)
    red = QColor("#fbe4e2")
    green = QColor("#e3f4e1")
    mix = green if value >= 0.5 else red
    return QBrush(mix)


class EvalTableModel(QAbstractTableModel):
    """A thin adapter over :class:`EvalTable`; columns are built once per test/models."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = EvalTable([], [], {})
        self.metric = Metric.EXACT
        self.pair = (0, 1)
        """The two models the difference column compares (second minus first)."""
        self._columns: list[tuple[str, str, int]] = []  # (title, kind, side)

    def reset(self, table: EvalTable) -> None:
        """Show ``table`` (its cases, models and what is known so far)."""
        self.beginResetModel()
        self.table = table
        models = table.models
        self._columns = [("Question", "input", 0), ("Expected", "expected", 0)]
        self._columns += [(f"Score: {m}", "score", s) for s, m in enumerate(models)]
        if len(models) > 1:
            self._columns.append(("Difference", "diff", 0))
        if max(self.pair) >= len(models):
            self.pair = (0, 1)
        self.endResetModel()

    def column_kind(self, column: int) -> str:
        """Return "input", "expected", "score" or "diff"."""
        return self._columns[column][1]

    def diff_column(self) -> int:
        """Return the difference column (-1 with one model)."""
        kinds = [kind for _, kind, _ in self._columns]
        return kinds.index("diff") if "diff" in kinds else -1

    def add_answers(self, answers: Iterable[Answer]) -> None:
        """Record answers and repaint exactly the rows they belong to."""
        rows = set()
        for answer in answers:
            self.table.answers[(answer.row, answer.side)] = answer
            rows.add(answer.row)
        self.table.forget_scores()
        self._rows_changed(rows)

    def add_grades(self, grades: Iterable[Grade]) -> None:
        """Record the judge's grades and repaint their rows."""
        rows = set()
        for grade in grades:
            self.table.grades[(grade.row, grade.side)] = grade
            rows.add(grade.row)
        self._rows_changed(rows)

    def _rows_changed(self, rows: set[int]) -> None:
        last = self.columnCount() - 1
        for row in sorted(rows):
            self.dataChanged.emit(self.index(row, 2), self.index(row, last))

    def set_metric(self, metric: Metric) -> None:
        """Score with ``metric`` (replies are kept: nothing is asked again)."""
        self.metric = metric
        self._all_changed()

    def set_pair(self, first: int, second: int) -> None:
        """Compare model ``second`` with ``first`` in the difference column."""
        self.pair = (first, second)
        column = self.diff_column()
        if column >= 0:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)
            if self.rowCount():
                bottom = self.index(self.rowCount() - 1, column)
                self.dataChanged.emit(self.index(0, column), bottom)

    def _all_changed(self) -> None:
        if self.rowCount():
            bottom = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), bottom)

    def difference(self, row: int) -> float | None:
        """Return the second model's score minus the first's on test ``row``."""
        first, second = (self.table.score_of(self.metric, row, s) for s in self.pair)
        return None if first is None or second is None else second - first

    # Qt model -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return one row per test."""
        return 0 if parent.isValid() else len(self.table.cases)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return question, expected, a score per model, and the difference."""
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Return column titles (the whole title as a tooltip) and test numbers."""
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        if not 0 <= section < len(self._columns):
            return None
        title, kind, _ = self._columns[section]
        if kind == "diff":
            first, second = (self.table.models[s] for s in self.pair)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{second}'s score minus {first}'s: sort to see where they differ most."
            return "Difference"
        return title

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return the text, tooltip, colour, score and sort key of a cell."""
        if not index.isValid():
            return None
        _, kind, side = self._columns[index.column()]
        row = index.row()
        if kind == "score":
            return self._score_data(row, side, role)
        if kind == "diff":
            return self._diff_data(row, role)
        case = self.table.cases[row]
        text: str = case.question if kind == "input" else case.expected
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return " ".join(text.split())[:PREVIEW_CHARS]
        if role == Qt.ItemDataRole.ToolTipRole:
            return text[:2000] or None
        return None

    def _score_data(self, row: int, side: int, role: int) -> Any:
        value = self.table.score_of(self.metric, row, side)
        if role == SCORE_ROLE:
            return value
        if role == SORT_ROLE:
            return NO_SCORE if value is None else value
        if role == Qt.ItemDataRole.DisplayRole:
            return format_score(self.metric, value)
        if role == Qt.ItemDataRole.BackgroundRole and value is not None:
            return _brush(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._score_tip(row, side, value)
        return None

    def _score_tip(self, row: int, side: int, value: float | None) -> str | None:
        reason = self.table.reason(row, side) if self.metric is Metric.JUDGE else ""
        if value is None:
            answered = (row, side) in self.table.answers
            return reason or ("Not graded yet." if answered else "Not answered yet.")
        return reason or None

    def _diff_data(self, row: int, role: int) -> Any:
        value = self.difference(row)
        if role == SORT_ROLE:
            return NO_SCORE if value is None else value
        if role == SCORE_ROLE:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else f"{value:+.2f}"
        return None
