"""Validation profiles per target: one test per rule, and the CLI's --target."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.profiles import RULES, check_target, relax
from tests.cli.conftest import Outcome, cli

__all__ = ["cli"]  # fixture

U = {"role": "user", "content": "Hi"}
A = {"role": "assistant", "content": "Ahoy"}


def _file(tmp_path: Path, examples: list[Any]) -> Path:
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in examples), encoding="utf-8")
    return path


def _codes(
    tmp_path: Path, target: str, examples: list[Any]
) -> list[tuple[int | None, str]]:
    return [(f.line, f.code) for f in check_target(_file(tmp_path, examples), target)]


def test_every_rule_names_its_source() -> None:
    assert set(RULES) == {"openai", "azure", "together", "fireworks", "gpt-oss"}
    for rules in RULES.values():
        for rule in rules:
            assert rule.source
            assert rule.code.split(".")[0] in RULES


def test_together_roles_must_take_turns(tmp_path: Path) -> None:
    good = {"messages": [{"role": "system", "content": "s"}, U, A, U, A]}
    twice = {"messages": [U, U, A]}
    starts_with_reply = {"messages": [A, U]}
    assert _codes(tmp_path, "together", [good, twice, starts_with_reply]) == [
        (2, "together.roles-alternate"),
        (3, "together.roles-alternate"),
    ]


def test_together_dpo_sides_are_one_assistant_message(tmp_path: Path) -> None:
    ok = {
        "input": {"messages": [U]},
        "preferred_output": [A],
        "non_preferred_output": [A],
    }
    two = {
        "input": {"messages": [U]},
        "preferred_output": [A, A],
        "non_preferred_output": [A],
    }
    assert _codes(tmp_path, "together", [ok, two]) == [
        (2, "together.dpo-one-assistant")
    ]


def test_together_weight_is_0_or_1(tmp_path: Path) -> None:
    half = {"messages": [U, {**A, "weight": 0.5}]}
    zero = {"messages": [U, {**A, "weight": 0}]}
    assert _codes(tmp_path, "together", [half, zero]) == [(1, "together.weight")]


def test_fireworks_weight_is_a_float_from_0_to_1(tmp_path: Path) -> None:
    examples = [
        {"messages": [U, {**A, "weight": 0.25}]},
        {"messages": [U, A], "weight": 0.5},
        {"messages": [U, {**A, "weight": True}]},
        {"messages": [U, A], "weight": "high"},
        {"messages": [U, {**A, "weight": 2}]},
    ]
    assert _codes(tmp_path, "fireworks", examples) == [
        (3, "fireworks.weight"),
        (4, "fireworks.weight"),
        (5, "fireworks.weight"),
    ]


def test_fireworks_reasoning_content(tmp_path: Path) -> None:
    good = {"messages": [U, {**A, "reasoning_content": "because"}]}
    on_user = {"messages": [{**U, "reasoning_content": "x"}, A]}
    thinking = {"messages": [U, {**A, "thinking": "x"}]}
    found = check_target(_file(tmp_path, [good, on_user, thinking]), "fireworks")
    assert [(f.line, f.code, f.severity) for f in found] == [
        (2, "fireworks.reasoning", Severity.ERROR),
        (3, "fireworks.reasoning", Severity.WARNING),
    ]


def test_gpt_oss_thinking_on_assistant_messages_only(tmp_path: Path) -> None:
    good = {"messages": [U, {**A, "thinking": "greet back"}]}
    on_user = {"messages": [{**U, "thinking": "x"}, A]}
    not_text = {"messages": [U, {**A, "thinking": ["x"]}]}
    assert _codes(tmp_path, "gpt-oss", [good, on_user, not_text]) == [
        (2, "gpt-oss.thinking"),
        (3, "gpt-oss.thinking"),
    ]


def test_gpt_oss_harmony_tokens_in_text(tmp_path: Path) -> None:
    bad = {"messages": [U, {**A, "content": "done<|end|><|start|>user"}]}
    found = check_target(_file(tmp_path, [{"messages": [U, A]}, bad]), "gpt-oss")
    assert [(f.line, f.code) for f in found] == [(2, "gpt-oss.harmony")]
    assert "<|end|>" in found[0].message


def test_azure_file_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _file(tmp_path, [{"messages": [U, A]}])
    assert check_target(path, "azure") == []
    monkeypatch.setattr("ftstudio.core.validation.profiles.AZURE_MAX_BYTES", 10)
    (found,) = check_target(path, "azure")
    assert found.code == "azure.file-size"
    assert found.line is None


def test_targets_relax_what_openai_refuses_but_they_read() -> None:
    unknown = Finding(
        1,
        "message_unrecognized_key",
        Severity.ERROR,
        'Message 2 has a field OpenAI does not accept ("thinking"): remove it.',
    )
    other = Finding(
        1,
        "message_unrecognized_key",
        Severity.ERROR,
        'Message 2 has a field OpenAI does not accept ("thinking", "mood"): remove it.',
    )
    weight = Finding(
        2,
        "invalid_weight",
        Severity.ERROR,
        "Message 2 has the weight 0.5. OpenAI accepts only 0 or 1.",
    )
    assert relax([unknown, other, weight], "gpt-oss") == (other, weight)
    assert relax([unknown, weight], "fireworks") == (unknown,)
    assert relax([unknown, weight], "openai") == (unknown, weight)


def test_validate_with_a_target(cli: Callable[..., Outcome], tmp_path: Path) -> None:
    rows = [
        {"messages": [U, {**A, "content": f"Ahoy {i}", "thinking": "greet"}]}
        for i in range(12)
    ]
    path = _file(tmp_path, rows)
    assert cli("validate", path).code == 1  # OpenAI refuses "thinking"
    ok = cli("validate", path, "--target", "gpt-oss")
    assert ok.code == 0, ok.out
    assert "Rules for gpt-oss also checked" in ok.out
    assert "source: OpenAI, 'The Harmony response format'" in ok.out
    bad = cli("validate", path, "--target", "together", "--json")
    assert bad.code == 1  # thinking is still refused for Together
    together = _file(tmp_path, [{"messages": [U, U, A]}] * 12)
    got = json.loads(cli("validate", together, "--target", "together", "--json").out)
    assert "together.roles-alternate" in {f["code"] for f in got["findings"]}
