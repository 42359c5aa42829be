"""Fields OpenAI refuses: the finding says the fix removes them, and Fix all does."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.fixes import all_fixes, fix_stray_fields
from ftstudio.core.validation.profiles import relax
from tests.core.validation_helpers import good, lines, report_of


def chat(*messages: dict[str, Any]) -> dict[str, Any]:
    return {"messages": list(messages)}


USER = {"role": "user", "content": "Hello"}
REPLY = {"role": "assistant", "content": "Hi there."}


def findings(data: bytes, code: str) -> list[Finding]:
    return [f for f in report_of(data).findings if f.code == code]


def examples(store: DatasetStore) -> list[Any]:
    return [json.loads(r) for r in store.iter_raw()]


@pytest.mark.parametrize(
    ("example", "code"),
    [
        (chat({**USER, "source": "faq.pdf"}, REPLY), "message_unrecognized_key"),
        (chat({**USER, "weight": 1}, REPLY), "invalid_weight"),
        (
            chat({"role": "system", "content": "Be brief.", "weight": 0}, USER, REPLY),
            "invalid_weight",
        ),
        (
            chat(USER, {**REPLY, "thinking": "They greet me."}),
            "message_unrecognized_key",
        ),
        (
            {
                "input": {"messages": [USER]},
                "preferred_output": [{**REPLY, "weight": 1}],
                "non_preferred_output": [{"role": "assistant", "content": "Go away."}],
            },
            "invalid_weight",
        ),
    ],
)
def test_fix_all_removes_what_the_finding_says_it_removes(
    example: dict[str, Any], code: str
) -> None:
    data = lines(example)
    found = findings(data, code)
    assert found, code
    assert all(f.fixable and "the fix does" in f.message for f in found)
    store = DatasetStore.from_bytes(data)
    edit = all_fixes(store)
    assert edit is not None
    undo = edit.apply(store)
    assert not findings(store.to_bytes(), code)
    first = examples(store)[0]
    texts = json.dumps(first)
    assert "Hello" in texts
    assert "Hi there." in texts
    assert fix_stray_fields(store) is None
    undo.apply(store)
    assert store.to_bytes() == data


def test_the_single_fix_touches_only_the_stray_field() -> None:
    data = lines(
        chat(
            {**USER, "source": "faq.pdf"},
            {**REPLY, "weight": 0},
            USER,
            {**REPLY, "weight": 1},
        )
    )
    store = DatasetStore.from_bytes(data)
    edit = fix_stray_fields(store)
    assert edit is not None
    edit.apply(store)
    assert examples(store)[0] == chat(
        USER, {**REPLY, "weight": 0}, USER, {**REPLY, "weight": 1}
    )
    assert examples(store)[1:] == [json.loads(r) for r in data.splitlines()[1:]]


@pytest.mark.parametrize(
    ("target", "field"),
    [("gpt-oss", "thinking"), ("fireworks", "reasoning_content")],
)
def test_a_field_the_target_trainer_reads_is_kept(target: str, field: str) -> None:
    example = chat(USER, {**REPLY, field: "They greet me.", "source": "x"})
    data = lines(example)
    store = DatasetStore.from_bytes(data)
    edit = all_fixes(store, target)
    assert edit is not None
    edit.apply(store)
    assert examples(store)[0] == chat(USER, {**REPLY, field: "They greet me."})
    # and validating for that trainer no longer reports the message
    left = relax(report_of(store.to_bytes()).findings, target)
    assert "message_unrecognized_key" not in {f.code for f in left}
    # for plain OpenAI the same field is unknown, and removed
    store = DatasetStore.from_bytes(data)
    edit = all_fixes(store)
    assert edit is not None
    edit.apply(store)
    assert examples(store)[0] == chat(USER, REPLY)


@pytest.mark.parametrize("typo", ["Content", "contnet", " content"])
def test_a_misspelled_field_is_never_removed(typo: str) -> None:
    data = lines(chat({"role": "user", typo: "Hello"}, REPLY))
    (found,) = findings(data, "message_unrecognized_key")
    assert not found.fixable
    assert f'rename "{typo}" to "content"' in found.message
    store = DatasetStore.from_bytes(data)
    assert fix_stray_fields(store) is None
    assert all_fixes(store) is None


def test_a_weight_on_an_unknown_role_is_left_to_the_user() -> None:
    data = lines(chat(USER, {"role": "asistant", "content": "Hi", "weight": 1}))
    (found,) = findings(data, "invalid_weight")
    assert not found.fixable
    assert fix_stray_fields(DatasetStore.from_bytes(data)) is None


def test_clean_file_and_a_weight_of_half_are_not_stray() -> None:
    assert fix_stray_fields(DatasetStore.from_bytes(lines(good(1)))) is None
    data = lines(chat(USER, {**REPLY, "weight": 0.5}))
    (found,) = findings(data, "invalid_weight")
    assert not found.fixable  # the user decides between 0 and 1
    assert fix_stray_fields(DatasetStore.from_bytes(data)) is None
