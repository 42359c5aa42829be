"""The model-graded score: the sandbox as grader, malformed grades, resume; report and cost."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import httpx2
import pytest

from ftstudio.core.errors import FtError
from ftstudio.core.evaluation.judge import (
    DEFAULT_RUBRIC,
    Judge,
    parse_grade,
    run_grading,
)
from ftstudio.core.evaluation.report import write_report
from ftstudio.core.evaluation.results import Answer, ResultsFile
from ftstudio.core.evaluation.runcost import estimate_cost, is_paid_service
from ftstudio.core.evaluation.scoring import Metric
from ftstudio.core.evaluation.session import evaluate, load_table
from ftstudio.core.evaluation.testfile import read_cases
from ftstudio.core.progress import run_to_end
from tests.core.chat_sandbox import BASE
from tests.core.test_evaluation import completion, mock_sdk, write_test_file


@pytest.mark.parametrize(
    ("text", "grade", "reason"),
    [
        (
            '{"score": 4, "reason": "Close, misses the greeting."}',
            4,
            "Close, misses the greeting.",
        ),
        ('```json\n{"score": "5", "reason": "Same"}\n```', 5, "Same"),
        ('Here is my grade: {"grade": 2.0, "reason": "off"}', 2, "off"),
        ("Score: 3\nReason: partly right", 3, "partly right"),
        ('{"score": 1}', 1, "(no reason given)"),
    ],
)
def test_grades_are_read(text: str, grade: int, reason: str) -> None:
    assert parse_grade(text) == (grade, reason)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("I think it is quite good.", "gives no score"),
        ('{"score": 9, "reason": "great"}', "not a whole number from 1 to 5"),
        ('{"score": 3.5}', "not a whole number"),
        ('{"score": "high"}', "is not a number"),
        ('{"score": true}', "gives no score"),
    ],
)
def test_malformed_grades_say_why(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_grade(text)


def test_the_sandbox_grades_the_tuned_model_above_its_base(
    chat_client: Any, tuned_model: str, tmp_path: Path
) -> None:
    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    models = [BASE, tuned_model]
    results = ResultsFile(tmp_path / "r.jsonl", cases, models)
    judge = Judge(BASE, "5: perfect.\n1: useless.")
    table = run_to_end(
        evaluate(chat_client, cases, models, results=results, judge=judge)
    )
    assert len(table.grades) == 8
    base, tuned = table.summary(Metric.JUDGE, 0), table.summary(Metric.JUDGE, 1)
    assert base.mean is not None
    assert tuned.mean is not None
    assert tuned.mean > base.mean + 0.5
    assert table.grades[(0, 1)].grade == 5
    assert "shares 100% of its words" in table.grades[(0, 1)].reason
    # the grader's model and prompt (with the edited rubric) are kept with the run
    kept = results.load_all().judges[judge.key]
    assert kept["judge_model"] == BASE
    assert "5: perfect." in kept["system_prompt"]
    assert kept["temperature"] == 0.0
    reloaded = load_table(cases, models, results, judge)
    assert reloaded.grades == table.grades
    assert load_table(cases, models, results, Judge(BASE)).grades == {}  # other rubric


def test_malformed_grades_keep_the_run_going_and_say_why(tmp_path: Path) -> None:
    asked: list[dict[str, Any]] = []
    lock = threading.Lock()

    def handler(request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        with lock:
            asked.append(body)
        user = body["messages"][-1]["content"]
        if "## Answer to grade" not in user:
            return completion("an answer")
        if "number 5" in user:
            return completion("I would say this answer is rather nice.")
        return completion('{"score": 4, "reason": "Nearly the same."}')

    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    answers = {(c.row, 0): Answer(c.row, 0, "an answer") for c in cases}
    answers[(2, 0)] = Answer(2, 0, "", "This prompt is too long.")
    with mock_sdk(handler) as client:
        grades = run_to_end(run_grading(client, cases, answers, Judge("grader-m")))
    assert grades[(0, 0)].grade == 4
    assert grades[(1, 0)].grade is None
    assert "could not be read as a grade (it gives no score)" in grades[(1, 0)].reason
    assert "rather nice" in grades[(1, 0)].reason
    assert grades[(2, 0)].grade == 1  # no reply: lowest grade, without asking
    assert "too long" in grades[(2, 0)].reason
    graded = [b for b in asked if "## Answer to grade" in b["messages"][-1]["content"]]
    assert len(graded) == 2 + 2  # rows 0 and 3 once, the unreadable row twice
    assert {b["model"] for b in graded} == {"grader-m"}
    assert all(b["temperature"] == 0 for b in graded)
    assert DEFAULT_RUBRIC.splitlines()[0] in graded[0]["messages"][0]["content"]


def test_grades_already_given_are_not_asked_again(tmp_path: Path) -> None:
    count = 0

    def handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal count
        count += 1
        return completion('{"score": 5, "reason": "ok"}')

    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    answers = {(c.row, 0): Answer(c.row, 0, "x") for c in cases}
    results = ResultsFile(tmp_path / "r.jsonl", cases, ["m"])
    with mock_sdk(handler) as client:
        run_to_end(run_grading(client, cases, answers, Judge("g"), results=results))
        assert count == 4
        again = run_to_end(
            run_grading(client, cases, answers, Judge("g"), results=results)
        )
    assert count == 4
    assert len(again) == 4


def test_a_judge_needs_a_model(tmp_path: Path) -> None:
    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    with pytest.raises(FtError, match="Choose the model that grades"):
        run_to_end(run_grading(None, cases, {}, Judge("")))  # type: ignore[arg-type]


def test_report_is_one_self_contained_file(
    chat_client: Any, tuned_model: str, tmp_path: Path
) -> None:
    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    models = [BASE, tuned_model]
    table = run_to_end(evaluate(chat_client, cases, models, judge=Judge(BASE)))
    page = write_report(table, Metric.JUDGE, tmp_path / "r.html", "Pirates").read_text(
        encoding="utf-8"
    )
    assert "<svg" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in page
    assert f"{tuned_model} is better than {BASE} on 4 of 4 examples" in page
    assert "Arr, 3 it be, matey!" in page
    assert "You grade one answer" in page  # the grader's prompt
    assert '<span class="extra"' in page  # the base model's words differ


def test_cost_is_estimated_only_for_what_is_left(tmp_path: Path) -> None:
    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    judge = Judge("gpt-4.1")
    full = estimate_cost(cases, ["gpt-4o-mini", "ft:gpt-4o-mini:org::abc"], {}, judge)
    assert full.calls == 4 * 2 + 4 * 2
    assert 0 < full.usd < 0.05
    assert not full.unpriced
    answers = {(c.row, s): Answer(c.row, s, "reply") for c in cases for s in (0, 1)}
    graded_only = estimate_cost(cases, ["gpt-4o-mini", "x"], answers, judge)
    assert graded_only.calls == 8
    unknown = estimate_cost(cases, ["my-local-model"], {}, None)
    assert unknown.unpriced == {"my-local-model"}
    assert "does not know" in unknown.describe()
    assert (
        estimate_cost(cases, ["m"], answers, None).describe().startswith("Nothing left")
    )


@pytest.mark.parametrize(
    ("url", "paid"),
    [
        ("https://api.openai.com/v1", True),
        ("https://myorg.openai.azure.com/openai", True),
        ("http://127.0.0.1:8765/v1", False),
        ("http://localhost:11434/v1", False),
    ],
)
def test_paid_services(url: str, paid: bool) -> None:
    assert is_paid_service(url) is paid


def test_an_unexpected_failure_stops_the_run_instead_of_hanging() -> None:
    from ftstudio.core.cancel import NEVER
    from ftstudio.core.evaluation.pool import bounded

    def work(item: int, cancel: Any, notify: Any) -> int:
        if item == 2:
            raise KeyError("a bug")
        return item

    with pytest.raises(FtError, match="unexpected problem") as info:
        list(bounded(work, [1, 2, 3], NEVER, 2, lambda result: [result]))
    assert "KeyError" in info.value.detail
