"""Edit commands as plain data: ``apply(store)`` does the edit and returns its inverse.

A thin ``QUndoCommand`` in the GUI wraps these; the CLI and the tests use them
directly. Every edit is a splice of the store's key table, so nothing here copies
or mutates line bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ftstudio.core.dataset.parse import dumps

__all__ = [  # dumps too: callers build edits with it
    "Edit",
    "Macro",
    "SetKeys",
    "SetLayout",
    "Splice",
    "delete_rows",
    "dumps",
    "duplicate_rows",
    "insert_values",
    "map_values",
    "set_raw",
    "set_value",
]

if TYPE_CHECKING:
    from ftstudio.core.dataset.store import DatasetStore, Keys, Layout


class Edit(Protocol):
    """Anything that can be applied to a store and returns its own inverse."""

    @property
    def label(self) -> str:
        """Return what the edit does, for the undo menu."""
        ...

    def apply(self, store: DatasetStore) -> Edit: ...


@dataclass(frozen=True)
class Splice:
    """Replace ``remove`` rows at ``row`` by the lines with keys ``insert``."""

    row: int
    remove: int
    insert: tuple[int, ...]
    label: str = "Edit"

    def apply(self, store: DatasetStore) -> Splice:
        removed = store.splice(self.row, self.remove, self.insert)
        return Splice(self.row, len(self.insert), tuple(removed), self.label)


@dataclass(frozen=True)
class SetKeys:
    """Replace the whole row table: one step for a bulk action over many rows."""

    keys: Keys = field(repr=False)
    label: str = "Bulk edit"

    def apply(self, store: DatasetStore) -> SetKeys:
        return SetKeys(store.set_keys(self.keys), self.label)


@dataclass(frozen=True)
class SetLayout:
    """Change the file's BOM, line endings or final newline."""

    layout: Layout
    label: str = "Fix file layout"

    def apply(self, store: DatasetStore) -> SetLayout:
        return SetLayout(store.set_layout(self.layout), self.label)


@dataclass(frozen=True)
class Macro:
    """Several edits as one undo step."""

    edits: tuple[Edit, ...]
    label: str = "Edit"

    def apply(self, store: DatasetStore) -> Macro:
        inverses = [edit.apply(store) for edit in self.edits]
        return Macro(tuple(reversed(inverses)), self.label)


# builders: turn values into edits ------------------------------------------------
def set_value(
    store: DatasetStore, row: int, value: Any, label: str = "Edit example"
) -> Splice:
    """Return the edit that replaces ``row`` with ``value``."""
    return Splice(row, 1, (store.new_key(dumps(value)),), label)


def set_raw(
    store: DatasetStore, row: int, raw: bytes, label: str = "Edit line"
) -> Splice:
    """Return the edit that replaces ``row`` with the text ``raw`` (may be invalid JSON)."""
    return Splice(row, 1, (store.new_key(raw),), label)


def insert_values(
    store: DatasetStore, row: int, values: Sequence[Any], label: str = "Add example"
) -> Splice:
    """Return the edit that inserts ``values`` before ``row``."""
    return Splice(row, 0, tuple(store.new_key(dumps(v)) for v in values), label)


def delete_rows(
    store: DatasetStore, rows: Sequence[int], label: str = "Delete"
) -> SetKeys:
    """Return the edit that deletes ``rows`` (any order, one undo step)."""
    mask = np.ones(len(store), dtype=bool)
    mask[list(rows)] = False
    return SetKeys(store.keys[mask], label)


def duplicate_rows(
    store: DatasetStore, rows: Sequence[int], label: str = "Duplicate"
) -> SetKeys:
    """Return the edit that puts a copy of each of ``rows`` right after it."""
    keys = store.keys.tolist()
    wanted = set(rows)
    out: list[int] = []
    for row, key in enumerate(keys):
        out.append(key)
        if row in wanted:
            out.append(store.new_key(store.raw_for_key(key)))
    return SetKeys(np.asarray(out, dtype=np.int64), label)


def map_values(
    store: DatasetStore,
    rows: Sequence[int],
    change: Any,
    label: str,
) -> SetKeys | None:
    """Return one edit that replaces each row's value by ``change(value)``.

    ``change`` gets a private copy and returns the new value, or None to leave the row alone (it is only
    called on rows that hold a JSON object). Returns None when nothing changes.
    """
    from ftstudio.core.dataset.parse import LineKind, parse_line

    keys = store.keys.copy()
    touched = False
    for row in rows:
        raw = store.raw(row)
        parsed = parse_line(raw)
        if parsed.kind is not LineKind.JSON or not isinstance(parsed.value, dict):
            continue
        # ``change`` may mutate what it gets: give it a second parse (cheaper
        # than a deep copy) so the comparison below sees the original value
        new = change(parse_line(raw).value)
        if new is not None and new != parsed.value:
            keys[row] = store.new_key(dumps(new))
            touched = True
    return SetKeys(keys, label) if touched else None
