"""Evaluation against local models, with a local model as the judge."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from ftstudio.cli.main import run_cli
from tests.sandbox_data import KEY

pytestmark = pytest.mark.slow


def test_a_local_model_can_judge_and_bad_grades_are_explained(
    local_server: Any, qa_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", local_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    out = tmp_path / "results.csv"
    code = run_cli(
        [
            "eval",
            str(qa_file),
            "--provider",
            "local",
            "--model",
            "tiny-llama",
            "--metric",
            "judge",
            "--judge-model",
            "tiny-llama",
            "-o",
            str(out),
            "--yes",
        ]
    )
    assert code == 0
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 10
    # A random two-layer model cannot grade: every row keeps going and says why.
    assert all(r["reason: tiny-llama"] for r in rows)
    assert Path(f"{out}".removesuffix(".csv") + ".grader.json").is_file()
