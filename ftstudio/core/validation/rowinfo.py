"""What the dataset editor shows per row: format, worst finding, sizes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ftstudio.core.dataset.formats import Format
from ftstudio.core.validation.aggregate import over_limit
from ftstudio.core.validation.cache import NOT_DONE
from ftstudio.core.validation.filewide import images_not_supported
from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.linecheck import CLASS_FORMATS, IMAGES, NO_SEVERITY

if TYPE_CHECKING:
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.core.models import ModelInfo
    from ftstudio.core.validation.cache import KeyResults

_BY_RANK = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@dataclass(frozen=True, slots=True)
class RowInfo:
    """One row's validation state.

    ``severity`` is the worst finding on the row (None = fine); ``format`` is
    :attr:`Format.UNKNOWN` for lines that are not examples (blank, invalid).
    """

    format: Format
    severity: Severity | None
    messages: int
    tokens: int
    assistant_tokens: int


def _key(store: DatasetStore, res: KeyResults, row: int) -> int | None:
    keys = store.keys
    if not 0 <= row < len(keys):
        return None
    key = int(keys[row])
    cls = res.cls  # one read: the array may be swapped for a bigger one meanwhile
    if key >= len(cls) or cls[key] == NOT_DONE:
        return None
    return key


def _over(res: KeyResults, info: ModelInfo, key: int) -> bool:
    limit = info.training_context
    return limit is not None and int(res.tokens[key]) > limit


def _images_refused(res: KeyResults, info: ModelInfo, key: int) -> bool:
    return not info.vision and bool(int(res.flags[key]) & IMAGES)


def row_info(
    store: DatasetStore, res: KeyResults, info: ModelInfo, row: int
) -> RowInfo | None:
    """Return the state of ``row``, or None until it was validated."""
    key = _key(store, res, row)
    if key is None:
        return None
    rank = min(int(res.rank[key]), int(res.extra_rank[key]))
    if _over(res, info, key):
        rank = min(rank, Severity.WARNING.rank)
    if _images_refused(res, info, key):
        rank = Severity.ERROR.rank
    return RowInfo(
        format=CLASS_FORMATS[int(res.cls[key])],
        severity=_BY_RANK[rank] if rank < NO_SEVERITY else None,
        messages=int(res.messages[key]),
        tokens=int(res.tokens[key]),
        assistant_tokens=int(res.assistant[key]),
    )


def row_findings(
    store: DatasetStore,
    res: KeyResults,
    info: ModelInfo,
    row: int,
    extra: list[Finding],
) -> list[Finding]:
    """Return ``row``'s own findings plus ``extra`` (from the last report), worst first."""
    key = _key(store, res, row)
    if key is None:
        return []
    line = row + 1
    out = [
        Finding(line, f.code, f.severity, f.message, f.fixable)
        for f in res.findings_of(key)
    ]
    if _over(res, info, key):
        assert info.training_context is not None
        out.append(
            over_limit(line, int(res.tokens[key]), info.training_context, info.name)
        )
    if _images_refused(res, info, key):
        out.append(images_not_supported(line, info.name))
    out.extend(extra)
    out.sort(key=lambda f: f.severity.rank)
    return out
