"""The first structural findings of a big file, before its tokens are counted.

A big first pass takes seconds (every text is tokenized). Before it starts,
:func:`early_scan` reads lines from the top for a fraction of a second with
the structural rules only (no tokenizer, no fingerprints) and the validator
yields what it found as :class:`EarlyFindings`, a :class:`Progress` that
carries them, so a caller that only draws progress needs no change. Worker
processes start up meanwhile, so the scan costs almost no wall time.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ftstudio.core.dataset.formats import Format, detect_format
from ftstudio.core.dataset.parse import LineKind, parse_line
from ftstudio.core.progress import Progress
from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.linecheck import fast_shape, kind_finding, not_object
from ftstudio.core.validation.rules import (
    check_chat,
    check_completion,
    check_preference,
)

if TYPE_CHECKING:
    from ftstudio.core.dataset.store import DatasetStore, Keys

T = TypeVar("T")
EARLY_BYTES = 16 * 1024 * 1024
"""Pending lines smaller than this are checked in full quickly enough."""
EARLY_SECONDS = 0.2
EARLY_MOST = 200


@dataclass(frozen=True, slots=True)
class EarlyFindings(Progress):
    """Progress that carries the first structural findings (1-based lines).

    ``lines`` is how many lines from the top were scanned; token counts and
    rules that compare lines (duplicates) come with the full report.
    """

    findings: tuple[Finding, ...] = ()
    lines: int = 0


def structure_findings(raw: bytes) -> list[Finding]:
    """Return the structural findings of one line (no token counts, no secrets)."""
    parsed = parse_line(raw)
    if parsed.kind is not LineKind.JSON:
        return [kind_finding(parsed.kind, parsed.error)]
    value = parsed.value
    if not isinstance(value, dict):
        return [not_object(value)]
    if fast_shape(value) is not None:
        return []  # a plain chat example: nothing structural to find
    fmt = detect_format(value)
    if fmt is Format.PREFERENCE:
        return check_preference(value)
    if fmt is Format.COMPLETION:
        return check_completion(value)
    return check_chat(value)


def early_scan(
    store: DatasetStore, keys: Keys, seconds: float = EARLY_SECONDS
) -> tuple[tuple[Finding, ...], int]:
    """Scan rows from the top for ``seconds``; return (findings, rows scanned)."""
    deadline = time.monotonic() + seconds
    found: list[Finding] = []
    rows = 0
    for row, key in enumerate(keys.tolist()):
        if row and row % 256 == 0 and time.monotonic() > deadline:
            break
        rows = row + 1
        for f in structure_findings(store.raw_for_key(key)):
            found.append(Finding(rows, f.code, f.severity, f.message, f.fixable))
        if len(found) >= EARLY_MOST:
            break
    found.sort(key=lambda f: (f.severity.rank, f.line or 0))
    return tuple(found), rows


@dataclass(frozen=True, slots=True)
class EarlyBatch:
    """The early findings as a result item rather than a progress value.

    A worker that thins out progress values (it emits one per percent) could
    drop an :class:`EarlyFindings`; :func:`early_apart` turns them into this,
    which travels as a partial result instead.
    """

    findings: tuple[Finding, ...]
    lines: int


def early_apart(
    gen: Generator[Progress, None, T],
) -> Generator[Progress | EarlyBatch, None, T]:
    """Pass ``gen`` on, its :class:`EarlyFindings` as :class:`EarlyBatch` items."""
    try:
        while True:
            try:
                item = next(gen)
            except StopIteration as stop:
                result: T = stop.value
                return result
            if isinstance(item, EarlyFindings):
                yield EarlyBatch(item.findings, item.lines)
            else:
                yield item
    finally:
        gen.close()
