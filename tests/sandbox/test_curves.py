"""The simulated curves look like training: loss falls, and small data overfits."""

from __future__ import annotations

import csv
import io
import itertools

from ftstudio.sandbox.curves import results_csv, simulate_curve


def full_valid(examples: int, epochs: int, seed: int = 1) -> list[float]:
    curve = simulate_curve(
        examples=examples,
        steps_per_epoch=examples,
        epochs=epochs,
        has_validation=True,
        seed=seed,
        learning_rate_multiplier=1.8,
    )
    return [m.full_valid_loss for m in curve if m.full_valid_loss is not None]


def test_training_loss_falls_with_noise() -> None:
    curve = simulate_curve(
        examples=50,
        steps_per_epoch=50,
        epochs=3,
        has_validation=False,
        seed=4,
        learning_rate_multiplier=1.8,
    )
    losses = [m.train_loss for m in curve]
    assert sum(losses[:10]) / 10 > 2 * sum(losses[-10:]) / 10
    assert any(b > a for a, b in itertools.pairwise(losses))  # noisy
    assert all(m.valid_loss is None for m in curve)
    accuracy = [m.train_accuracy for m in curve]
    assert sum(accuracy[-10:]) > sum(accuracy[:10])


def test_small_dataset_with_many_epochs_overfits() -> None:
    losses = full_valid(examples=10, epochs=15)
    best = losses.index(min(losses))
    assert best < 5
    assert losses[-1] > min(losses) + 0.5  # validation loss turned up


def test_large_dataset_with_few_epochs_does_not_overfit() -> None:
    losses = full_valid(examples=400, epochs=3)
    assert losses == sorted(losses, reverse=True)


def test_same_seed_same_curve() -> None:
    assert full_valid(20, 5, seed=9) == full_valid(20, 5, seed=9)
    assert full_valid(20, 5, seed=9) != full_valid(20, 5, seed=10)


def test_results_csv_has_openai_columns() -> None:
    curve = simulate_curve(
        examples=8,
        steps_per_epoch=8,
        epochs=2,
        has_validation=True,
        seed=1,
        learning_rate_multiplier=1.8,
    )
    rows = list(csv.DictReader(io.StringIO(results_csv(curve).decode())))
    assert list(rows[0]) == [
        "step",
        "train_loss",
        "train_accuracy",
        "valid_loss",
        "valid_mean_token_accuracy",
    ]
    assert [int(r["step"]) for r in rows] == list(range(1, 17))
    assert rows[7]["valid_loss"]  # measured at the epoch end
    assert rows[0]["valid_loss"] == ""  # not measured on every step
