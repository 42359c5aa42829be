"""Item models of the Monitor tab: the events log and the checkpoints table."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ftstudio.core.monitor.metrics import LABELS
from ftstudio.core.monitor.watch import Checkpoint, EventRow
from ftstudio.gui.columns_model import FixedColumnsModel

_Index = QModelIndex | QPersistentModelIndex
MODEL_ROLE = Qt.ItemDataRole.UserRole + 1
"""The checkpoint's model name (for "Chat with this checkpoint")."""

_LEVEL_WORDS = {
    "info": "Info",
    "warn": "Warning",
    "warning": "Warning",
    "error": "Error",
}
_LEVEL_COLORS = {"Warning": QColor(170, 110, 0), "Error": QColor(190, 30, 30)}


def _time_text(created_at: int) -> str:
    return time.strftime("%H:%M:%S", time.localtime(created_at))


class EventsModel(FixedColumnsModel):
    """Time, level and message of each event, oldest first; an event shows once."""

    COLUMNS = ("Time", "Level", "Message")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[EventRow] = []
        self._ids: set[str] = set()

    def clear(self) -> None:
        """Forget every event (another job is shown)."""
        self.beginResetModel()
        self._rows = []
        self._ids = set()
        self.endResetModel()

    def add(self, events: Iterable[EventRow]) -> list[EventRow]:
        """Append the events not shown yet; return them."""
        fresh = []
        for event in events:
            if event.id not in self._ids:
                self._ids.add(event.id)
                fresh.append(event)
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()
        return fresh

    def event_at(self, row: int) -> EventRow:
        """Return the event shown in ``row``."""
        return self._rows[row]

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        level = _LEVEL_WORDS.get(row.level, row.level.capitalize())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (_time_text(row.created_at), level, row.message)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and level in _LEVEL_COLORS:
            return QBrush(_LEVEL_COLORS[level])
        return None


_METRIC_COLUMNS = (
    "train_loss",
    "valid_loss",
    "full_valid_loss",
    "train_mean_token_accuracy",
)


class CheckpointsModel(FixedColumnsModel):
    """Step, metrics and model name of each checkpoint, lowest step first."""

    COLUMNS = ("Step", *(LABELS[name] for name in _METRIC_COLUMNS), "Model name")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Checkpoint] = []

    def set_checkpoints(self, checkpoints: Sequence[Checkpoint]) -> None:
        """Show ``checkpoints`` (the whole list each time: it is short)."""
        self.beginResetModel()
        self._rows = sorted(checkpoints, key=lambda c: c.step)
        self.endResetModel()

    def all_checkpoints(self) -> list[Checkpoint]:
        """Return every checkpoint shown, in row order."""
        return [self.checkpoint(r) for r in range(self.rowCount())]

    def checkpoint(self, row: int) -> Checkpoint:
        """Return the checkpoint shown in ``row``."""
        return self._rows[row]

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        ckpt = self._rows[index.row()]
        column = index.column()
        if role == MODEL_ROLE:
            return ckpt.model
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if (
                role == Qt.ItemDataRole.TextAlignmentRole
                and column < len(self.COLUMNS) - 1
            ):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if column == 0:
            return f"{ckpt.step:,}"
        if column == len(self.COLUMNS) - 1:
            return ckpt.model
        value = ckpt.metrics.get(_METRIC_COLUMNS[column - 1])
        return "—" if value is None else f"{value:.4f}"
