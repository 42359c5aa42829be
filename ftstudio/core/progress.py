"""The progress value that long core generators yield."""

from __future__ import annotations

from dataclasses import dataclass


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
