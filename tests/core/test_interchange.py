"""Export for other trainers and import of their files: a round trip per format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from ftstudio.core.dataset.export import TARGETS, export_lines
from ftstudio.core.dataset.foreign import convert_record, kind_of
from ftstudio.core.dataset.importer import examples_in
from ftstudio.core.errors import FtError

CHAT: dict[str, Any] = {
    "messages": [
        {"role": "system", "content": "You are a pirate."},
        {"role": "user", "content": "Where is the gold?"},
        {"role": "assistant", "content": "Buried, matey."},
        {"role": "user", "content": "Where exactly?"},
        {"role": "assistant", "content": "Under the palm — “X” marks it."},
    ]
}
DPO: dict[str, Any] = {
    "input": {"messages": [{"role": "user", "content": "Greet me."}]},
    "preferred_output": [{"role": "assistant", "content": "Ahoy!"}],
    "non_preferred_output": [{"role": "assistant", "content": "Hello."}],
}


def _export(examples: list[dict[str, Any]], target: str) -> tuple[list[Any], Any]:
    lines = [orjson.dumps(e) for e in examples]
    result = export_lines(lines, target)
    return [json.loads(x) for x in result.data.splitlines()], result


def _import(path: Path, records: list[Any]) -> list[Any]:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = examples_in(path)
    assert result is not None
    return [json.loads(x) for x in result.data.splitlines()]


@pytest.mark.parametrize("target", ["sharegpt", "alpaca", "trl", "together"])
def test_chat_round_trip(target: str, tmp_path: Path) -> None:
    written, result = _export([CHAT], target)
    assert result.examples == 1
    back = _import(tmp_path / f"{target}.jsonl", written)
    assert back == [CHAT]


@pytest.mark.parametrize("target", ["trl", "together", "fireworks"])
def test_preference_round_trip(target: str, tmp_path: Path) -> None:
    written, _ = _export([DPO], target)
    assert _import(tmp_path / "pref.jsonl", written) == [DPO]


def test_sharegpt_and_alpaca_shapes_are_what_those_trainers_read() -> None:
    (share,), _ = _export([CHAT], "sharegpt")
    assert share["system"] == "You are a pirate."
    assert [t["from"] for t in share["conversations"]] == [
        "human",
        "gpt",
        "human",
        "gpt",
    ]
    (alpaca,), _ = _export([CHAT], "alpaca")
    assert alpaca == {
        "system": "You are a pirate.",
        "instruction": "Where exactly?",
        "input": "",
        "output": "Under the palm — “X” marks it.",
        "history": [["Where is the gold?", "Buried, matey."]],
    }


def test_hf_text_shows_which_characters_train() -> None:
    example = json.loads(json.dumps(CHAT))
    example["messages"][2]["weight"] = 0
    (line,), _ = _export([example], "hf-text")
    text = line["text"]
    assert text.startswith("<|im_start|>system\nYou are a pirate.<|im_end|>\n")
    trained = [text[a:b] for a, b in line["train_spans"]]
    assert trained == ["Under the palm — “X” marks it.<|im_end|>"]  # weight 0 does not


def test_fireworks_weight_is_a_float_and_thinking_becomes_reasoning() -> None:
    example = {
        "messages": [
            {"role": "user", "content": "2+2?"},
            {"role": "assistant", "content": "4", "thinking": "add", "weight": 1},
        ]
    }
    (line,), _ = _export([example], "fireworks")
    assistant = line["messages"][1]
    assert assistant == {
        "role": "assistant",
        "content": "4",
        "weight": 1.0,
        "reasoning_content": "add",
    }
    assert isinstance(assistant["weight"], float)


def test_examples_a_target_cannot_hold_are_left_out_with_the_reason() -> None:
    odd = {
        "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]
    }
    written, result = _export([CHAT, DPO, odd], "alpaca")
    assert len(written) == 1
    reasons = {s.row: s.reason for s in result.skipped}
    assert "no preference pairs" in reasons[2]
    assert "taking turns" in reasons[3]
    _, bad = _export(
        [
            {
                "messages": [
                    {"role": "user", "content": "x"},
                    {"role": "assistant", "content": "y", "weight": 0.5},
                ]
            }
        ],
        "together",
    )
    assert "0 or 1" in bad.skipped[0].reason
    with pytest.raises(FtError, match="Unknown export format"):
        export_lines([b"{}"], "csv")
    assert set(TARGETS) == {
        "together",
        "fireworks",
        "trl",
        "hf-text",
        "sharegpt",
        "alpaca",
    }


def test_alpaca_file_is_no_longer_taken_for_a_dpo_file(tmp_path: Path) -> None:
    records = [
        {"instruction": "Translate to French", "input": "cat", "output": "chat"},
        {"instruction": "Say hi", "input": "", "output": "Hi"},
        {"instruction": "", "input": "", "output": "orphan"},
    ]
    path = tmp_path / "alpaca.json"
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    result = examples_in(path)
    assert result is not None
    lines = [json.loads(x) for x in result.data.splitlines()]
    assert lines[0]["messages"] == [
        {"role": "user", "content": "Translate to French\n\ncat"},
        {"role": "assistant", "content": "chat"},
    ]
    assert result.examples == 2
    assert [(s.row, s.reason) for s in result.skipped] == [
        (3, "the instruction is empty")
    ]


def test_trl_implicit_prompt_and_unknown_speakers() -> None:
    implicit = {
        "chosen": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Ahoy"},
        ],
        "rejected": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Yo"},
        ],
    }
    assert kind_of(implicit) == "trl-preference"
    assert convert_record(implicit) == {
        "input": {"messages": [{"role": "user", "content": "Hi"}]},
        "preferred_output": [{"role": "assistant", "content": "Ahoy"}],
        "non_preferred_output": [{"role": "assistant", "content": "Yo"}],
    }
    with pytest.raises(ValueError, match="'robot', which is not a known speaker"):
        convert_record({"conversations": [{"from": "robot", "value": "x"}]})
    assert kind_of(CHAT) is None
    assert kind_of(DPO) is None
