"""A thin, virtual table model over the dataset store and the validator's row info.

The model holds only the store's key array (a numpy view, replaced on every
edit, never copied) and, while a filter is on, the sorted array of source rows
it shows. Display strings come from a per-key cache, so scrolling 400,000 rows
parses only the lines that become visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from ftstudio.core.dataset.events import ChangeKind
from ftstudio.core.validation.findings import Severity
from ftstudio.gui.dataset.summary import SummaryCache
from ftstudio.gui.icons import icon

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PySide6.QtGui import QIcon

    from ftstudio.core.dataset.events import StoreEvent
    from ftstudio.gui.document import Document

    Rows = npt.NDArray[np.int64]

Index = QModelIndex | QPersistentModelIndex

SOURCE_ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""The store row an index shows (differs from the index row while filtered)."""
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 2
"""The worst :class:`Severity` of the row, or None when it is fine or unchecked."""


class Column(IntEnum):
    """The table's columns, in order."""

    STATUS = 0
    FORMAT = 1
    MESSAGES = 2
    USER = 3
    ASSISTANT = 4
    TOKENS = 5


HEADERS = {
    Column.STATUS: ("", "Whether the example has errors (red) or warnings (yellow)"),
    Column.FORMAT: (
        "Format",
        "Chat, preference (preferred vs rejected reply) or prompt/completion",
    ),
    Column.MESSAGES: ("Messages", "How many messages the conversation has"),
    Column.USER: ("First user message", "What the user says first"),
    Column.ASSISTANT: ("Last assistant reply", "The reply the model learns last"),
    Column.TOKENS: (
        "Tokens",
        "How many tokens the example counts for the target model",
    ),
}
_STATUS_TEXT = {
    Severity.ERROR: "Error",
    Severity.WARNING: "Warning",
    Severity.INFO: "Note",
    None: "OK",
}


def problems_text(doc: Document, row: int, most: int = 5) -> str:
    """Return what the validator found on ``row``, one finding per line."""
    findings = doc.validator.row_findings(row)
    lines = [f.message for f in findings[:most]]
    if len(findings) > most:
        lines.append(f"…and {len(findings) - most} more")
    return "\n".join(lines)


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_SOURCE_ROW = int(SOURCE_ROW_ROLE)
_SEVERITY = int(SEVERITY_ROLE)
_ROLES = frozenset(
    (_DISPLAY, _TOOLTIP, _DECORATION, _ACCESSIBLE, _ALIGN, _SOURCE_ROW, _SEVERITY)
)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_ROW_CACHE = 2000
_COLUMNS = len(Column)
"""Rows whose cells are kept: a few screens' worth."""


@dataclass(frozen=True, slots=True)
class _Cells:
    """Everything the table shows of one row."""

    texts: tuple[str | None, ...]
    severity: Severity | None
    checked: bool


class DatasetTableModel(QAbstractTableModel):
    """The rows of one document, optionally filtered to a set of source rows."""

    filter_stale = Signal()
    """The row table was replaced while filtered: the filter must run again."""

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._doc = doc
        self._store = doc.store
        self._keys = doc.store.keys
        self._rows: Rows | None = None
        self._cache = SummaryCache()
        self._row_cache: dict[int, _Cells] = {}
        self._icons: dict[Severity | None, QIcon] = {
            Severity.ERROR: icon("error"),
            Severity.WARNING: icon("warning"),
            Severity.INFO: icon("info"),
            None: icon("ok"),
        }
        self._plan: tuple[int, int] | None = None
        doc.about_to_change.connect(self._about_to_change)
        doc.changed.connect(self._changed)
        doc.rows_changed.connect(self._on_rows_changed)

    def detach(self) -> None:
        """Stop listening to the document (the model is being replaced)."""
        self._doc.about_to_change.disconnect(self._about_to_change)
        self._doc.changed.disconnect(self._changed)
        self._doc.rows_changed.disconnect(self._on_rows_changed)

    # mapping ------------------------------------------------------------------
    @property
    def filtered(self) -> bool:
        """Whether a filter hides some rows."""
        return self._rows is not None

    def source_row(self, row: int) -> int:
        """Return the store row shown at table row ``row``."""
        return int(self._rows[row]) if self._rows is not None else row

    def table_row(self, source_row: int) -> int | None:
        """Return where ``source_row`` is shown, or None when the filter hides it."""
        import numpy as np  # lazy: the first window paints without numpy

        if self._rows is None:
            return source_row if 0 <= source_row < len(self._keys) else None
        pos = int(np.searchsorted(self._rows, source_row))
        if pos < len(self._rows) and self._rows[pos] == source_row:
            return pos
        return None

    def set_rows(self, rows: Rows | None) -> None:
        """Show only the sorted source ``rows`` (None shows every row)."""
        self.beginResetModel()
        if rows is not None:
            rows = rows[rows < len(self._keys)]
        self._rows = rows
        self.endResetModel()

    # Qt model API ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid():
            return 0
        return len(self._rows) if self._rows is not None else len(self._keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMNS

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.rowCount():
                return f"{self.source_row(section) + 1:,}"
            return None
        if not 0 <= section < len(Column):
            return None
        title, tip = HEADERS[Column(section)]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called ~1,500 times per painted frame: plain int roles, no enums, and
        # everything of one row computed once into a small per-row cache.
        if role not in _ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if self._rows is not None:
            if row >= len(self._rows):
                return None
            row = int(self._rows[row])
        elif row >= len(self._keys):
            return None
        if role == _SOURCE_ROW:
            return row
        cells = self._row_cache.get(row)
        if cells is None:
            cells = self._row_cells(row)
        if role == _DISPLAY:
            return cells.texts[column]
        if role == _ALIGN:
            return _RIGHT if column in (Column.MESSAGES, Column.TOKENS) else None
        if column != Column.STATUS:
            return cells.texts[column] if role == _TOOLTIP else None
        if role == _DECORATION:
            return self._icons[cells.severity] if cells.checked else None
        if role == _SEVERITY:
            return cells.severity
        if role == _ACCESSIBLE:
            return _STATUS_TEXT[cells.severity] if cells.checked else "Not checked yet"
        # the tooltip lists the findings: only computed when a user hovers
        if not cells.checked:
            return "Not checked yet"
        return problems_text(self._doc, row) or _STATUS_TEXT[None]

    def _row_cells(self, row: int) -> _Cells:
        info = self._doc.validator.row_info(row) if row < len(self._store) else None
        severity = getattr(info, "severity", None)
        if not isinstance(severity, Severity):
            severity = None
        tokens = getattr(info, "tokens", None)
        summary = self._cache.get(int(self._keys[row]), self._store.raw_for_key)
        cells = _Cells(
            (
                None,  # the status icon speaks; a stable Display value keeps
                # Qt's model tester happy across inserts
                summary.format,
                "" if summary.messages is None else str(summary.messages),
                summary.first_user,
                summary.last_assistant,
                f"{tokens:,}" if isinstance(tokens, int) else "",
            ),
            severity,
            info is not None,
        )
        if len(self._row_cache) > _ROW_CACHE:
            self._row_cache.clear()
        self._row_cache[row] = cells
        return cells

    # keeping up with the store ------------------------------------------------
    # The document announces each change before it happens (begin…) and after
    # (end…): Qt's views need both, with the exact rows, for any splice.
    @Slot(object)
    def _about_to_change(self, event: StoreEvent) -> None:
        self._plan = None
        if event.kind is ChangeKind.RESET:
            self.beginResetModel()
        elif event.kind is ChangeKind.SPLICE:
            self._begin_splice(event)

    @Slot(object)
    def _changed(self, event: StoreEvent) -> None:
        if event.kind is ChangeKind.LAYOUT:
            return  # file-level bytes only: every cell stays as it is
        self._row_cache.clear()
        if event.kind is ChangeKind.RESET:
            self._keys = self._store.keys
            if self._rows is not None:
                self._rows = self._rows[self._rows < len(self._keys)]
            self.endResetModel()
            if self._rows is not None:
                self.filter_stale.emit()
            return
        self._end_splice(event)

    def _begin_splice(self, event: StoreEvent) -> None:
        import numpy as np  # lazy: the first window paints without numpy

        common = min(event.removed, event.inserted)
        first = event.row + common  # the rows past ``common`` come or go
        if self._rows is None:
            lo, hi = first, event.row + event.removed
        else:
            lo = int(np.searchsorted(self._rows, first))
            hi = int(np.searchsorted(self._rows, event.row + event.removed))
        if event.removed > common and hi > lo:
            self.beginRemoveRows(QModelIndex(), lo, hi - 1)
        elif event.inserted > common:
            # new rows stay visible (the user just added them)
            count = event.inserted - common
            self.beginInsertRows(QModelIndex(), lo, lo + count - 1)
        self._plan = (lo, hi)

    def _end_splice(self, event: StoreEvent) -> None:
        import numpy as np

        assert self._plan is not None, "a splice that was not announced"
        (lo, hi), self._plan = self._plan, None
        common = min(event.removed, event.inserted)
        first = event.row + common
        shift = event.inserted - event.removed
        if self._rows is not None:
            kept = self._rows[self._rows < event.row + event.removed]
            kept = kept[(kept < first) | (kept >= event.row + event.removed)]
            after = self._rows[self._rows >= event.row + event.removed] + shift
            new = np.arange(first, first + max(shift, 0), dtype=np.int64)
            self._rows = np.concatenate((kept, new, after))
        self._keys = self._store.keys
        if event.removed > common and hi > lo:
            self.endRemoveRows()
        elif event.inserted > common:
            self.endInsertRows()
        if common:
            self._on_rows_changed(event.row, first - 1)
        if shift:
            self._renumber(lo)

    def _renumber(self, first: int) -> None:
        last = self.rowCount() - 1
        if first <= last:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, first, last)

    @Slot(int, int)
    def _on_rows_changed(self, first: int, last: int) -> None:
        import numpy as np

        self._row_cache.clear()
        if self._rows is None:
            lo, hi = first, min(last, len(self._keys) - 1)
        else:
            lo = int(np.searchsorted(self._rows, first))
            hi = int(np.searchsorted(self._rows, last, side="right")) - 1
        if lo <= hi:
            self.dataChanged.emit(self.index(lo, 0), self.index(hi, len(Column) - 1))
