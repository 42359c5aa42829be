"""Shared helpers for the validator tests: build files from example values."""

from __future__ import annotations

import json
from typing import Any

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.report import Report
from ftstudio.core.validation.validator import Validator


def good(i: int = 0) -> dict[str, Any]:
    """Return a valid chat example, different for each ``i``."""
    return {
        "messages": [
            {"role": "system", "content": "You answer briefly."},
            {"role": "user", "content": f"What is {i} plus one?"},
            {"role": "assistant", "content": f"It is {i + 1}."},
        ]
    }


def lines(*values: Any, pad: int = 60) -> bytes:
    """Return a JSONL file: ``values`` (dicts dumped, bytes as is) then ``pad`` good examples."""
    out = []
    for v in values:
        out.append(v if isinstance(v, bytes) else json.dumps(v).encode())
    out += [json.dumps(good(1000 + i)).encode() for i in range(pad)]
    return b"\n".join(out) + b"\n"


KNOWN_LIMITS = "gpt-4o-mini"
"""A model whose training limit and price are known: every check runs."""


def report_of(data: bytes, model: str = KNOWN_LIMITS) -> Report:
    """Validate ``data`` in this process."""
    return Validator(DatasetStore.from_bytes(data), model, workers=0).validate()


def on_line(report: Report, line: int | None) -> list[Finding]:
    """Return the findings of ``line`` (None: file-level)."""
    return [f for f in report.findings if f.line == line]


def codes(report: Report, line: int | None = 1) -> set[str]:
    """Return the codes found on ``line``."""
    return {f.code for f in on_line(report, line)}
