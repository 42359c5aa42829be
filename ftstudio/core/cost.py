"""Training cost: OpenAI's auto-epochs rule, billing tokens and price."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
DEFAULT_EPOCHS = 3
MAX_DEFAULT_EPOCHS = 25


def auto_epochs(examples: int) -> int:
    """Return the epochs OpenAI picks when the user leaves them on auto.

    3, but if examples × 3 < 100 then min(25, 100 // examples), and if
    examples × 3 > 25,000 then max(1, 25,000 // examples).
    """
    if examples <= 0:
        return DEFAULT_EPOCHS
    if examples * DEFAULT_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // examples)
    if examples * DEFAULT_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(1, MAX_TARGET_EXAMPLES // examples)
    return DEFAULT_EPOCHS


def auto_epochs_explained(examples: int) -> str:
    """Describe in words why auto picks the epochs it does."""
    epochs = auto_epochs(examples)
    if examples <= 0:
        return "With no examples yet, auto starts from 3 epochs."
    if examples * DEFAULT_EPOCHS < MIN_TARGET_EXAMPLES:
        return (
            f"Small dataset: auto trains {epochs} epochs so the model sees about "
            f"{MIN_TARGET_EXAMPLES} examples in all (at most {MAX_DEFAULT_EPOCHS} epochs)."
        )
    if examples * DEFAULT_EPOCHS > MAX_TARGET_EXAMPLES:
        return (
            f"Large dataset: auto trains {epochs} epoch(s) so the model sees at most "
            f"about {MAX_TARGET_EXAMPLES:,} examples in all."
        )
    return "Auto trains 3 epochs: each example is seen three times."


def estimate_note(estimated_examples: int) -> str:
    """Say in one line why a token count is an estimate ("" when it is exact).

    Tools, tool calls and images have no exact published count (see
    :mod:`ftstudio.core.tokens.counting`); neither has an image given by a web
    address, whose size cannot be known offline.
    """
    if estimated_examples <= 0:
        return ""
    many = "example holds" if estimated_examples == 1 else "examples hold"
    return (
        f"≈ marks an estimate: {estimated_examples:,} {many} tools, tool calls or "
        "images (counted by OpenAI's published method, web images at an assumed "
        "size); OpenAI's own count may differ a little."
    )


def billing_tokens(example_tokens: Iterable[int], limit: int | None) -> int:
    """Sum of each example's tokens, each capped at the model's training limit."""
    if limit is None:
        return sum(example_tokens)
    return sum(min(t, limit) for t in example_tokens)


@dataclass(frozen=True)
class CostEstimate:
    """An estimate of what one training run costs."""

    billing_tokens: int
    epochs: int
    price_per_1m: float | None

    @property
    def trained_tokens(self) -> int:
        """Return billing tokens × epochs."""
        return self.billing_tokens * self.epochs

    @property
    def usd(self) -> float | None:
        """Return the cost in USD, or None when the price is unknown."""
        if self.price_per_1m is None:
            return None
        return self.trained_tokens * self.price_per_1m / 1_000_000
