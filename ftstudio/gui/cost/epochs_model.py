"""A small table: what training costs for 1 to 10 epochs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from ftstudio.core.cost import CostEstimate
from ftstudio.gui.columns_model import FixedColumnsModel
from ftstudio.gui.widgets.glossary import EPOCH

_COLUMNS = ("Epochs", "Tokens trained", "Estimated cost")
_TOOLTIPS = (
    EPOCH,
    "Your dataset's billing tokens times the number of epochs.",
    "Tokens trained times the price per 1M tokens.",
)
MAX_EPOCHS_SHOWN = 10
_Index = QModelIndex | QPersistentModelIndex


def format_usd(usd: float | None) -> str:
    """Return a cost in dollars the way a person writes it ("unknown" for None)."""
    if usd is None:
        return "unknown"
    if 0 < usd < 0.01:
        return "less than $0.01"
    return f"${usd:,.2f}"


class EpochCostModel(FixedColumnsModel):
    """Rows 1…10 epochs; the row of the chosen epochs is shown in bold."""

    COLUMNS = _COLUMNS
    TOOLTIPS = _TOOLTIPS

    def __init__(self) -> None:
        super().__init__()
        self._billing = 0
        self._price: float | None = None
        self._chosen = 0

    def set_inputs(self, billing: int, price: float | None, chosen: int) -> None:
        """Recompute every row from the billing tokens, the price and the epochs."""
        if (billing, price, chosen) == (self._billing, self._price, self._chosen):
            return
        self._billing, self._price, self._chosen = billing, price, chosen
        self.dataChanged.emit(
            self.index(0, 0), self.index(MAX_EPOCHS_SHOWN - 1, len(_COLUMNS) - 1)
        )

    def estimate(self, row: int) -> CostEstimate:
        """Return the core's estimate behind ``row`` (epochs = row + 1)."""
        return CostEstimate(self._billing, row + 1, self._price)

    def row_count(self) -> int:
        return MAX_EPOCHS_SHOWN

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            estimate = self.estimate(row)
            if column == 0:
                return str(row + 1)
            if column == 1:
                return f"{estimate.trained_tokens:,}"
            return format_usd(estimate.usd)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row + 1 == self._chosen:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and row + 1 == (
            self._chosen
        ):
            return "the number of epochs chosen above"
        return None
