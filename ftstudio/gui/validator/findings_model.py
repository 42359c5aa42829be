"""The findings table: a thin item model over a report's findings, sorted and filtered.

The model sorts and filters itself with numpy instead of sitting behind a
``QSortFilterProxyModel``. A file can have a finding on every one of its
400,000 lines (a pretty-printed file does), and a proxy calls back into Python
once per row for every filter pass and ``O(n log n)`` times per sort: measured,
1.6 s of frozen window per report, which arrives after every edit. Here a new
report, a sort or a filter costs one ``argsort`` or one pass over the messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.gui.columns_model import FixedColumnsModel
from ftstudio.gui.icons import icon

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Severity", "Line", "Code", "Message")
SEVERITY_COLUMN, LINE_COLUMN, CODE_COLUMN, MESSAGE_COLUMN = range(4)
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
"""The :class:`Finding` behind a row."""
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""The dataset row (0-based) a finding is about, or None for the whole file."""

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_SEVERITY_WORDS = {
    Severity.ERROR: "Error",
    Severity.WARNING: "Warning",
    Severity.INFO: "Note",
}
_ICON_NAMES = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "info",
}
_TOOLTIPS = (
    "Errors stop OpenAI from accepting the file; warnings and notes do not.",
    "The line of the file (the first line is 1). Double-click to open the example.",
    "A short fixed name for the kind of problem.",
    "What is wrong, in plain words. Double-click to open the example.",
)
_Rows = np.ndarray[Any, np.dtype[np.int64]]


class FindingsModel(FixedColumnsModel):
    """Severity, line, code and message of each finding shown.

    :meth:`set_severities` and :meth:`set_text` choose which findings are shown;
    :meth:`sort` (called by the view's header) orders them. Both survive a new
    report.
    """

    COLUMNS = COLUMNS
    TOOLTIPS = _TOOLTIPS

    def __init__(self) -> None:
        super().__init__()
        self._all: Sequence[Finding] = ()
        self._rank = np.zeros(0, np.int8)
        self._line = np.zeros(0, np.int64)  # -1: the whole file
        self._haystack: list[str] | None = None  # built on the first text search
        self._severities = frozenset(Severity)
        self._text = ""
        self._sort: tuple[int, Qt.SortOrder] = (
            SEVERITY_COLUMN,
            Qt.SortOrder.AscendingOrder,
        )
        self._sorted: _Rows = np.zeros(0, np.int64)  # every finding, in sort order
        self._rows: _Rows = np.zeros(0, np.int64)  # the shown ones, in sort order
        self._icons: dict[Severity, QIcon] = {}

    # content ------------------------------------------------------------------
    def set_findings(self, findings: Iterable[Finding]) -> None:
        """Show ``findings`` (a new report), keeping the sort and the filters."""
        self.beginResetModel()
        self._all = tuple(findings)
        n = len(self._all)
        self._rank = np.fromiter((_RANK[f.severity] for f in self._all), np.int8, n)
        self._line = np.fromiter(
            (-1 if f.line is None else f.line for f in self._all), np.int64, n
        )
        self._haystack = None
        self._sorted = self._order(*self._sort)
        self._rows = self._shown()
        self.endResetModel()

    @property
    def total(self) -> int:
        """Return how many findings the report has, shown or not."""
        return len(self._all)

    def count(self, severity: Severity) -> int:
        """Return how many findings of ``severity`` the report has, shown or not."""
        return int(np.count_nonzero(self._rank == _RANK[severity]))

    def finding(self, row: int) -> Finding:
        """Return the finding shown in ``row``."""
        return self._all[int(self._rows[row])]

    def findings(self) -> list[Finding]:
        """Return the findings shown, in display order."""
        return [self._all[i] for i in self._rows.tolist()]

    # filtering ----------------------------------------------------------------
    @property
    def severities(self) -> frozenset[Severity]:
        """Return the severities shown."""
        return self._severities

    def set_severities(self, severities: Iterable[Severity]) -> None:
        """Show only findings of ``severities``."""
        self._severities = frozenset(severities)
        self._refilter()

    def set_text(self, text: str) -> None:
        """Show only findings whose code or message contains ``text``, or on line ``text``."""
        self._text = text.strip().casefold()
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = self._shown()
        self.endResetModel()

    def _shown(self) -> _Rows:
        wanted = np.asarray([_RANK[s] for s in self._severities], np.int8)
        mask = np.isin(self._rank, wanted)
        text = self._text
        if text:
            if self._haystack is None:
                self._haystack = [
                    f"{f.code}\n{f.message}".casefold() for f in self._all
                ]
            hits = np.fromiter(
                (text in h for h in self._haystack), bool, len(self._haystack)
            )
            if text.isdigit():
                hits |= self._line == int(text)
            mask &= hits
        return self._sorted[mask[self._sorted]]

    # sorting ------------------------------------------------------------------
    def _order(self, column: int, order: Qt.SortOrder) -> _Rows:
        rank, line = self._rank, self._line
        if column == SEVERITY_COLUMN:
            idx = np.lexsort((line, rank))
        elif column == LINE_COLUMN:
            idx = np.lexsort((rank, line))
        else:
            found = self._all
            attr = "code" if column == CODE_COLUMN else "message"
            idx = np.asarray(
                sorted(
                    range(len(found)),
                    key=lambda i: (getattr(found[i], attr).casefold(), line[i]),
                ),
                np.int64,
            )
        if order == Qt.SortOrder.DescendingOrder:
            idx = idx[::-1]
        return idx.astype(np.int64)

    def sort(
        self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    ) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        before = self._rows
        self._sort = (column, order)
        self._sorted = self._order(column, order)
        self._rows = self._shown()
        # The view keeps persistent indexes (selection, current row): move each
        # to the row where its finding is now. Sorting never changes which
        # findings are shown, only where.
        where = np.empty(len(self._all), np.int64)
        where[self._rows] = np.arange(len(self._rows))
        old = self.persistentIndexList()
        self.changePersistentIndexList(
            old,
            [self.index(int(where[before[i.row()]]), i.column()) for i in old],
        )
        self.layoutChanged.emit()

    # Qt item model --------------------------------------------------------------
    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        finding = self.finding(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == SEVERITY_COLUMN:
                return _SEVERITY_WORDS[finding.severity]
            if column == LINE_COLUMN:
                return "whole file" if finding.line is None else str(finding.line)
            if column == CODE_COLUMN:
                return finding.code
            return finding.message
        if role == Qt.ItemDataRole.DecorationRole and column == SEVERITY_COLUMN:
            return self._icon(finding.severity)
        if role == Qt.ItemDataRole.ToolTipRole and column == MESSAGE_COLUMN:
            tip = finding.message
            if finding.fixable:
                tip += "\n\nThere is an automatic fix for this: see the buttons above."
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and column == LINE_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == FINDING_ROLE:
            return finding
        if role == ROW_ROLE:
            return None if finding.line is None else finding.line - 1
        return None

    def _icon(self, severity: Severity) -> QIcon:
        cached = self._icons.get(severity)
        if cached is None:
            cached = self._icons[severity] = icon(_ICON_NAMES[severity])
        return cached
