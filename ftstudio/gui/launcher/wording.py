"""Figures in words for the launcher: byte sizes and the cost line (no Qt)."""

from __future__ import annotations

from typing import TYPE_CHECKING

# said in the launcher's words too (file sizes, upload progress)
from ftstudio.gui.widgets.sizes import human_bytes

if TYPE_CHECKING:
    from ftstudio.core.cost import CostEstimate


def cost_text(cost: CostEstimate, sandbox: bool = False, local: bool = False) -> str:
    """Return the cost line shown next to Launch and in the confirmation."""
    tokens = f"{cost.billing_tokens:,} tokens × {cost.epochs} epoch{'s' if cost.epochs != 1 else ''}"
    if local:
        return f"This computer: no charge ({tokens} to train)."
    if sandbox:
        return f"Offline sandbox: free ({tokens})."
    usd = cost.usd
    if usd is None:
        return f"Estimated {cost.trained_tokens:,} training tokens ({tokens}); the price of this model is unknown."
    shown = f"${usd:,.2f}" if usd >= 0.01 else "less than $0.01"
    return f"Estimated cost: {shown} ({tokens})."


def findings_text(blocking: list[str], warnings: list[str], *, link: bool) -> str:
    """Return the line under the cost: what blocks the launch, notes, or all clear.

    ``link`` adds a "Show findings" link (the file is open in the studio).
    """
    if blocking:
        text = "<b>Cannot launch yet:</b> " + " ".join(blocking)
        return text + (' <a href="findings">Show findings</a>' if link else "")
    if warnings:
        return "<b>Note:</b> " + " ".join(warnings)
    return "The file passed every check."


__all__ = ["cost_text", "findings_text", "human_bytes"]
