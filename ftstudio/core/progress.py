"""What long core generators yield besides partial results: progress and notices."""

from __future__ import annotations

from abc import ABC, abstractmethod
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


class Notice(ABC):
    """Something the user should hear about now, while the operation goes on.

    A retry after a lost connection is one (``RetryNotice``, in the API
    package). It is neither progress nor a result: the worker sends it on
    its own signal (``Task.noticed``, never batched away) and the command line
    writes it on stderr, so no caller has to pick notices out of its results.
    """

    __slots__ = ()

    @property
    @abstractmethod
    def text(self) -> str:
        """Return the line to show, e.g. "… Trying again in 2 s (attempt 2 of 6)."."""


def run_to_end(
    gen: Generator[Y, None, T], on_item: Callable[[Y], object] | None = None
) -> T:
    """Drive a core generator synchronously (CLI, tests); return its result.

    Each yielded item (progress, a notice, a partial result) is passed to
    ``on_item`` when given. Kept here for its many callers: the loop itself is
    :func:`ftstudio.core.drive.drive`.
    """
    from ftstudio.core.drive import run_to_end as drive_to_end  # drive imports us

    return drive_to_end(gen, on_item)
