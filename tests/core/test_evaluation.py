"""Held-out evaluation against the sandbox: known scores, bounded concurrency, cancel, resume."""

from __future__ import annotations

import csv
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from ftstudio.core.cancel import Cancelled, CancelToken
from ftstudio.core.errors import FtError
from ftstudio.core.evaluation.results import Answer, ResultsFile
from ftstudio.core.evaluation.runner import run_evaluation
from ftstudio.core.evaluation.scoring import Metric, score
from ftstudio.core.evaluation.table import EvalTable
from ftstudio.core.evaluation.testfile import read_cases
from ftstudio.core.progress import Progress
from tests.core.chat_sandbox import BASE, KEY


def write_test_file(path: Path) -> Path:
    """Four tests: the tuned model gets 3 exactly right, the base model none."""
    lines = [
        {
            "messages": [
                {"role": "system", "content": "You are a pirate."},
                {"role": "user", "content": "Tell me about topic number 3 please"},
                {"role": "assistant", "content": "Arr, 3 it be, matey!"},
            ]
        },
        {
            "input": "Tell me about topic number 5 please",
            "ideal": "Arr, 5 it be, matey!",
        },
        {
            "input": [
                {"role": "user", "content": "Tell me about topic number 9 please"}
            ],
            "ideal": "arr, 9 it be, matey!",  # case does not matter
        },
        # the tuned model answers with topic 7's reply: wrong exactly, right on "matey"
        {"input": "Tell me about topic number 7 please", "ideal": "matey"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def drive(gen: Any) -> tuple[list[Any], Any]:
    items = []
    while True:
        try:
            items.append(next(gen))
        except StopIteration as stop:
            return items, stop.value


def test_reads_both_test_file_shapes(tmp_path: Path) -> None:
    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    assert [c.expected for c in cases][:2] == [
        "Arr, 3 it be, matey!",
        "Arr, 5 it be, matey!",
    ]
    assert cases[0].messages[-1]["role"] == "user"  # the expected reply is not sent
    assert cases[1].question == "Tell me about topic number 5 please"


def test_a_line_without_an_answer_is_refused_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"input": "a", "ideal": "b"}\n{"messages": [{"role": "user", "content": "x"}]}\n'
    )
    with pytest.raises(FtError, match=r"Line 2 of bad\.jsonl"):
        read_cases(path)


def test_scores_are_known(chat_client: Any, tuned_model: str, tmp_path: Path) -> None:
    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    results = ResultsFile(tmp_path / "r.jsonl", cases, [BASE, tuned_model])
    items, answers = drive(
        run_evaluation(chat_client, cases, [BASE, tuned_model], results=results)
    )
    assert len(answers) == 8
    assert isinstance(items[-1], Progress)
    assert items[-1].done == 8
    table = EvalTable(cases, [BASE, tuned_model], answers)
    assert table.totals(Metric.EXACT) == [(0, 4), (3, 4)]
    assert table.totals(Metric.CONTAINS) == [(0, 4), (4, 4)]
    assert table.totals(Metric.JSON) == [(0, 4), (0, 4)]
    out = table.export_csv(tmp_path / "out.csv", Metric.EXACT)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "row",
        "input",
        "expected",
        f"reply: {BASE}",
        f"score: {BASE}",
        f"reply: {tuned_model}",
        f"score: {tuned_model}",
    ]
    assert rows[1][5:] == ["Arr, 3 it be, matey!", "1"]
    assert rows[1][4] == "0"


def test_cancel_then_resume_asks_only_the_rest(
    chat_client: Any, tuned_model: str, tmp_path: Path
) -> None:
    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    path = tmp_path / "r.jsonl"
    cancel = CancelToken()
    gen = run_evaluation(
        chat_client,
        cases,
        [tuned_model],
        cancel,
        results=ResultsFile(path, cases, [tuned_model]),
        concurrency=1,
    )
    first: list[Answer] = []

    def take_two() -> None:
        for item in gen:
            if isinstance(item, Answer):
                first.append(item)
                if len(first) == 2:
                    cancel.cancel()

    with pytest.raises(Cancelled):
        take_two()
    assert len(first) == 2
    asked: list[str] = []
    counting = openai.OpenAI(
        base_url=chat_client.base_url,
        api_key=KEY,
        max_retries=0,
        http_client=httpx2.Client(
            event_hooks={"request": [lambda r: asked.append(str(r.url))]}
        ),
    )
    with counting:
        items, answers = drive(
            run_evaluation(
                counting,
                cases,
                [tuned_model],
                results=ResultsFile(path, cases, [tuned_model]),
            )
        )
    assert len(asked) == 2  # the two finished rows were not asked again
    assert {a.row for a in items if isinstance(a, Answer)} == {0, 1, 2, 3}
    assert EvalTable(cases, [tuned_model], answers).totals(Metric.EXACT) == [(3, 4)]


def test_results_of_other_models_are_not_mixed_in(tmp_path: Path) -> None:
    path = write_test_file(tmp_path / "t.jsonl")
    cases = read_cases(path)
    ResultsFile(tmp_path / "r.jsonl", cases, ["a"]).load()
    with pytest.raises(FtError, match="another test file or other models"):
        ResultsFile(tmp_path / "r.jsonl", cases, ["b"]).load()


def completion(content: str) -> httpx2.Response:
    """A chat completion answer with ``content``, as the API sends it."""
    message = {"role": "assistant", "content": content}
    choice = {"index": 0, "finish_reason": "stop", "message": message}
    body = {
        "id": "c",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [choice],
    }
    return httpx2.Response(200, json=body)


def mock_sdk(handler: Callable[[httpx2.Request], httpx2.Response]) -> openai.OpenAI:
    """The real SDK over ``handler`` instead of a network."""
    return openai.OpenAI(
        api_key=KEY,
        base_url="http://127.0.0.1:9/v1",
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )


def test_no_more_than_n_requests_in_flight(tmp_path: Path) -> None:
    lock = threading.Lock()
    now = peak = 0

    def handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal now, peak
        with lock:
            now += 1
            peak = max(peak, now)
        time.sleep(0.03)
        with lock:
            now -= 1
        return completion("ok")

    c = mock_sdk(handler)
    cases = read_cases(write_test_file(tmp_path / "t.jsonl")) * 1
    with c:
        _, answers = drive(run_evaluation(c, cases, ["a", "b"], concurrency=3))
    assert len(answers) == 8
    assert peak == 3


def test_a_refused_test_is_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if b"number 5" in request.content:
            error = {"message": "This prompt is too long.", "code": "context_length"}
            return httpx2.Response(400, json={"error": error})
        return completion("matey")

    c = mock_sdk(handler)
    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    with c:
        _, answers = drive(run_evaluation(c, cases, ["m"]))
    assert "too long" in answers[(1, 0)].error
    table = EvalTable(cases, ["m"], answers)
    assert table.score_of(Metric.CONTAINS, 1, 0) == 0  # a refusal counts as a fail
    assert table.totals(Metric.CONTAINS) == [(1, 4)]  # only "matey" is expected


def test_an_unknown_model_stops_the_run_with_a_plain_error(
    chat_client: Any, tmp_path: Path
) -> None:
    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    with pytest.raises(FtError) as info:
        drive(run_evaluation(chat_client, cases, ["ft:gpt-4o-mini:x::nope1234"]))
    assert info.value.kind == "not_found"


@pytest.mark.parametrize(
    ("metric", "expected", "reply", "passed"),
    [
        (Metric.EXACT, "Paris.", "  paris. ", True),
        (Metric.EXACT, "Paris.", "It is Paris.", False),
        (Metric.CONTAINS, "Paris", "It is PARIS.", True),
        (Metric.CONTAINS, "Paris", "Lyon", False),
        (Metric.JSON, '{"a": 1, "b": 2}', '{"b": 5, "a": 0}', True),
        (Metric.JSON, '{"a": 1, "b": 2}', '```json\n{"a": 1, "b": 2}\n```', True),
        (Metric.JSON, '{"a": 1, "b": 2}', '{"a": 1}', False),
        (Metric.JSON, '{"a": 1}', "a: 1", False),
        (Metric.JSON, "[1, 2]", "[3]", True),
    ],
)
def test_metrics(metric: Metric, expected: str, reply: str, passed: bool) -> None:
    assert score(metric, expected, reply) == float(passed)


def test_a_run_ended_by_an_error_leaves_no_request_on_the_wire(tmp_path: Path) -> None:
    # one model is unknown (answered at once), the other answers slowly: when the
    # run stops on the error, the slow requests already sent have finished too,
    # so none goes on using a client its caller is about to close
    lock = threading.Lock()
    in_flight = 0

    def handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal in_flight
        if b"nope" in request.content:
            time.sleep(0.05)
            error = {"message": "The model does not exist.", "code": "model_not_found"}
            return httpx2.Response(404, json={"error": error})
        with lock:
            in_flight += 1
        time.sleep(0.3)
        with lock:
            in_flight -= 1
        return completion("ok")

    cases = read_cases(write_test_file(tmp_path / "t.jsonl"))
    with mock_sdk(handler) as c:
        with pytest.raises(FtError):
            drive(run_evaluation(c, cases, ["slow", "nope"], concurrency=4))
        assert in_flight == 0


def test_a_deeply_nested_line_is_named_not_a_crash(tmp_path: Path) -> None:
    from ftstudio.core.errors import FtError
    from ftstudio.core.evaluation.testfile import read_cases

    path = tmp_path / "test.jsonl"
    good = '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}'
    path.write_text(good + "\n" + '{"input": ' + "[" * 3000 + "]" * 3000 + "}\n")
    with pytest.raises(FtError) as caught:
        read_cases(path)
    assert caught.value.message.startswith("Line 2 of test.jsonl is not valid JSON: ")
    assert "nested" in caught.value.message
