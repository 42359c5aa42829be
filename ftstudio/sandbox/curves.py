"""Plausible training curves: noisy decay, and overfitting when epochs are many.

Deterministic for a seed, so a job replays the same curve after a restart.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StepMetrics:
    """What one training step reports (``None`` where nothing was measured)."""

    step: int
    train_loss: float
    train_accuracy: float
    valid_loss: float | None = None
    valid_accuracy: float | None = None
    full_valid_loss: float | None = None
    full_valid_accuracy: float | None = None

    def event_data(self, total_steps: int) -> dict[str, float | int]:
        """Return the ``data`` of the step's ``metrics`` event."""
        data: dict[str, float | int] = {
            "step": self.step,
            "total_steps": total_steps,
            "train_loss": self.train_loss,
            "train_mean_token_accuracy": self.train_accuracy,
        }
        if self.valid_loss is not None and self.valid_accuracy is not None:
            data["valid_loss"] = self.valid_loss
            data["valid_mean_token_accuracy"] = self.valid_accuracy
        if self.full_valid_loss is not None and self.full_valid_accuracy is not None:
            data["full_valid_loss"] = self.full_valid_loss
            data["full_valid_mean_token_accuracy"] = self.full_valid_accuracy
        return data

    def message(self, total_steps: int) -> str:
        """Return the event message OpenAI writes for a step."""
        text = f"Step {self.step}/{total_steps}: training loss={self.train_loss:.2f}"
        if self.valid_loss is not None:
            text += f", validation loss={self.valid_loss:.2f}"
        if self.full_valid_loss is not None:
            text += f", full validation loss={self.full_valid_loss:.2f}"
        return text


def best_epoch(examples: int) -> float:
    """Return the epoch after which held-out loss starts rising.

    A small dataset is memorised sooner, so its validation loss turns up earlier.
    """
    return min(6.0, 1.5 + examples / 40)


def _accuracy(loss: float, start: float, rng: random.Random) -> float:
    acc = 1.0 - loss / (start * 1.15) + rng.gauss(0, 0.01)
    return round(min(0.999, max(0.0, acc)), 4)


def simulate_curve(
    *,
    examples: int,
    steps_per_epoch: int,
    epochs: int,
    has_validation: bool,
    seed: int,
    learning_rate_multiplier: float,
) -> list[StepMetrics]:
    """Return the metrics of every step of a simulated run.

    Training loss decays towards a floor with noise; validation loss (when a
    validation file was given) follows it until :func:`best_epoch`, then climbs
    in proportion to the extra epochs, which is what overfitting looks like.
    """
    rng = random.Random(seed)
    start = 2.2 + rng.random() * 0.8
    rate = 1.1 * min(3.0, max(0.2, learning_rate_multiplier / 1.8)) ** 0.5
    train_floor, valid_floor = 0.04, 0.35 + rng.random() * 0.2
    turn = best_epoch(examples)
    valid_every = max(1, steps_per_epoch // 4)
    total = steps_per_epoch * epochs
    out: list[StepMetrics] = []

    def valid_at(epoch: float) -> float:
        base = valid_floor + (start - valid_floor) * math.exp(-rate * epoch)
        return base + 0.12 * max(0.0, epoch - turn)

    for step in range(1, total + 1):
        epoch = step / steps_per_epoch
        clean = train_floor + (start - train_floor) * math.exp(-rate * epoch)
        loss = max(0.001, clean * (1 + rng.gauss(0, 0.12)))
        train_acc = _accuracy(loss, start, rng)
        epoch_end = step % steps_per_epoch == 0
        vloss = vacc = full = full_acc = None
        if has_validation and (step % valid_every == 0 or epoch_end):
            vloss = round(max(0.001, valid_at(epoch) * (1 + rng.gauss(0, 0.08))), 4)
            vacc = _accuracy(vloss, start, rng)
            if epoch_end:
                full = round(valid_at(epoch), 4)
                full_acc = _accuracy(full, start, rng)
        metrics = StepMetrics(
            step, round(loss, 4), train_acc, vloss, vacc, full, full_acc
        )
        out.append(metrics)
    return out


def results_csv(curve: list[StepMetrics]) -> bytes:
    """Return the step-metrics CSV that OpenAI attaches as the job's result file."""
    lines = ["step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy"]
    for m in curve:
        valid = "" if m.valid_loss is None else f"{m.valid_loss}"
        vacc = "" if m.valid_accuracy is None else f"{m.valid_accuracy}"
        lines.append(f"{m.step},{m.train_loss},{m.train_accuracy},{valid},{vacc}")
    return ("\n".join(lines) + "\n").encode("utf-8")
