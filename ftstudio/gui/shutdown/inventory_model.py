"""A thin table model over the inventory of fine-tuned models."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ftstudio.core.archive.inventory import ModelEntry

COLUMNS = ("Fine-tuned model", "Base model", "Shutdown", "Job")
SOON_DAYS = 30
"""Rows that shut down within this many days are tinted."""

_Index = QModelIndex | QPersistentModelIndex


class InventoryModel(QAbstractTableModel):
    """One row per fine-tuned model: name, base, shutdown in words, job."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ModelEntry] = []

    def set_entries(self, entries: list[ModelEntry]) -> None:
        """Show ``entries`` (the whole inventory is small: reset, not diff)."""
        self.beginResetModel()
        self._rows = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> ModelEntry:
        """Return the entry shown in ``row``."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (entry.model, entry.base, entry.when_words, entry.job_id)
            text = values[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
                return f"Date from {entry.source}" if entry.source else text
            return text
        soon = entry.days_left is not None and entry.days_left <= SOON_DAYS
        if role == Qt.ItemDataRole.BackgroundRole and soon:
            return QBrush(QColor(255, 228, 196))
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None
