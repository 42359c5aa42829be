"""Find the rows a filter shows, as a cancellable task over a snapshot of keys."""

from __future__ import annotations

import json
from collections.abc import Callable, Generator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from ftstudio.core.progress import Progress
from ftstudio.core.validation.findings import Severity

if TYPE_CHECKING:
    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.dataset.store import DatasetStore, Keys
    from ftstudio.gui.dataset.table_model import Rows

STEP = 5000
"""Rows between cancellation checkpoints (a few milliseconds of work)."""


class Problems(Enum):
    """Which examples the status filter keeps."""

    ALL = "All examples"
    ERRORS = "Only examples with errors"
    PROBLEMS = "Only examples with errors or warnings"


@dataclass(frozen=True)
class RowFilter:
    """A text to look for (case-insensitive, in any field) and a status filter."""

    text: str = ""
    problems: Problems = Problems.ALL

    @property
    def active(self) -> bool:
        """Whether this filter hides anything at all."""
        return bool(self.text.strip()) or self.problems is not Problems.ALL

    def needles(self) -> list[bytes]:
        """Return the byte strings to look for in raw lines.

        A file may store "é" as UTF-8 or as a JSON unicode escape, so both
        spellings are searched.
        """
        text = self.text.strip().lower()
        if not text:
            return []
        plain = text.encode("utf-8")
        escaped = json.dumps(text)[1:-1].encode("ascii").lower()
        return [plain] if escaped == plain else [plain, escaped]


def filter_rows(
    store: DatasetStore,
    keys: Keys,
    row_filter: RowFilter,
    row_info: Callable[[int], Any],
) -> Callable[[CancelToken], Generator[Progress, None, Rows]]:
    """Return a task that finds the rows of ``keys`` that ``row_filter`` keeps."""
    needles = row_filter.needles()
    wanted = {
        Problems.ALL: None,
        Problems.ERRORS: {Severity.ERROR},
        Problems.PROBLEMS: {Severity.ERROR, Severity.WARNING},
    }[row_filter.problems]
    key_list: list[int] = keys.tolist()

    def run(cancel: CancelToken) -> Generator[Progress, None, Rows]:
        hits: list[int] = []
        total = len(key_list)
        raw_for_key = store.raw_for_key
        for start in range(0, total, STEP):
            cancel.check()
            for row in range(start, min(total, start + STEP)):
                if wanted is not None:
                    info = row_info(row)
                    if getattr(info, "severity", None) not in wanted:
                        continue
                if needles:
                    raw = raw_for_key(key_list[row]).lower()
                    if not any(n in raw for n in needles):
                        continue
                hits.append(row)
            yield Progress(min(total, start + STEP), total, "Filtering")
        import numpy as np

        return np.asarray(hits, dtype=np.int64)

    return run
