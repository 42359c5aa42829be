"""The Validator tab: findings, advice, automatic fixes and histograms."""

from __future__ import annotations

from ftstudio.gui.validator.tab import ValidatorTab

__all__ = ["ValidatorTab"]
