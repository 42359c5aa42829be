"""The Cost tab: estimated training cost of the open dataset."""

from __future__ import annotations

from ftstudio.gui.cost.tab import CostTab

__all__ = ["CostTab"]
