"""The findings table: a thin item model over a report's findings, and its filter.

Sorting happens in :class:`FindingsModel` over plain tuples, and the proxy only
filters, through a mask computed in one pass. A large file can have a finding on
most of its 400,000 lines; a ``QSortFilterProxyModel`` that sorts by itself calls
``data()`` from C++ into Python millions of times, which freezes the window for
seconds, while ``sorted`` with a key takes a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QApplication, QStyle

from ftstudio.core.validation.findings import Finding, Severity

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Severity", "Line", "Code", "Message")
SEVERITY_COLUMN, LINE_COLUMN, CODE_COLUMN, MESSAGE_COLUMN = range(4)
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
"""The :class:`Finding` behind a row."""
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""The dataset row (0-based) a finding is about, or None for the whole file."""

_SEVERITY_WORDS = {
    Severity.ERROR: "Error",
    Severity.WARNING: "Warning",
    Severity.INFO: "Note",
}
_SEVERITY_ICONS = {
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
_TOOLTIPS = (
    "Errors stop OpenAI from accepting the file; warnings and notes do not.",
    "The line of the file (the first line is 1). Double-click to open the example.",
    "A short fixed name for the kind of problem.",
    "What is wrong, in plain words. Double-click to open the example.",
)


def _sort_key(column: int) -> Any:
    def line(f: Finding) -> int:
        return -1 if f.line is None else f.line  # whole-file findings first

    if column == SEVERITY_COLUMN:
        return lambda f: (f.severity.rank, line(f))
    if column == LINE_COLUMN:
        return lambda f: (line(f), f.severity.rank)
    if column == CODE_COLUMN:
        return lambda f: (f.code, line(f))
    return lambda f: (f.message.casefold(), line(f))


class FindingsModel(QAbstractTableModel):
    """Severity, line, code and message of each finding, sortable by any column."""

    def __init__(self) -> None:
        super().__init__()
        self._findings: list[Finding] = []
        self._sort: tuple[int, Qt.SortOrder] = (
            SEVERITY_COLUMN,
            Qt.SortOrder.AscendingOrder,
        )

    def set_findings(self, findings: Iterable[Finding]) -> None:
        """Show ``findings`` (a new report), kept in the current sort order."""
        self.beginResetModel()
        column, order = self._sort
        self._findings = sorted(
            findings,
            key=_sort_key(column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self.endResetModel()

    @property
    def findings(self) -> Sequence[Finding]:
        """Return the findings in display order."""
        return self._findings

    def finding(self, row: int) -> Finding:
        """Return the finding shown in ``row``."""
        return self._findings[row]

    def sort(
        self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    ) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        key = _sort_key(column)
        before = self._findings
        order_ = sorted(
            range(len(before)),
            key=lambda i: key(before[i]),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._findings = [before[i] for i in order_]
        new_row = [0] * len(order_)
        for new, old_row in enumerate(order_):
            new_row[old_row] = new
        # Views and the filter proxy keep persistent indexes (selection, current
        # row): move each one to where its finding went.
        old = self.persistentIndexList()
        self.changePersistentIndexList(
            old, [self.index(new_row[i.row()], i.column()) for i in old]
        )
        self.layoutChanged.emit()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._findings)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        finding = self._findings[index.row()]
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
            return QApplication.style().standardIcon(_SEVERITY_ICONS[finding.severity])
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

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _TOOLTIPS[section]
        return None


class FindingsFilter(QSortFilterProxyModel):
    """Shows the findings of the chosen severities that contain the search text.

    Sorting is handed to :class:`FindingsModel` (see the module note); this proxy
    keeps the source order and only hides rows.
    """

    def __init__(self) -> None:
        super().__init__()
        self._severities: frozenset[Severity] = frozenset(Severity)
        self._text = ""
        self._mask: list[bool] = []

    def setSourceModel(self, model: Any) -> None:
        old = self.sourceModel()
        if old is not None:
            old.modelReset.disconnect(self._recompute)
            old.layoutChanged.disconnect(self._recompute)
        if model is not None:
            # Connected before the proxy's own handlers run, so the mask is fresh
            # when the proxy re-filters after a reset or a sort.
            model.modelReset.connect(self._recompute)
            model.layoutChanged.connect(self._recompute)
        super().setSourceModel(model)
        self._recompute()

    @property
    def severities(self) -> frozenset[Severity]:
        """Return the severities shown."""
        return self._severities

    def set_severities(self, severities: Iterable[Severity]) -> None:
        """Show only findings of ``severities``."""
        self._severities = frozenset(severities)
        self._refilter()

    def set_text(self, text: str) -> None:
        """Show only findings whose line, code or message contains ``text``."""
        self._text = text.strip().casefold()
        self._refilter()

    def _refilter(self) -> None:
        self.beginFilterChange()
        self._recompute()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _recompute(self) -> None:
        source = self.sourceModel()
        findings = source.findings if isinstance(source, FindingsModel) else ()
        wanted, text = self._severities, self._text
        self._mask = [
            f.severity in wanted
            and (
                not text
                or text in f.message.casefold()
                or text in f.code.casefold()
                or text == str(f.line)
            )
            for f in findings
        ]

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        return 0 <= source_row < len(self._mask) and self._mask[source_row]

    def sort(
        self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    ) -> None:
        source = self.sourceModel()
        if isinstance(source, FindingsModel):
            source.sort(column, order)

    def source_finding(self, index: _Index) -> Finding | None:
        """Return the finding behind a proxy ``index``."""
        if not index.isValid():
            return None
        value = self.mapToSource(index).data(FINDING_ROLE)
        return value if isinstance(value, Finding) else None
