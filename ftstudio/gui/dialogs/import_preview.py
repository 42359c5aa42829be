"""The table of a spreadsheet's first rows in the import dialog."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

_Index = QModelIndex | QPersistentModelIndex
MAX_CELL_CHARS = 200  # a cell can hold a whole essay; the table shows its start


class PreviewModel(QAbstractTableModel):
    """Read-only cells of the first rows; headers show which role a column plays."""

    def __init__(self) -> None:
        super().__init__()
        self._columns: tuple[str, ...] = ()
        self._rows: tuple[tuple[str, ...], ...] = ()
        self._roles: dict[str, str] = {}

    def set_preview(
        self, columns: Sequence[str], rows: Sequence[Sequence[str]]
    ) -> None:
        """Show ``rows`` under the headers ``columns``."""
        self.beginResetModel()
        self._columns = tuple(columns)
        self._rows = tuple(tuple(r) for r in rows)
        self._roles = {}
        self.endResetModel()

    @property
    def columns(self) -> tuple[str, ...]:
        """Return the column names."""
        return self._columns

    def set_roles(self, roles: Mapping[str, str]) -> None:
        """Mark columns by role: ``{"question": "user message", ...}``."""
        self._roles = dict(roles)
        if self._columns:
            self.headerDataChanged.emit(
                Qt.Orientation.Horizontal, 0, len(self._columns) - 1
            )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        text = row[index.column()] if index.column() < len(row) else ""
        if role == Qt.ItemDataRole.DisplayRole:
            flat = " ".join(text.split())  # one line per cell in the table
            if len(flat) > MAX_CELL_CHARS:
                return flat[: MAX_CELL_CHARS - 1] + "…"
            return flat
        if role == Qt.ItemDataRole.ToolTipRole and text:
            return text[:2000]
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._rows):
                return str(section + 1)
            return None
        if not 0 <= section < len(self._columns):
            return None
        name = self._columns[section]
        used_as = self._roles.get(name)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}\n→ {used_as}" if used_as else name
        if role == Qt.ItemDataRole.FontRole and used_as:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if used_as:
                return f"The column {name!r} becomes the {used_as}."
            return f"The column {name!r} is not used."
        return None
