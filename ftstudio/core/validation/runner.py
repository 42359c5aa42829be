"""Small helpers of the validator: draining generators, pretty JSON, the other file."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from ftstudio.core.dataset.layout import pretty_finding, pretty_values
from ftstudio.core.progress import Progress
from ftstudio.core.validation.aggregate import Other
from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.linecheck import NOT_OBJECT

if TYPE_CHECKING:
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.core.validation.report import Report
    from ftstudio.core.validation.validator import Validator

T = TypeVar("T")


def relabel(
    gen: Generator[Progress, None, T], label: str
) -> Generator[Progress, None, T]:
    """Pass ``gen``'s progress on under another label; return its result."""
    while True:
        try:
            progress = next(gen)
        except StopIteration as stop:
            result: T = stop.value
            return result
        yield Progress(progress.done, progress.total, label)


def pretty_check(store: DatasetStore) -> Finding | None:
    """Return the pretty-printed-JSON finding of ``store``, or None."""
    values = pretty_values(store)
    return pretty_finding(store, values) if values is not None else None


def validation_summary(
    validator: Validator, report: Report
) -> tuple[Other, list[Finding]]:
    """Return the validation file's fingerprints and a finding if it has errors."""
    res = validator._results
    keys = validator.store.keys
    rows = np.flatnonzero(res.cls[keys] < NOT_OBJECT)
    other = Other(res.digest[keys][rows], rows.astype(np.int64))
    findings = []
    if report.errors:
        findings.append(
            Finding(
                None,
                "validation_file_errors",
                Severity.WARNING,
                f"The validation file has {report.errors:,} error"
                f"{'s' if report.errors != 1 else ''}: check it on its own before "
                "training, or OpenAI will reject it.",
            )
        )
    return other, findings
