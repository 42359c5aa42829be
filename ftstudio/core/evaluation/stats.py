"""Aggregate scores: mean with a bootstrap interval, wins/ties/losses, a plain sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

RESAMPLES = 2000
CHUNK = 4_000_000
"""Draw at most this many indices at once (32 MB), however long the test file."""
SEED = 12
"""A fixed seed: the same scores always give the same interval."""
TIE = 1e-9


@dataclass(frozen=True)
class Summary:
    """One model's mean score with its 95% confidence interval."""

    mean: float | None
    low: float | None
    high: float | None
    count: int


def bootstrap_ci(
    values: Sequence[float], level: float = 0.95, resamples: int = RESAMPLES
) -> tuple[float, float]:
    """Return the percentile bootstrap interval of the mean of ``values``.

    Written over numpy rather than taking SciPy (tens of MB) for one function.

    Raises
    ------
    ValueError
        When ``values`` is empty.
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        raise ValueError("no values")
    rng = np.random.default_rng(SEED)
    step = max(1, CHUNK // data.size)
    means = np.concatenate(
        [
            data[
                rng.integers(0, data.size, size=(min(step, resamples - i), data.size))
            ].mean(axis=1)
            for i in range(0, resamples, step)
        ]
    )
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


def summarize(values: Sequence[float]) -> Summary:
    """Return the mean and 95% interval of ``values`` (all None when empty)."""
    if not values:
        return Summary(None, None, None, 0)
    low, high = bootstrap_ci(values)
    return Summary(float(np.mean(values)), low, high, len(values))


@dataclass(frozen=True)
class Comparison:
    """Model ``second`` against model ``first`` on the examples both have a score for."""

    first: str
    second: str
    wins: int
    """Examples where ``second`` scored higher."""
    ties: int
    losses: int
    """Examples where ``second`` scored lower."""
    difference: Summary
    """Mean of ``second`` minus ``first``, with its interval."""

    @property
    def compared(self) -> int:
        """Return how many examples were compared."""
        return self.wins + self.ties + self.losses

    @property
    def beyond_chance(self) -> bool:
        """Whether the 95% interval of the difference leaves out zero."""
        d = self.difference
        if d.low is None or d.high is None or self.compared < 2:
            return False
        return d.low > 0 or d.high < 0

    def sentence(self) -> str:
        """Say in one plain sentence which model did better and whether it is chance."""
        n = self.compared
        if n == 0:
            return (
                f"{self.first} and {self.second} have no example scored for both yet."
            )
        if self.wins == self.losses:
            head = (
                f"{self.second} and {self.first} are even: each is better on "
                f"{self.wins} of {n} examples"
            )
        else:
            better, worse = (
                (self.second, self.first)
                if self.wins > self.losses
                else (self.first, self.second)
            )
            count = max(self.wins, self.losses)
            head = f"{better} is better than {worse} on {count} of {n} examples"
        if self.ties:
            head += f" ({self.ties} tied)"
        if self.beyond_chance:
            tail = "the difference is larger than chance"
        elif n < 5:
            tail = "too few examples to tell it from chance"
        else:
            tail = "the difference could be chance"
        return f"{head}; {tail}."


def compare(
    first: str,
    second: str,
    first_scores: Sequence[float | None],
    second_scores: Sequence[float | None],
) -> Comparison:
    """Count wins, ties and losses of ``second`` over ``first`` example by example.

    Only examples scored for both count; the interval is that of the paired
    differences, so an example's difficulty cancels out.
    """
    diffs = [
        b - a
        for a, b in zip(first_scores, second_scores, strict=True)
        if a is not None and b is not None
    ]
    wins = sum(d > TIE for d in diffs)
    losses = sum(d < -TIE for d in diffs)
    return Comparison(
        first,
        second,
        wins,
        len(diffs) - wins - losses,
        losses,
        summarize(diffs),
    )


def distribution(values: Sequence[float], steps: int) -> tuple[list[float], list[int]]:
    """Count ``values`` (0 to 1) in ``steps`` equal bins; return bin centres and counts.

    ``steps`` of 2 gives fail/pass, 5 the judge's grades, 10 tenths for F1.
    """
    if steps < 2:
        raise ValueError("at least two bins")
    counts = [0] * steps
    for value in values:
        if steps <= 5:  # the values sit on the bins' own points (0, 0.25, …, 1)
            index = round(value * (steps - 1))
        else:
            index = min(steps - 1, int(value * steps))
        counts[max(0, index)] += 1
    if steps <= 5:
        centres = [i / (steps - 1) for i in range(steps)]
    else:
        centres = [(i + 0.5) / steps for i in range(steps)]
    return centres, counts
