"""The lines edits create, kept by key; superseded ones are freed once nothing can read them.

Typing in one field is one undo step: each keystroke makes a new line, and the
one before it is superseded at once. Freeing those keeps memory to one line per
undo step instead of one per keystroke. A superseded line is freed only when no
row table that a background task may still be reading holds its key: every
table is a numpy array, tracked by weak reference, and a task's snapshot is a
view that keeps its array alive.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

    Keys = npt.NDArray[np.int64]


class Overlay:
    """Edited lines by key, from ``first_key`` up (thread-safe for adding)."""

    def __init__(self, first_key: int) -> None:
        self._lines: dict[int, bytes] = {}
        self._next = first_key
        # bulk edits are built on a worker while the GUI thread may add lines too
        self._lock = threading.Lock()
        self._tables: list[weakref.ref[Keys]] = []
        self._retired: list[int] = []

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, key: int) -> bytes:
        return self._lines[key]

    def add(self, raw: bytes) -> int:
        """Store ``raw`` and return its new key."""
        with self._lock:
            key = self._next
            self._next += 1
            self._lines[key] = raw
        return key

    def track(self, table: Keys) -> None:
        """Remember ``table`` (a new row table) while anything keeps it alive."""
        self._tables = [t for t in self._tables if t() is not None]
        self._tables.append(weakref.ref(table))

    def retire(self, key: int) -> list[int]:
        """Mark ``key`` superseded; return the keys freed now (this or earlier ones)."""
        self._retired.append(key)
        alive = [t for t in (ref() for ref in self._tables) if t is not None]
        retired = np.asarray(self._retired, dtype=np.int64)
        held = np.zeros(len(retired), dtype=bool)
        for table in alive:
            held |= np.isin(retired, table)
        freed = [int(k) for k in retired[~held]]
        self._retired = [int(k) for k in retired[held]]
        with self._lock:
            for done in freed:
                self._lines.pop(done, None)
        return freed
