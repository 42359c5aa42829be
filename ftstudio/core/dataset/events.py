"""What the dataset store announces before and after each change (napari's evented lists)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class ChangeKind(StrEnum):
    """What kind of change a :class:`StoreEvent` announces."""

    SPLICE = "splice"
    """``removed`` rows at ``row`` replaced by ``inserted`` rows."""
    RESET = "reset"
    """The whole row table replaced."""
    LAYOUT = "layout"
    """The BOM, line endings or final newline changed; no row did."""


@dataclass(frozen=True)
class StoreEvent:
    """One change to the store, announced before and after it happens.

    ``kind`` says which :class:`ChangeKind` of change it is (a string enum: it
    still compares equal to ``"splice"``, ``"reset"`` and ``"layout"``).
    ``version`` is the store's :attr:`DatasetStore.version` once the change is
    done: one number answers "did the store change meanwhile?".
    """

    kind: ChangeKind
    row: int = 0
    removed: int = 0
    inserted: int = 0
    version: int = 0


class StoreListener(Protocol):
    """What a store tells its listener (the open ``Document``, in the studio)."""

    def store_about_to_change(self, event: StoreEvent) -> None:
        """``event`` is about to happen: the store still holds the old rows."""

    def store_changed(self, event: StoreEvent) -> None:
        """``event`` happened."""
