"""Plain-language hints about the curves, the overfitting warning, and the cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ftstudio.core.models import ModelTable, default_table
from ftstudio.core.monitor.metrics import FloatArray, epoch_at, moving_average

if TYPE_CHECKING:
    from ftstudio.core.monitor.metrics import MetricSeries

MIN_RISE = 0.05
"""Validation loss must end at least this share above its lowest point."""
MIN_STRETCH = 0.15
"""...and keep rising over at least this share of the steps seen."""

CURVES_EXPLAINED = (
    "Training loss shows how far the model's replies are from your examples while "
    "it learns from them; it should go down."
)
VALIDATION_EXPLAINED = (
    "Validation loss is the same measure on examples the model never trains on: "
    "it tells whether the model learned the task or only memorised your examples."
)
NO_VALIDATION = (
    "This job has no validation file, so only training loss is shown. Add a "
    "validation file next time to see whether the model does well on new examples."
)
ACCURACY_EXPLAINED = (
    "Token accuracy (lower plot) is the share of reply words the model predicted "
    "exactly; higher is better."
)


@dataclass(frozen=True)
class Overfitting:
    """Validation loss rose for a sustained stretch while training loss fell."""

    best_step: int
    """The step where validation loss was lowest."""
    best_epoch: int | None
    """The epoch of that step, when the number of epochs is known."""
    rise: float
    """How much higher validation loss ends than its lowest point (0.1 = 10 %)."""

    @property
    def text(self) -> str:
        """Return the warning the user reads under the plot."""
        advice = "Next time train for fewer epochs"
        if self.best_epoch is not None:
            advice += f" (about {self.best_epoch})"
        return (
            f"Possible overfitting: validation loss has risen {self.rise:.0%} since "
            f"step {self.best_step} while training loss kept falling. The model is "
            f"memorising your examples rather than learning the task. {advice}, "
            "or add more varied examples."
        )


def _validation(series: MetricSeries) -> tuple[FloatArray, FloatArray]:
    # Full validation (epoch ends) is exact but sparse; the per-step samples are
    # noisy but dense. Prefer the exact one when it has enough points to trend.
    steps, values = series.arrays("full_valid_loss")
    if steps.size >= 3:
        return steps, values
    steps, values = series.arrays("valid_loss")
    window = max(1, steps.size // 10)
    return steps, moving_average(values, window)


def detect_overfitting(
    series: MetricSeries, n_epochs: int | None = None
) -> Overfitting | None:
    """Return the overfitting finding, or None when the curves look healthy."""
    v_steps, v_values = _validation(series)
    t_steps, t_raw = series.arrays("train_loss")
    if v_steps.size < 3 or t_steps.size < 3:
        return None
    best = int(np.argmin(v_values))
    lowest, last = float(v_values[best]), float(v_values[-1])
    if lowest <= 0 or best == v_values.size - 1:
        return None
    rise = (last - lowest) / lowest
    span = float(t_steps[-1] - t_steps[0]) or 1.0
    stretch = float(v_steps[-1] - v_steps[best]) / span
    if rise < MIN_RISE or stretch < MIN_STRETCH:
        return None
    # Training loss must still be falling over the same stretch (else the whole
    # run went wrong, which is not overfitting).
    t_smooth = moving_average(t_raw, max(1, t_raw.size // 10))
    best_step = int(v_steps[best])
    at_best = float(np.interp(best_step, t_steps, t_smooth))
    if float(t_smooth[-1]) >= at_best:
        return None
    epoch = epoch_at(best_step, series.total_steps, n_epochs)
    return Overfitting(best_step, epoch, rise)


def curve_hints(series: MetricSeries, n_epochs: int | None = None) -> list[str]:
    """Return the hints shown under the plot, the most important first."""
    if not len(series):
        return ["The curves appear here once training starts."]
    hints: list[str] = []
    finding = detect_overfitting(series, n_epochs)
    if finding is not None:
        hints.append(finding.text)
    hints.append(CURVES_EXPLAINED)
    if series.has("valid_loss") or series.has("full_valid_loss"):
        hints.append(VALIDATION_EXPLAINED)
    else:
        hints.append(NO_VALIDATION)
    hints.append(ACCURACY_EXPLAINED)
    return hints


COST_EXPLAINED = (
    "While a job runs, the cost is estimated from the training file's tokens "
    "(counted when it was launched from ftstudio) times the epochs, for the share "
    "of steps done. Once the job ends, the provider reports the tokens it trained, "
    "and that is what it bills."
)


def training_cost(
    model: str, trained_tokens: int | None, table: ModelTable | None = None
) -> float | None:
    """Return the cost in USD of ``trained_tokens`` at the price table's rate."""
    if trained_tokens is None:
        return None
    price = (table or default_table()).lookup(model).price_per_1m
    if price is None:
        return None
    return trained_tokens * price / 1_000_000


def cost_text(
    model: str, trained_tokens: int | None, table: ModelTable | None = None
) -> str:
    """Describe the cost so far in words ("$0.42 for 140,000 tokens")."""
    if trained_tokens is None:
        return "Cost: shown when the service reports the trained tokens"
    usd = training_cost(model, trained_tokens, table)
    if usd is None:
        return f"{trained_tokens:,} tokens trained (price of {model} not known)"
    return f"${usd:,.2f} for {trained_tokens:,} tokens trained"


def running_cost_text(
    model: str, so_far: int, whole: int, table: ModelTable | None = None
) -> str:
    """Describe an estimated cost so far ("About $0.12 so far of $0.40 (estimate)")."""
    now, total = training_cost(model, so_far, table), training_cost(model, whole, table)
    if now is None or total is None:
        return (
            f"About {so_far:,} of {whole:,} tokens so far (price of {model} not known)"
        )
    return f"About ${now:,.2f} so far of ${total:,.2f} (estimate)"
