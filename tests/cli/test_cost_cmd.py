"""``ftstudio cost``: tokens, epochs (auto rule explained), price with its date, cost."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from ftstudio.core.validation.validator import validate_file
from tests.cli.conftest import example, write_jsonl

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.cli.conftest import Outcome

    Cli = Callable[..., Outcome]


def test_auto_epochs_price_and_cost_match_the_core(cli: Cli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "small.jsonl", [example(i) for i in range(20)])
    billing = validate_file(path, "gpt-4o-mini").tokens.billing
    result = cli("cost", path, "--model", "gpt-4o-mini", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["billing_tokens"] == billing
    assert data["epochs"] == 5  # 20 × 3 < 100, so auto picks 100 // 20
    assert data["epochs_auto"] is True
    assert data["trained_tokens"] == billing * 5
    assert data["price_per_1m_training_tokens"] == 3.0
    assert data["price_checked"] == "2026-11-21"
    assert data["estimated_cost_usd"] == pytest.approx(billing * 5 * 3.0 / 1e6)


def test_chosen_epochs_replace_auto(cli: Cli, good_file: Path) -> None:
    data = json.loads(
        cli("cost", good_file, "--model", "gpt-4.1", "--epochs", "7", "--json").out
    )
    assert data["epochs"] == 7
    assert data["epochs_auto"] is False
    assert data["estimated_cost_usd"] == pytest.approx(
        data["billing_tokens"] * 7 * 25 / 1e6
    )


def test_human_output_explains_each_figure(cli: Cli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "small.jsonl", [example(i) for i in range(20)])
    out = cli("cost", path, "--model", "gpt-4o-mini").out
    assert "Epochs:          5 (auto) - Small dataset" in out
    assert "$3.00 per 1M training tokens (price checked 2026-11-21)" in out
    assert "Estimated cost:  less than $0.01" in out


def test_unknown_price_is_said_plainly(cli: Cli, good_file: Path) -> None:
    result = cli("cost", good_file, "--model", "o4-mini")
    assert result.code == 0
    assert "Price:           unknown." in result.out
    assert "Estimated cost:  unknown." in result.out
    data = json.loads(cli("cost", good_file, "--model", "o4-mini", "--json").out)
    assert data["estimated_cost_usd"] is None


def test_errors_in_the_file_are_pointed_out(cli: Cli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "e.jsonl", [example(i) for i in range(12)], b"oops\n")
    result = cli("cost", path, "--model", "gpt-4o")
    assert result.code == 0
    assert "ftstudio validate" in result.out


@pytest.mark.parametrize("value", ["0", "51", "two", "1.5"])
def test_bad_epochs(cli: Cli, good_file: Path, value: str) -> None:
    result = cli("cost", good_file, "--model", "gpt-4o", "--epochs", value)
    assert result.code == 2
    assert "from 1 to 50" in result.err


def test_model_is_required(cli: Cli, good_file: Path) -> None:
    result = cli("cost", good_file)
    assert result.code == 2
    assert "--model" in result.err


def test_tool_counts_are_marked_as_estimates(cli: Cli, tmp_path: Path) -> None:
    call = {
        "id": "c1",
        "type": "function",
        "function": {"name": "f", "arguments": "{}"},
    }
    tool_example = {
        "messages": [
            {"role": "user", "content": "Call f."},
            {"role": "assistant", "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "c1", "content": "done"},
            {"role": "assistant", "content": "Done."},
        ],
        "tools": [{"type": "function", "function": {"name": "f"}}],
    }
    path = write_jsonl(tmp_path / "tools.jsonl", [tool_example] * 20)
    out = cli("cost", path, "--model", "gpt-4o-mini").out
    assert "Tokens:          ≈ " in out
    assert "Billed tokens:   ≈ " in out
    assert "Estimated cost:  ≈ " in out
    assert "Note: ≈ marks an estimate: 20 examples hold tools" in out
    data = json.loads(cli("cost", path, "--model", "gpt-4o-mini", "--json").out)
    assert data["tokens_estimated"] is True
    assert data["estimated_examples"] == 20


def test_exact_counts_are_not_marked(cli: Cli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "small.jsonl", [example(i) for i in range(20)])
    out = cli("cost", path, "--model", "gpt-4o-mini").out
    assert "≈" not in out
    data = json.loads(cli("cost", path, "--model", "gpt-4o-mini", "--json").out)
    assert data["tokens_estimated"] is False
