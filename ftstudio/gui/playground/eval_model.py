"""The evaluation table: one row per test; expected answer, each model's reply and score."""

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

from ftstudio.core.evaluation.scoring import Metric
from ftstudio.core.evaluation.table import EvalTable

if TYPE_CHECKING:
    from ftstudio.core.evaluation.results import Answer
    from ftstudio.core.evaluation.testfile import Case

Index = QModelIndex | QPersistentModelIndex
PASS_BRUSH = QBrush(QColor("#e3f4e1"))
FAIL_BRUSH = QBrush(QColor("#fbe4e2"))
PREVIEW_CHARS = 300  # a cell shows the start; the tooltip shows the whole text
PASSED_ROLE = Qt.ItemDataRole.UserRole + 1
"""True / False / None (not answered yet) for a score cell."""


class EvalTableModel(QAbstractTableModel):
    """A thin adapter over :class:`EvalTable`: columns are built once per test/models."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = EvalTable([], [], {})
        self.metric = Metric.EXACT
        self._columns: list[tuple[str, str, int]] = []  # (title, kind, side)

    # content ----------------------------------------------------------------
    def reset(self, cases: list[Case], models: list[str]) -> None:
        """Show ``cases`` for ``models`` with no answers yet."""
        self.beginResetModel()
        self.table = EvalTable(list(cases), list(models), {})
        self._columns = [("Input", "input", 0), ("Expected", "expected", 0)]
        for side, model in enumerate(models):
            letter = "AB"[side]
            self._columns += [
                (f"{letter}: {model}", "reply", side),
                (f"{letter} score", "score", side),
            ]
        self.endResetModel()

    def is_score_column(self, column: int) -> bool:
        """Whether ``column`` holds pass/fail marks (narrow) rather than text."""
        return self._columns[column][1] == "score"

    def add_answers(self, answers: Iterable[Answer]) -> None:
        """Record answers and repaint exactly the rows they belong to."""
        rows = set()
        for answer in answers:
            self.table.answers[(answer.row, answer.side)] = answer
            rows.add(answer.row)
        last = self.columnCount() - 1
        for row in sorted(rows):
            self.dataChanged.emit(self.index(row, 2), self.index(row, last))

    def set_metric(self, metric: Metric) -> None:
        """Score with ``metric`` (replies are kept: nothing is asked again)."""
        self.metric = metric
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, self.columnCount() - 1),
            )

    # Qt model -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return one row per test."""
        return 0 if parent.isValid() else len(self.table.cases)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return input, expected, and reply + score per model."""
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Return column titles (the whole title as a tooltip) and row numbers."""
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return self._columns[section][0]
            return None
        return section + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return the text, tooltip, colour and pass flag of a cell."""
        if not index.isValid():
            return None
        _, kind, side = self._columns[index.column()]
        row = index.row()
        if kind == "score":
            return self._score_data(row, side, role)
        text = self._text(row, kind, side)
        if role == Qt.ItemDataRole.DisplayRole:
            one_line = " ".join(text.split())
            return one_line[:PREVIEW_CHARS]
        if role == Qt.ItemDataRole.ToolTipRole:
            return text or None
        return None

    def _text(self, row: int, kind: str, side: int) -> str:
        case = self.table.cases[row]
        if kind == "input":
            return str(case.question)
        if kind == "expected":
            return str(case.expected)
        answer = self.table.answers.get((row, side))
        if answer is None:
            return ""
        return f"(failed: {answer.error})" if answer.error else answer.reply

    def _score_data(self, row: int, side: int, role: int) -> Any:
        value = self.table.score_of(self.metric, row, side)
        passed = None if value is None else value >= 1
        if role == PASSED_ROLE:
            return passed
        if role == Qt.ItemDataRole.DisplayRole:
            return {None: "…", True: "✓ pass", False: "✗ fail"}[passed]
        if role == Qt.ItemDataRole.BackgroundRole and passed is not None:
            return PASS_BRUSH if passed else FAIL_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            return None if passed is not None else "Not answered yet."
        return None
