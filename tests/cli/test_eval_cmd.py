"""``ftstudio eval``: known scores against the sandbox, CSV, resume, plain failures."""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openai
import pytest

from ftstudio.core.evaluation.results import (
    Answer,
    ResultsFile,
    default_results_path,
)
from ftstudio.core.evaluation.testfile import read_cases
from ftstudio.sandbox.faults import FaultConfig
from ftstudio.sandbox.server import SandboxServer
from tests.cli.conftest import Outcome
from tests.core.chat_sandbox import BASE, KEY, train_model


@pytest.fixture
def stormy_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SandboxServer]:
    # Busy and failing now and then: the command retries and still scores all.
    faults = FaultConfig(rate_limit=0.25, server_error=0.03, retry_after=0.02, seed=5)
    srv = SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=60.0, faults=faults)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", srv.start())
    yield srv
    srv.stop()


@pytest.fixture
def tuned(stormy_sandbox: SandboxServer, tmp_path: Path) -> str:
    with openai.OpenAI(
        base_url=stormy_sandbox.base_url, api_key=KEY, max_retries=8
    ) as client:
        return train_model(client, tmp_path)


@pytest.fixture
def test_file(tmp_path: Path) -> Path:
    lines: list[Any] = [
        {
            "input": f"Tell me about topic number {i} please",
            "ideal": f"Arr, {i} it be, matey!",
        }
        for i in (1, 2, 3)
    ]
    lines.append({"input": "Tell me about topic number 4 please", "ideal": "matey"})
    path = tmp_path / "test.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


def test_compare_two_models_and_write_csv(
    cli: Callable[..., Outcome], tuned: str, test_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "results.csv"
    result = cli("eval", test_file, "--model", BASE, "--model", tuned, "-o", out)
    assert result.code == 0, result.err
    assert re.search(rf"{BASE} +0 of 4 passed \(0%\)", result.out)
    assert re.search(rf"{tuned} +3 of 4 passed \(75%\)", result.out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 5
    assert [r[6] for r in rows[1:]] == ["1", "1", "1", "0"]
    cases = read_cases(test_file)
    # the run is kept: another metric scores the same replies without asking
    assert default_results_path(cases, [BASE, tuned]).exists()

    contains = cli("eval", test_file, "--model", tuned, "--metric", "contains")
    assert contains.code == 0
    assert "4 of 4 passed (100%)" in contains.out


def test_an_interrupted_run_resumes_without_asking_again(
    cli: Callable[..., Outcome], tuned: str, test_file: Path, tmp_path: Path
) -> None:
    cases = read_cases(test_file)
    kept = ResultsFile(default_results_path(cases, [tuned]), cases, [tuned])
    kept.load()
    # what a stopped run left behind (a reply the sandbox would never give)
    kept.append(Answer(0, 0, "Kept from last time"))
    out = tmp_path / "r.csv"
    result = cli("eval", test_file, "--model", tuned, "-o", out)
    assert result.code == 0, result.err
    assert "2 of 4 passed" in result.out  # row 1 was not asked again
    with out.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f))[1][3] == "Kept from last time"


def test_unknown_model_fails_with_one_plain_line(
    cli: Callable[..., Outcome], stormy_sandbox: SandboxServer, test_file: Path
) -> None:
    result = cli("eval", test_file, "--model", "ft:gpt-4o-mini:x::nope1234")
    assert result.code == 4
    assert "does not know that item" in result.err
    assert "Traceback" not in result.err


def test_a_file_that_is_not_a_test_is_a_usage_error(
    cli: Callable[..., Outcome], tmp_path: Path
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"text": "hello"}\n', encoding="utf-8")
    result = cli("eval", path, "--model", BASE)
    assert result.code == 2
    assert "Line 1 of t.jsonl is not a test example" in result.err


def test_many_models_f1_judge_rubric_and_report(
    cli: Callable[..., Outcome], tuned: str, test_file: Path, tmp_path: Path
) -> None:
    models = [BASE, tuned, "gpt-4.1-mini"]  # any number of models
    args: list[Any] = ["eval", test_file]
    for m in models:
        args += ["--model", m]
    f1 = cli(*args, "--metric", "f1")
    assert f1.code == 0, f1.err
    assert re.search(rf"{tuned} +mean 0\.\d\d \(95% interval", f1.out)
    assert f"{tuned} is better than {BASE} on 4 of 4 examples" in f1.out

    rubric = tmp_path / "rubric.txt"
    rubric.write_text("5: the pirate answer.\n1: anything else.\n", encoding="utf-8")
    out, report = tmp_path / "judged.csv", tmp_path / "report.html"
    judged = cli(
        *args,
        "--metric", "judge",
        "--judge-model", BASE,
        "--rubric", rubric,
        "-o", out,
        "--report", report,
    )  # fmt: skip
    assert judged.code == 0, judged.err
    assert "paid service" not in judged.err  # the sandbox is free: nothing to confirm
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header[3:6] == [f"reply: {BASE}", f"score: {BASE}", f"reason: {BASE}"]
    assert header[6:9] == [f"reply: {tuned}", f"score: {tuned}", f"reason: {tuned}"]
    assert rows[1][7] == "5"  # the tuned model's exact answer gets the top grade
    assert "shares" in rows[1][8]
    grader = json.loads((tmp_path / "judged.grader.json").read_text(encoding="utf-8"))
    assert grader["judge_model"] == BASE
    assert "5: the pirate answer." in grader["system_prompt"]
    page = report.read_text(encoding="utf-8")
    assert "<svg" in page
    assert "gpt-4.1-mini" in page


def test_a_judge_on_a_paid_service_asks_before_spending(
    cli: Callable[..., Outcome],
    test_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a paid address that is never reached: the command stops before any request
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.example.invalid/v1")
    result = cli("eval", test_file, "--model", BASE, "--metric", "judge")
    assert result.code == 2
    assert "grading on a paid service. About 8 requests" in result.err
    assert "$0.0" in result.err
    assert "Add --yes" in result.err


def test_an_unreadable_rubric_is_a_plain_error(
    cli: Callable[..., Outcome], test_file: Path, tmp_path: Path
) -> None:
    result = cli(
        "eval", test_file, "--model", BASE, "--metric", "judge",
        "--rubric", tmp_path / "missing.txt",
    )  # fmt: skip
    assert result.code == 2
    assert "rubric file missing.txt could not be read" in result.err
    assert "Traceback" not in result.err


def test_the_grader_may_sit_on_another_service(
    cli: Callable[..., Outcome], tuned: str, test_file: Path
) -> None:
    # a paid grader elsewhere: the cost is asked first, nothing is spent without --yes
    paid = cli(
        "eval", test_file, "--model", tuned, "--metric", "judge",
        "--judge-model", "gpt-4.1", "--judge-base-url", "https://api.example.invalid/v1",
    )  # fmt: skip
    assert paid.code == 2
    assert "grading on a paid service" in paid.err
    # a local grader (here: the sandbox under its own address) costs nothing
    local = cli(
        "eval", test_file, "--model", tuned, "--metric", "judge",
        "--judge-model", BASE, "--judge-base-url", os.environ["OPENAI_BASE_URL"],
    )  # fmt: skip
    assert local.code == 0, local.err
    assert re.search(rf"{re.escape(tuned)} +mean 0\.\d\d", local.out)
