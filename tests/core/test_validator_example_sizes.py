"""Validator.example_sizes(): the per-example figures behind the report's distributions."""

from __future__ import annotations

import json

from ftstudio.core.dataset.edits import set_raw
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.validation.validator import Validator


def chat(user: str, reply: str) -> dict[str, object]:
    return {
        "messages": [
            {"role": "user", "content": user},
            {"role": "assistant", "content": reply},
        ]
    }


def test_sizes_follow_the_report() -> None:
    rows = [chat("Hi", "Hello"), chat("A longer question " * 20, "Yes")]
    lines = [json.dumps(r) for r in rows] + ["", "not json"]
    store = DatasetStore.from_bytes(("\n".join(lines) + "\n").encode())
    validator = Validator(store, "gpt-4o-mini", workers=0)
    tokens, messages = validator.example_sizes()
    assert len(tokens) == len(messages) == 0  # nothing until the first run
    report = validator.validate()
    tokens, messages = validator.example_sizes()
    # the blank line and the broken line are not examples with sizes
    assert messages.tolist() == [2, 2]
    assert tokens.max() == report.tokens.per_example.max
    assert tokens.min() == report.tokens.per_example.min
    assert int(tokens.sum()) == report.tokens.total


def test_sizes_change_with_an_edit() -> None:
    store = DatasetStore.from_bytes((json.dumps(chat("Hi", "Hello")) + "\n").encode())
    validator = Validator(store, "gpt-4o-mini", workers=0)
    validator.validate()
    before = validator.example_sizes()[0].tolist()
    set_raw(store, 0, json.dumps(chat("Hi " * 50, "Hello")).encode()).apply(store)
    validator.validate()
    after = validator.example_sizes()[0].tolist()
    assert after[0] > before[0]
