"""Turn cached per-line results into a report: counts, duplicates, tokens, cost.

Everything here is vectorised over the row snapshot, so it stays cheap (a few
milliseconds for 100,000 lines) and can run after every edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ftstudio.core.cost import CostEstimate, auto_epochs
from ftstudio.core.dataset.formats import file_format
from ftstudio.core.models import ModelInfo
from ftstudio.core.validation.cache import KeyResults
from ftstudio.core.validation.filechecks import file_findings
from ftstudio.core.validation.filewide import (
    estimate_findings,
    foreign_findings,
    image_rows,
    images_not_supported,
    legacy_findings,
)
from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.linecheck import (
    BLANK,
    CLASS_FORMATS,
    ESTIMATED,
    NO_SEVERITY,
    NOT_OBJECT,
)
from ftstudio.core.validation.report import Distribution, Report, TokenSummary

Rows = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Other:
    """The fingerprints of the other file (validation set) and their rows."""

    digests: npt.NDArray[np.int64]
    rows: Rows


def duplicates(digests: npt.NDArray[np.int64], rows: Rows) -> tuple[Rows, Rows]:
    """Return (later rows, the earlier row each repeats) among examples ``rows``."""
    if len(rows) < 2:
        empty = np.zeros(0, np.int64)
        return empty, empty
    d = digests[rows]
    order = np.argsort(d, kind="stable")  # stable: within equal values, row order
    ordered = d[order]
    starts = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    group_first = order[np.flatnonzero(starts)]
    group_of = np.cumsum(starts) - 1
    later = np.flatnonzero(~starts)
    return rows[order[later]], rows[group_first[group_of[later]]]


def overlap(
    digests: npt.NDArray[np.int64], rows: Rows, other: Other
) -> tuple[Rows, Rows]:
    """Return (rows also in ``other``, the matching row there)."""
    if not len(rows) or not len(other.digests):
        empty = np.zeros(0, np.int64)
        return empty, empty
    d = digests[rows]
    order = np.argsort(other.digests, kind="stable")
    ordered = other.digests[order]
    pos = np.searchsorted(ordered, d).clip(0, len(ordered) - 1)
    hit = ordered[pos] == d
    return rows[hit], other.rows[order[pos[hit]]]


def _line_findings(
    res: KeyResults, keys: npt.NDArray[np.int64], extra: list[tuple[int, Finding]]
) -> list[Finding]:
    rows_with = np.flatnonzero(res.rank[keys] < NO_SEVERITY)
    pairs: list[tuple[int, Finding]] = list(extra)
    for row in rows_with.tolist():
        line = row + 1
        for f in res.findings_of(int(keys[row])):
            pairs.append(
                (line, Finding(line, f.code, f.severity, f.message, f.fixable))
            )
    pairs.sort(key=lambda p: (p[0], p[1].severity.rank))
    return [f for _, f in pairs]


def build_report(
    res: KeyResults,
    keys: npt.NDArray[np.int64],
    info: ModelInfo,
    encoding: str,
    layout: Sequence[Finding],
    *,
    other: Other | None = None,
    other_findings: Sequence[Finding] = (),
) -> Report:
    """Aggregate the results of the rows ``keys`` into a :class:`Report`.

    Also records each key's worst file-level finding in ``res.extra_rank`` so
    the editor can colour rows.
    """
    cls = res.cls[keys]
    examples = int(np.count_nonzero(cls != BLANK))
    objects = np.flatnonzero(cls < NOT_OBJECT)
    counts = {
        CLASS_FORMATS[c]: int(np.count_nonzero(cls == c)) for c in range(NOT_OBJECT)
    }
    fmt = file_format(counts)
    tokens = res.tokens[keys][objects]
    limit = info.training_context
    over = objects[tokens > limit] if limit is not None else objects[:0]
    extra: list[tuple[int, Finding]] = []
    extra_rank = np.full(len(keys), NO_SEVERITY, np.int8)
    if limit is not None:
        for row in over.tolist():
            n = int(res.tokens[keys[row]])
            extra.append((row + 1, over_limit(row + 1, n, limit, info.name)))
    for row in image_rows(res, keys, objects, info).tolist():
        extra.append((row + 1, images_not_supported(row + 1, info.name)))
        extra_rank[row] = Severity.ERROR.rank
    later, earlier = duplicates(res.digest[keys], objects)
    for row, first in zip(later.tolist(), earlier.tolist(), strict=True):
        extra.append((row + 1, _duplicate(row + 1, first + 1)))
    extra_rank[later] = np.minimum(extra_rank[later], Severity.WARNING.rank)
    if other is not None:
        mine, theirs = overlap(res.digest[keys], objects, other)
        for row, there in zip(mine.tolist(), theirs.tolist(), strict=True):
            extra.append((row + 1, _overlap(row + 1, there + 1)))
        extra_rank[mine] = np.minimum(extra_rank[mine], Severity.WARNING.rank)
    res.extra_rank[keys] = extra_rank
    file_level = [
        *layout,
        *foreign_findings(res, keys, objects),
        *file_findings(fmt, counts, examples, info),
        *legacy_findings(res, keys, objects, fmt),
        *estimate_findings(res, keys, objects),
        *other_findings,
    ]
    file_level.sort(key=lambda f: f.severity.rank)
    billing = (
        int(np.minimum(tokens, limit).sum()) if limit is not None else int(tokens.sum())
    )
    summary = TokenSummary(
        total=int(tokens.sum()),
        billing=billing,
        assistant=int(res.assistant[keys][objects].sum()),
        over_limit_examples=len(over),
        limit=limit,
        estimated_examples=int(np.count_nonzero(res.flags[keys][objects] & ESTIMATED)),
        per_example=Distribution.of(tokens),
        messages_per_example=Distribution.of(res.messages[keys][objects]),
    )
    return Report(
        format=fmt.value,
        examples=examples,
        model=info.name,
        encoding=encoding,
        findings=(*file_level, *_line_findings(res, keys, extra)),
        tokens=summary,
        cost=CostEstimate(billing, auto_epochs(examples), info.price_per_1m),
    )


def over_limit(line: int, tokens: int, limit: int, model: str) -> Finding:
    return Finding(
        line,
        "over_token_limit",
        Severity.WARNING,
        f"This example has {tokens:,} tokens but {model} trains on at most "
        f"{limit:,} per example, so the end will be cut off. Shorten it or split "
        "it into several examples.",
    )


def _duplicate(line: int, first: int) -> Finding:
    return Finding(
        line,
        "duplicate_example",
        Severity.WARNING,
        f"This example is the same as line {first:,}. Repeats make the model "
        "over-learn them: delete one (the fix keeps the first).",
        True,
    )


def _overlap(line: int, there: int) -> Finding:
    return Finding(
        line,
        "train_validation_overlap",
        Severity.WARNING,
        f"This example is also in the validation file (line {there:,}). An example "
        "in both makes the validation score look better than it is: remove it "
        "from one of them.",
    )
