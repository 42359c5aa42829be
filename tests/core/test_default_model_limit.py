"""The default model has a known length limit, so an over-long example is flagged."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ftstudio.core.models import DEFAULT_MODEL, default_table
from ftstudio.core.validation.validator import validate_file

if TYPE_CHECKING:
    from pathlib import Path


def test_the_default_model_knows_its_training_context() -> None:
    assert default_table().lookup(DEFAULT_MODEL).training_context == 65_536


def test_an_example_over_the_default_models_limit_is_flagged(tmp_path: Path) -> None:
    rows = [
        {
            "messages": [
                {"role": "user", "content": f"Question {i}?"},
                {"role": "assistant", "content": f"Answer {i}."},
            ]
        }
        for i in range(11)
    ]
    long_text = " ".join(f"word{i}" for i in range(70_000))  # over 65,536 tokens
    rows[4]["messages"][1]["content"] = long_text
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = validate_file(path, DEFAULT_MODEL)
    over = [f for f in report.findings if f.code == "over_token_limit"]
    assert [f.line for f in over] == [5]
    assert report.tokens.over_limit_examples == 1
    assert report.tokens.limit == 65_536
