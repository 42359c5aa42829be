"""A big file's first findings come before the whole file is checked, at no extra cost."""

from __future__ import annotations

import io
import json

import pytest

from ftstudio.cli.validate_cmd import announce_early
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.progress import Progress
from ftstudio.core.tokens.counting import TokenCounter
from ftstudio.core.validation import validator as validator_module
from ftstudio.core.validation.cache import KeyResults
from ftstudio.core.validation.early import EarlyFindings, early_check
from ftstudio.core.validation.validator import Validator
from tests.core.validation_helpers import good, lines

BAD = lines(
    good(1),
    b'{"messages": [',
    {
        "messages": [
            {"role": "developer", "content": "x"},
            {"role": "user", "content": "q"},
            {"role": "assistant", "content": "a"},
        ]
    },
    pad=40,
)


def _items(data: bytes) -> tuple[list[Progress], object]:
    gen = Validator(DatasetStore.from_bytes(data), "gpt-4o-mini", workers=0).run()
    items: list[Progress] = []
    while True:
        try:
            items.append(next(gen))
        except StopIteration as stop:
            return items, stop.value


def test_big_first_pass_yields_the_first_findings_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(validator_module, "EARLY_BYTES", 0)
    items, report = _items(BAD)
    early = [i for i in items if isinstance(i, EarlyFindings)]
    assert len(early) == 1
    assert items.index(early[0]) <= 1  # before any line is checked in full
    found = {(f.line, f.code) for f in early[0].findings}
    assert found == {(2, "invalid_json"), (3, "developer_role")}
    assert early[0].lines == 43
    full = {(f.line, f.code) for f in report.findings if f.line}  # type: ignore[attr-defined]
    assert found <= full


def test_small_files_and_rechecks_have_no_early_pass() -> None:
    items, _ = _items(BAD)
    assert not any(isinstance(i, EarlyFindings) for i in items)


def test_the_check_stops_at_its_time_budget_and_keeps_its_work() -> None:
    store = DatasetStore.from_bytes(
        b"\n".join(json.dumps(good(i)).encode() for i in range(5000))
    )
    results = KeyResults(len(store))
    found, rows = early_check(
        store, store.keys, results, TokenCounter("o200k_base"), seconds=0
    )
    assert found == ()
    assert 0 < rows < 5000
    # the lines looked at are done: the main pass checks only the others
    assert len(results.pending(store.keys)) == 5000 - rows


def test_lines_checked_early_are_not_checked_again(
    monkeypatch: pytest.MonkeyPatch, calls: list[bytes]
) -> None:
    monkeypatch.setattr(validator_module, "EARLY_BYTES", 0)
    _items(BAD)
    assert len(calls) == len(DatasetStore.from_bytes(BAD))  # each line once


def test_the_cli_shows_them_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validator_module, "EARLY_BYTES", 0)
    out = io.StringIO()
    gen = announce_early(
        Validator(DatasetStore.from_bytes(BAD), "gpt-4o-mini", workers=0).run(), out
    )
    first = next(gen)
    while not isinstance(first, EarlyFindings):
        first = next(gen)
    text = out.getvalue()
    assert "First problems in the top 43 lines" in text
    assert "line 2: invalid_json" in text
    assert "token counts follows" in text
