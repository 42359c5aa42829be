"""The launch ledger remembers billing tokens per job, survives a bad file, stays small."""

from __future__ import annotations

import pytest

from ftstudio.core.monitor import launches
from ftstudio.core.monitor.launches import (
    launched_billing_tokens,
    ledger_path,
    record_launch,
)


def test_a_recorded_launch_is_found_again_and_others_are_not() -> None:
    record_launch("ftjob-a", 1234)
    record_launch("ftjob-b", 99)
    assert launched_billing_tokens("ftjob-a") == 1234
    assert launched_billing_tokens("ftjob-b") == 99
    assert launched_billing_tokens("ftjob-elsewhere") is None


def test_a_damaged_ledger_is_ignored_and_replaced() -> None:
    ledger_path().parent.mkdir(parents=True, exist_ok=True)
    ledger_path().write_text("{not json", encoding="utf-8")
    assert launched_billing_tokens("ftjob-a") is None
    record_launch("ftjob-a", 7)
    assert launched_billing_tokens("ftjob-a") == 7


def test_only_the_newest_launches_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launches, "KEEP", 3)
    for i in range(5):
        record_launch(f"ftjob-{i}", i)
    assert [launched_billing_tokens(f"ftjob-{i}") for i in range(5)] == [
        None,
        None,
        2,
        3,
        4,
    ]


def test_an_unwritable_ledger_never_stops_a_launch() -> None:
    blocker = ledger_path().parent
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    record_launch("ftjob-a", 5)  # logged, not raised
    assert launched_billing_tokens("ftjob-a") is None
