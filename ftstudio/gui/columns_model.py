"""A base for flat tables with fixed, titled columns: the Qt boilerplate written once."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class FixedColumnsModel(QAbstractTableModel):
    """A flat table model whose columns are known up front (Orange3's descriptors).

    Subclasses set :attr:`COLUMNS` (and optionally :attr:`TOOLTIPS`, one per
    column), implement :meth:`row_count` and ``data``; counting and the header
    are done here.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    TOOLTIPS: ClassVar[tuple[str, ...]] = ()

    def row_count(self) -> int:
        """Return how many rows the table has."""
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(
            self.COLUMNS
        ):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and self.TOOLTIPS:
            return self.TOOLTIPS[section]
        return None
