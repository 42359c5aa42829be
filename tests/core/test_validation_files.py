"""Whole-file rules: other tools' formats, legacy checks, models, fixes, the spec."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.dataset.formats import Foreign, Format, detect_format, foreign_format
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.models import default_table
from ftstudio.core.progress import run_to_end
from ftstudio.core.validation.findings import Severity
from ftstudio.core.validation.fixes import all_fixes, fix_fields
from ftstudio.core.validation.validator import Validator
from tests.core.validation_helpers import codes, lines, on_line, report_of

REPO = Path(__file__).resolve().parents[2]
SPEC = Path(
    os.environ.get("FTSTUDIO_SHARED", REPO.parent / "shared"),
    "openai-api",
    "openapi-2025-05.yaml",
)
ALPACA = {"instruction": "Add 2 and 2.", "input": "", "output": "4"}
SHAREGPT = {
    "conversations": [
        {"from": "human", "value": "Hi"},
        {"from": "gpt", "value": "Hello"},
    ]
}
TRL = {"prompt": "Say hi", "chosen": "Hi!", "rejected": "Go away."}
CAPS = {"Prompt": "Say hi ->", "Completion": " Hi!"}


def many(value: dict[str, Any], n: int = 12) -> bytes:
    rows = []
    for i in range(n):
        row = dict(value)
        first = next(iter(row))
        row[first] = f"{row[first]} {i}" if isinstance(row[first], str) else row[first]
        rows.append(row)
    return lines(*rows, pad=0)


@pytest.mark.parametrize(
    ("value", "foreign", "fmt"),
    [
        (ALPACA, Foreign.ALPACA, Format.CHAT),
        ({"input": "2+2", "output": "4"}, Foreign.ALPACA, Format.CHAT),
        (SHAREGPT, Foreign.SHAREGPT, Format.CHAT),
        (TRL, Foreign.TRL_PREFERENCE, Format.PREFERENCE),
        (CAPS, Foreign.CAPITALISED, Format.COMPLETION),
        ({"prompt": "a", "completion": "b"}, None, Format.COMPLETION),
        ({"messages": []}, None, Format.CHAT),
        ({"input": {"messages": []}, "preferred_output": []}, None, Format.PREFERENCE),
    ],
)
def test_format_detection(value: Any, foreign: Foreign | None, fmt: Format) -> None:
    assert foreign_format(value) is foreign
    assert detect_format(value) is fmt


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (ALPACA, "an Alpaca file"),
        (SHAREGPT, "a ShareGPT file"),
        (TRL, "a TRL preference file"),
        (CAPS, "a capitalised Prompt/Completion file"),
    ],
)
def test_a_file_in_another_tools_format_says_convert_it(value: Any, words: str) -> None:
    report = report_of(many(value))
    top = on_line(report, None)[0]
    assert (top.code, top.severity) == ("foreign_file", Severity.ERROR)
    assert words in top.message
    assert "convert it" in top.message
    line = on_line(report, 1)
    assert len(line) == 1  # one plain reason per line, not a list of missing fields
    assert line[0].code in {"foreign_format", "capitalised_keys"}


def test_legacy_prepare_data_checks() -> None:
    same_prompt = [{"prompt": "Q ->", "completion": f" A{i}\n"} for i in range(12)]
    report = report_of(lines(*same_prompt, pad=0), "babbage-002")
    assert "identical_prompts" in codes(report, None)
    assert "identical_completions" not in codes(report, None)
    same_answer = [{"prompt": f"Q{i} ->", "completion": " A\n"} for i in range(12)]
    assert "identical_completions" in codes(
        report_of(lines(*same_answer, pad=0), "babbage-002"), None
    )
    odd = [{"prompt": "Q ->", "completion": "  ", "source": "x"}, *same_answer[1:]]
    found = {
        f.code: f.severity
        for f in on_line(report_of(lines(*odd, pad=0), "babbage-002"), 1)
    }
    assert found == {
        "empty_completion": Severity.ERROR,
        "unrecognized_example_key": Severity.WARNING,
    }


def test_o4_mini_is_not_offered_and_explained() -> None:
    assert "o4-mini" not in default_table().names()
    assert "gpt-4.1-mini" in default_table().names()
    report = report_of(lines(), "o4-mini")
    found = on_line(report, None)
    assert ("model_not_trainable", Severity.ERROR) in {
        (f.code, f.severity) for f in found
    }


def test_vision_models_come_from_the_table() -> None:
    table = default_table()
    assert table.lookup("gpt-4o-2024-08-06").vision
    assert table.lookup("gpt-4.1-2025-04-14").vision
    assert not table.lookup("gpt-4o-mini").vision
    assert not table.lookup("gpt-4.1-mini").vision


def _repair(data: bytes) -> tuple[DatasetStore, Any]:
    store = DatasetStore.from_bytes(data)
    edit = fix_fields(store)
    assert edit is not None
    edit.apply(store)
    return store, json.loads(store.raw_for_key(int(store.keys[0])))


def test_fix_repairs_the_fixable_fields() -> None:
    tool = {"type": "function", "function": {"name": "f"}}
    call = {
        "id": "c",
        "type": "function",
        "function": {"name": "f", "arguments": {"x": 1}},
    }
    example = {
        "messages": [
            {"role": "developer", "content": "Be brief."},
            {"role": "user", "content": "Go"},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "content": "ok", "tool_call_id": "c"},
            {"role": "assistant", "content": "Done."},
        ],
        "tools": [tool],
    }
    before = report_of(lines(example))
    assert {"developer_role", "tool_arguments_not_string"} <= codes(before)
    assert all(f.fixable for f in on_line(before, 1))
    store, fixed = _repair(lines(example))
    assert fixed["messages"][0]["role"] == "system"
    assert json.loads(
        fixed["messages"][2]["tool_calls"][0]["function"]["arguments"]
    ) == {"x": 1}
    report = Validator(store, "gpt-4o-mini", workers=0).validate()
    assert codes(report) == set()
    _, caps = _repair(lines(CAPS, pad=0))
    assert caps == {"prompt": "Say hi ->", "completion": " Hi!"}


def test_fix_leaves_unrepairable_lines_alone() -> None:
    both = {"prompt": "a", "Prompt": "b", "completion": "c"}
    store = DatasetStore.from_bytes(lines(both, ALPACA, pad=0))
    assert fix_fields(store) is None
    assert all_fixes(store) is None


def test_severity_and_message_agree() -> None:
    bad = [
        b"",
        {
            "messages": [
                {"role": "developer", "content": "x"},
                {"role": "user", "content": "q"},
            ]
        },
        {
            "messages": [
                {"role": "user", "content": "q"},
                {"role": "assistant", "content": "a", "weight": 0.5},
            ]
        },
        ALPACA,
        {
            "messages": [
                {"role": "user", "content": "q"},
                {"role": "assistant", "content": "a"},
            ],
            "note": 1,
        },
    ]
    report = report_of(
        lines(
            *bad,
            b'{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}',
        )
    )
    assert report.findings
    for f in report.findings:
        if f.fixable:
            assert re.search(r"\bfix", f.message), f
        if f.severity is not Severity.ERROR:
            assert "rejects" not in f.message, f


def _example_of(schema: str) -> Any:
    """Return the JSON example the spec gives under ``schema`` (folded YAML)."""
    text = SPEC.read_text(encoding="utf-8")
    start = text.index(f"\n    {schema}:\n")
    block = text[start : text.index("\n    FineTune", start + 10)]
    body = block.split("example: >\n", 1)[1]
    return json.loads(body)


@pytest.mark.contract
@pytest.mark.parametrize(
    ("schema", "model"),
    [
        ("FineTuneChatRequestInput", "gpt-4o-mini"),
        ("FineTunePreferenceRequestInput", "gpt-4o-mini"),
    ],
)
def test_the_specs_own_examples_pass_clean(schema: str, model: str) -> None:
    if not SPEC.is_file():
        pytest.skip(f"OpenAI's spec is not at {SPEC} (../shared is absent)")
    value = _example_of(schema)
    report = report_of(lines(value, pad=0), model)
    assert [f for f in report.findings if f.line is not None] == []
    assert report.errors == 1  # only too_few_examples: one line is not a file
    assert report.format == ("chat" if "Chat" in schema else "preference")


def test_the_cookbook_example_passes_clean() -> None:
    """The data-preparation cookbook's toy example, with an unrelated system prompt."""
    rows = [
        {
            "messages": [
                {
                    "role": "system",
                    "content": "You are a happy assistant that puts a positive spin on everything.",
                },
                {"role": "user", "content": f"I fell off my bike today ({i})."},
                {
                    "role": "assistant",
                    "content": "It's great that you're getting exercise outdoors!",
                },
            ]
        }
        for i in range(60)
    ]
    report = run_to_end(
        Validator(
            DatasetStore.from_bytes(lines(*rows, pad=0)), "gpt-4o-mini", workers=0
        ).run()
    )
    assert report.findings == ()
