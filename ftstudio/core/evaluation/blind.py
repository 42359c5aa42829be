"""Blind side-by-side judgement: two replies as A and B in random order; 1, 2 or 0."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ftstudio.core.evaluation.results import Vote

if TYPE_CHECKING:
    from ftstudio.core.evaluation.table import EvalTable

CHOICES = {1: "A is better", 2: "B is better", 0: "Tie"}


@dataclass(frozen=True)
class BlindItem:
    """What the person sees: the test and two replies, with no model names."""

    row: int
    question: str
    expected: str
    reply_a: str
    reply_b: str


class BlindSession:
    """Walk through the tests both models answered, hiding which reply is whose.

    Parameters
    ----------
    table
        The run's results; votes already in it are not asked again.
    first, second
        The two models compared (their sides in ``table``).
    rng
        Picks which model is A for each test (a seeded one in tests).
    """

    def __init__(
        self,
        table: EvalTable,
        first: int,
        second: int,
        rng: random.Random | None = None,
    ) -> None:
        if first == second:
            raise ValueError("two different models")
        self._table = table
        self.models = (table.models[first], table.models[second])
        draw = rng or random.SystemRandom()
        self._rows = [
            case.row
            for case in table.cases
            if self._reply(case.row, first) is not None
            and self._reply(case.row, second) is not None
        ]
        # True: the second model's reply is shown as A
        self._swapped = {row: draw.random() < 0.5 for row in self._rows}
        self._sides = (first, second)

    def _reply(self, row: int, side: int) -> str | None:
        answer = self._table.answers.get((row, side))
        if answer is None:
            return None
        return f"(no reply: {answer.error})" if answer.error else answer.reply

    @property
    def total(self) -> int:
        """Return how many tests can be judged (both models answered)."""
        return len(self._rows)

    @property
    def done(self) -> int:
        """Return how many of them have a vote."""
        return sum((row, self.models) in self._table.votes for row in self._rows)

    def current(self) -> BlindItem | None:
        """Return the next test without a vote, or None when all are judged."""
        for row in self._rows:
            if (row, self.models) not in self._table.votes:
                return self._item(row)
        return None

    def _item(self, row: int) -> BlindItem:
        case = self._table.cases[row]
        first, second = (self._reply(row, side) or "" for side in self._sides)
        a, b = (second, first) if self._swapped[row] else (first, second)
        return BlindItem(row, case.question, case.expected, a, b)

    def choose(self, key: int) -> Vote:
        """Record the choice for the current test: 1 for A, 2 for B, 0 for a tie.

        Returns the :class:`Vote` (by model name) for the caller to keep.

        Raises
        ------
        ValueError
            When ``key`` is not 0, 1 or 2, or every test is judged already.
        """
        if key not in CHOICES:
            raise ValueError("press 1, 2 or 0")
        item = self.current()
        if item is None:
            raise ValueError("every test is judged")
        first, second = self.models
        shown_a, shown_b = (second, first) if self._swapped[item.row] else self.models
        winner = {1: shown_a, 2: shown_b, 0: ""}[key]
        vote = Vote(item.row, (first, second), winner)
        self._table.votes[(item.row, self.models)] = vote
        return vote
