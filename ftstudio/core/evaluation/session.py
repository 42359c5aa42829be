"""One evaluation from start to end: ask the models, then (for the judge) grade the replies."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.evaluation.judge import run_grading
from ftstudio.core.evaluation.runner import DEFAULT_CONCURRENCY, run_evaluation
from ftstudio.core.evaluation.table import EvalTable

if TYPE_CHECKING:
    import openai

    from ftstudio.core.evaluation.judge import Judge
    from ftstudio.core.evaluation.results import ResultsFile
    from ftstudio.core.evaluation.testfile import Case


def load_table(
    cases: list[Case], models: list[str], results: ResultsFile, judge: Judge | None
) -> EvalTable:
    """Return the table of what ``results`` holds (grades of ``judge`` only)."""
    record = results.load_all()
    table = EvalTable(list(cases), list(models), record.answers, votes=record.votes)
    if judge is not None:
        table.grades = dict(record.grades.get(judge.key, {}))
        table.judge = judge.settings()
    return table


def evaluate(
    client: openai.OpenAI,
    cases: list[Case],
    models: list[str],
    cancel: CancelToken = NEVER,
    *,
    results: ResultsFile | None = None,
    judge: Judge | None = None,
    judge_client: openai.OpenAI | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Generator[Any, None, EvalTable]:
    """Ask every model every test, then have ``judge`` grade the replies if given.

    Yields what :func:`run_evaluation` and :func:`run_grading` yield (answers,
    grades, progress, retry notices); returns the finished table, with the
    votes kept in ``results``. The judge may sit on another service
    (``judge_client``); by default it uses ``client``.
    """
    answers = yield from run_evaluation(
        client, cases, models, cancel, results=results, concurrency=concurrency
    )
    votes = results.load_all().votes if results is not None else {}
    table = EvalTable(list(cases), list(models), answers, votes=votes)
    if judge is not None:
        table.grades = yield from run_grading(
            judge_client or client,
            cases,
            answers,
            judge,
            cancel,
            results=results,
            concurrency=concurrency,
        )
        table.judge = judge.settings()
    return table
