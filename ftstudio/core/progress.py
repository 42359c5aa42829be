"""The progress value that long core generators yield."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
Y = TypeVar("Y")


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a long operation has come.

    ``total`` is None when the amount of work is not known in advance.
    """

    done: int
    total: int | None
    label: str = ""

    @property
    def fraction(self) -> float | None:
        """Done over total in 0..1, or None when the total is unknown."""
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


def run_to_end(
    gen: Generator[Y, None, T], on_item: Callable[[Y], object] | None = None
) -> T:
    """Drive a core generator synchronously (CLI, tests); return its result.

    Each yielded item (progress, a retry notice, a partial result) is passed to
    ``on_item`` when given. The one place the ``StopIteration`` dance lives.
    """
    while True:
        try:
            item = next(gen)
        except StopIteration as stop:
            result: T = stop.value
            return result
        if on_item is not None:
            on_item(item)
