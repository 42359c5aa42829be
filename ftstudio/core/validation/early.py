"""The first findings of a big file, before the whole file is checked.

A big first pass takes seconds (every text is tokenized). Before it starts,
:func:`early_check` checks lines from the top in full for a fraction of a
second and the validator yields their findings as :class:`EarlyFindings`, a
:class:`Progress` that carries them, so a caller that only draws progress
needs no change. The results are kept: the main pass skips those lines, so
the early findings cost no extra work, and worker processes start up
meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ftstudio.core.progress import Progress
from ftstudio.core.validation.cache import NOT_DONE
from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.linecheck import check_line

if TYPE_CHECKING:
    from ftstudio.core.dataset.store import DatasetStore, Keys
    from ftstudio.core.tokens.counting import TokenCounter
    from ftstudio.core.validation.cache import KeyResults

T = TypeVar("T")
EARLY_BYTES = 16 * 1024 * 1024
"""Pending lines smaller than this are checked in full quickly enough."""
EARLY_SECONDS = 0.2
EARLY_MOST = 200


@dataclass(frozen=True, slots=True)
class EarlyFindings(Progress):
    """Progress that carries the first findings of each line (1-based lines).

    ``lines`` is how many lines from the top were checked; totals, limits and
    rules that compare lines (duplicates) come with the full report.
    """

    findings: tuple[Finding, ...] = ()
    lines: int = 0


def early_check(
    store: DatasetStore,
    keys: Keys,
    results: KeyResults,
    counter: TokenCounter,
    seconds: float = EARLY_SECONDS,
) -> tuple[tuple[Finding, ...], int]:
    """Check rows from the top for ``seconds``, keeping each result in ``results``.

    Returns the rows' own findings (with line numbers) and how many rows were
    looked at. Rows already checked are not checked again.
    """
    deadline = time.monotonic() + seconds
    found: list[Finding] = []
    rows = 0
    for row, key in enumerate(keys.tolist()):
        if row and row % 64 == 0 and time.monotonic() > deadline:
            break
        rows = row + 1
        if results.cls[key] == NOT_DONE:
            results.put(key, check_line(store.raw_for_key(key), counter))
        for f in results.findings_of(key):
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
