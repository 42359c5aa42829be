"""Automatic fixes: each returns an undoable edit, or None when it is not needed.

The CLI's ``ftstudio fix`` and the window's fix buttons call these. Every fix is
computed from the store as it is now and changes nothing until applied; apply
the returned edit and keep its inverse to undo. :func:`all_fixes` folds every
fix into one :class:`Macro` of at most two steps (the new row table and the new
layout), so it is a single undo step.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ftstudio.core.dataset.edits import Edit, Macro, SetKeys, SetLayout, dumps
from ftstudio.core.dataset.layout import has_crlf, pretty_values
from ftstudio.core.dataset.parse import LineKind, parse_line
from ftstudio.core.validation.linecheck import digest
from ftstudio.core.validation.profiles import ACCEPTED_FIELDS
from ftstudio.core.validation.repairs import HINTS, repair
from ftstudio.core.validation.strays import strip_strays

if TYPE_CHECKING:
    from ftstudio.core.dataset.store import DatasetStore, Keys, Layout


def _dump(value: Any) -> bytes:
    """Serialise one example compactly, even what orjson refuses.

    orjson rejects lone surrogates and integers beyond 64 bits, both valid JSON;
    the stdlib writes them losslessly (surrogates as escapes, so the line stays
    valid UTF-8).
    """
    try:
        return dumps(value)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def _changed(store: DatasetStore, keys: Keys) -> bool:
    current = store.keys
    return len(keys) != len(current) or not np.array_equal(keys, current)


def _set_keys(store: DatasetStore, keys: Keys, label: str) -> SetKeys | None:
    return SetKeys(keys, label) if _changed(store, keys) else None


def _set_layout(store: DatasetStore, layout: Layout, label: str) -> SetLayout | None:
    return SetLayout(layout, label) if layout != store.layout else None


# row-table steps: (store, keys) -> keys -----------------------------------------
def _pretty_keys(store: DatasetStore, keys: Keys) -> Keys:
    values = pretty_values(store)
    if values is None:
        return keys
    return np.asarray([store.new_key(_dump(v)) for v in values], dtype=np.int64)


def _nonblank_keys(store: DatasetStore, keys: Keys) -> Keys:
    keep = [store.raw_for_key(k).strip() != b"" for k in keys.tolist()]
    return keys[np.asarray(keep, dtype=bool)] if len(keys) else keys


def _unique_keys(store: DatasetStore, keys: Keys) -> Keys:
    seen: set[int] = set()
    keep = []
    for key in keys.tolist():
        parsed = parse_line(store.raw_for_key(key))
        if parsed.kind is LineKind.JSON and isinstance(parsed.value, dict):
            fingerprint = digest(parsed.value)
            if fingerprint in seen:
                keep.append(False)
                continue
            seen.add(fingerprint)
        keep.append(True)
    return keys[np.asarray(keep, dtype=bool)] if len(keys) else keys


def _repaired_keys(store: DatasetStore, keys: Keys) -> Keys:
    out = keys.copy()
    for i, key in enumerate(keys.tolist()):
        raw = store.raw_for_key(key)
        if not any(hint in raw for hint in HINTS):
            continue
        parsed = parse_line(raw)
        if parsed.kind is not LineKind.JSON:
            continue
        fixed = repair(parsed.value)
        if fixed is not None:
            out[i] = store.new_key(_dump(fixed))
    return out


def _unstrayed_keys(store: DatasetStore, keys: Keys, target: str) -> Keys:
    keep = ACCEPTED_FIELDS.get(target, frozenset())
    out = keys.copy()
    for i, key in enumerate(keys.tolist()):
        parsed = parse_line(store.raw_for_key(key))
        if parsed.kind is not LineKind.JSON:
            continue
        fixed = strip_strays(parsed.value, keep)
        if fixed is not None:
            out[i] = store.new_key(_dump(fixed))
    return out


# layout steps: (store, layout) -> layout -------------------------------------------
def _no_bom(store: DatasetStore, layout: Layout) -> Layout:
    return replace(layout, bom=False)


def _lf(store: DatasetStore, layout: Layout) -> Layout:
    if not has_crlf(store) and not layout.crlf:
        return layout
    return replace(layout, crlf=False, normalized=True)


def _final_newline(store: DatasetStore, layout: Layout) -> Layout:
    return replace(layout, final_newline=True)


# public fixes --------------------------------------------------------------------
def fix_bom(store: DatasetStore) -> Edit | None:
    """Remove the byte-order mark at the start of the file."""
    return _set_layout(store, _no_bom(store, store.layout), "Remove byte-order mark")


def fix_line_endings(store: DatasetStore) -> Edit | None:
    """Write every line ending as a plain line feed (LF)."""
    return _set_layout(store, _lf(store, store.layout), "Use plain line endings")


def fix_final_newline(store: DatasetStore) -> Edit | None:
    """End the last line with a line break."""
    if not len(store):
        return None
    return _set_layout(
        store, _final_newline(store, store.layout), "Add final line break"
    )


def fix_blank_lines(store: DatasetStore) -> Edit | None:
    """Delete empty lines."""
    return _set_keys(store, _nonblank_keys(store, store.keys), "Remove empty lines")


def fix_fields(store: DatasetStore) -> Edit | None:
    """Repair fields safely: developer role, arguments as objects, capitalised keys."""
    return _set_keys(store, _repaired_keys(store, store.keys), "Repair fields")


def fix_stray_fields(store: DatasetStore, target: str = "openai") -> Edit | None:
    """Remove fields OpenAI refuses: unknown ones, and weights off assistant replies.

    Fields the ``target`` trainer reads (``thinking`` for gpt-oss,
    ``reasoning_content`` for Fireworks) stay; so do fields that look like a
    misspelling of a missing one (see :mod:`ftstudio.core.validation.strays`).
    """
    keys = _unstrayed_keys(store, store.keys, target)
    return _set_keys(store, keys, "Remove stray fields")


def fix_duplicates(store: DatasetStore) -> Edit | None:
    """Delete later copies of an example, keeping the first one."""
    return _set_keys(store, _unique_keys(store, store.keys), "Remove duplicates")


def fix_pretty_json(store: DatasetStore) -> Edit | None:
    """Convert a pretty-printed JSON file (or one JSON array) to one example per line."""
    keys = _pretty_keys(store, store.keys)
    if not _changed(store, keys):
        return None
    layout = replace(store.layout, final_newline=True)
    steps: list[Edit] = [SetKeys(keys, "Convert to JSON Lines")]
    if layout != store.layout:
        steps.append(SetLayout(layout))
    return Macro(tuple(steps), "Convert to JSON Lines")


def all_fixes(store: DatasetStore, target: str = "openai") -> Edit | None:
    """Return every automatic fix as one undo step, or None when nothing needs fixing.

    Order matters: a pretty-printed file is converted first, then empty lines
    are dropped, fields repaired, stray fields removed (keeping those the
    ``target`` trainer reads), and duplicates of the result dropped.
    """
    keys = _pretty_keys(store, store.keys)
    keys = _repaired_keys(store, _nonblank_keys(store, keys))
    keys = _unstrayed_keys(store, keys, target)
    keys = _unique_keys(store, keys)
    layout = _lf(store, _no_bom(store, store.layout))
    if len(keys):
        layout = _final_newline(store, layout)
    steps: list[Edit] = []
    if _changed(store, keys):
        steps.append(SetKeys(keys, "Apply all fixes"))
    if layout != store.layout:
        steps.append(SetLayout(layout, "Apply all fixes"))
    return Macro(tuple(steps), "Apply all fixes") if steps else None
