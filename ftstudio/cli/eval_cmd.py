"""``ftstudio eval TEST_FILE --model A --model B …``: score models on a held-out test file."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ftstudio.cli.service import (
    add_provider_option,
    connect,
    service_command,
)
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.evaluation.scoring import Metric
from ftstudio.core.models import DEFAULT_MODEL

if TYPE_CHECKING:
    import openai

    from ftstudio.core.evaluation.judge import Judge
    from ftstudio.core.evaluation.results import ResultsFile
    from ftstudio.core.evaluation.table import EvalTable
    from ftstudio.core.evaluation.testfile import Case


def summary(table: EvalTable, metric: Metric) -> str:
    """Return the lines the command prints: each model's score, then comparisons."""
    lines = [f"Metric: {metric.description}"]
    width = max(len(m) for m in table.models)
    for side, model in enumerate(table.models):
        if metric.pass_fail:
            passed, answered = table.totals(metric)[side]
            share = f"{100 * passed / answered:.0f}%" if answered else "-"
            lines.append(f"{model:<{width}}  {passed} of {answered} passed ({share})")
            continue
        s = table.summary(metric, side)
        if s.mean is None:
            lines.append(f"{model:<{width}}  no score")
        else:
            lines.append(
                f"{model:<{width}}  mean {s.mean:.2f} (95% interval {s.low:.2f} to "
                f"{s.high:.2f}), {s.count} of {len(table.cases)} scored"
            )
    for side in range(1, len(table.models)):
        lines.append(table.comparison(metric, 0, side).sentence())
    unread = [g for g in table.grades.values() if g.grade is None]
    if metric is Metric.JUDGE and unread:
        lines.append(
            f"{len(unread)} grade(s) could not be read; the CSV's reason column says why."
        )
    return "\n".join(lines) + "\n"


def _judge(args: argparse.Namespace) -> Judge | None:
    from ftstudio.core.evaluation.judge import DEFAULT_RUBRIC, Judge

    if args.metric != Metric.JUDGE.value:
        return None
    rubric = DEFAULT_RUBRIC
    if args.rubric is not None:
        try:
            rubric = args.rubric.read_text(encoding="utf-8-sig").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise FtError(
                ErrorKind.IO,
                f"The rubric file {args.rubric.name} could not be read.",
                str(exc),
            ) from exc
        if not rubric:
            raise FtError(
                ErrorKind.INPUT, f"The rubric file {args.rubric.name} is empty."
            )
    return Judge(args.judge_model, rubric)


def _judge_client(base_url: str | None) -> openai.OpenAI | None:
    """Return a client for a grader on another service (its key from the key store)."""
    if not base_url:
        return None
    from ftstudio.cli.service import chosen_provider
    from ftstudio.core.api.connection import Endpoint, make_client, resolve
    from ftstudio.core.secrets import SecretStore

    provider = chosen_provider()
    endpoint = Endpoint(base_url=base_url, provider=provider)
    return make_client(resolve(SecretStore(), endpoint, provider=provider))


def _confirm_cost(text: str, assume_yes: bool) -> None:
    sys.stderr.write(f"ftstudio: grading on a paid service. {text}\n")
    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise FtError(
            ErrorKind.INPUT,
            "Add --yes to accept this cost (no one is at the keyboard to ask).",
        )
    sys.stderr.write("Continue? [y/N] ")
    if input().strip().lower() not in ("y", "yes"):
        raise FtError(
            ErrorKind.INPUT, "Stopped before asking anything: nothing was spent."
        )


def _run(args: argparse.Namespace) -> int:
    from ftstudio.core.evaluation.results import ResultsFile, default_results_path
    from ftstudio.core.evaluation.testfile import read_cases

    models: list[str] = args.model
    if len(set(models)) != len(models):
        raise FtError(
            ErrorKind.INPUT, "The same --model is given twice: give each model once."
        )
    if args.concurrency < 1:
        raise FtError(ErrorKind.INPUT, "--concurrency must be 1 or more.")
    cases = read_cases(args.test_file)
    judge = _judge(args)
    results = ResultsFile(default_results_path(cases, models), cases, models)
    if args.start_over:
        results.start_over()
    client = connect()
    judge_client = _judge_client(args.judge_base_url) if judge is not None else None
    try:
        plan = _Plan(cases, models, results, judge)
        return _evaluate(args, plan, client, judge_client)
    finally:
        if judge_client is not None:
            judge_client.close()


@dataclass(frozen=True)
class _Plan:
    cases: list[Case]
    models: list[str]
    results: ResultsFile
    judge: Judge | None


def _evaluate(
    args: argparse.Namespace,
    plan: _Plan,
    client: openai.OpenAI,
    judge_client: openai.OpenAI | None,
) -> int:
    from ftstudio.cli.progress import drive
    from ftstudio.core.evaluation.report import write_report
    from ftstudio.core.evaluation.runcost import estimate_cost, is_paid_service
    from ftstudio.core.evaluation.session import evaluate

    cases, models, results, judge = plan.cases, plan.models, plan.results, plan.judge
    metric = Metric(args.metric)
    record = results.load_all()
    grader_url = str((judge_client or client).base_url)
    if judge is not None and is_paid_service(grader_url):
        grades = record.grades.get(judge.key, {})
        cost = estimate_cost(cases, models, record.answers, judge, grades)
        _confirm_cost(cost.describe(), args.yes)
    try:
        table = drive(
            evaluate(
                client,
                cases,
                models,
                results=results,
                judge=judge,
                judge_client=judge_client,
                concurrency=args.concurrency,
            )
        )
    except (FtError, KeyboardInterrupt) as exc:
        if isinstance(exc, FtError) and not exc.retryable:
            raise  # a wrong model or key: running again would not help
        sys.stderr.write(
            "ftstudio: the replies received so far are kept: run the same command "
            "again to ask only the rest.\n"
        )
        raise
    sys.stdout.write(summary(table, metric))
    if args.output is not None:
        table.export_csv(args.output, metric)
        sys.stdout.write(f"Results written to {args.output}\n")
    if args.report is not None:
        write_report(table, metric, args.report, f"Evaluation of {args.test_file.name}")
        sys.stdout.write(f"Report written to {args.report}\n")
    return 0


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``eval``."""
    parser = subparsers.add_parser(
        "eval",
        help="score models on a held-out test file",
        description=(
            "Ask each model every test in TEST_FILE (chat examples whose last "
            'assistant reply is the expected answer, or {"input": ..., "ideal": ...} '
            "lines) and score the replies. The replies (and grades) are kept: the "
            "same command again asks only what is missing, so an interrupted run "
            "resumes and another --metric costs nothing. --start-over asks afresh."
        ),
    )
    parser.add_argument("test_file", metavar="TEST_FILE", type=Path)
    parser.add_argument(
        "--model",
        action="append",
        required=True,
        metavar="MODEL",
        help="a model to evaluate; repeat to compare several (base, fine-tuned, checkpoints)",
    )
    parser.add_argument(
        "--metric",
        choices=[m.value for m in Metric],
        default=Metric.EXACT.value,
        help="exact match, contains, JSON keys, word overlap (f1), rouge (ROUGE-L), or judge (a model grades 1-5) (default: exact)",
    )
    parser.add_argument(
        "--judge-model",
        default=DEFAULT_MODEL,
        metavar="M",
        help=f"the chat model that grades with --metric judge (default: {DEFAULT_MODEL})",
    )
    parser.add_argument(
        "--judge-base-url",
        metavar="URL",
        help="the grader's service when it is not the one evaluated (e.g. a local server); "
        "its key comes from the key store, else OPENAI_API_KEY",
    )
    parser.add_argument(
        "--rubric",
        type=Path,
        metavar="FILE",
        help="a text file with the grading rubric for --metric judge",
    )
    parser.add_argument(
        "-o", "--output", type=Path, help="write every reply and score to this CSV"
    )
    parser.add_argument(
        "--report", type=Path, metavar="FILE", help="write a self-contained HTML report"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        metavar="N",
        help="requests in flight at once (default: 4)",
    )
    parser.add_argument(
        "--start-over",
        action="store_true",
        help="forget the replies and grades kept from an earlier run",
    )
    parser.add_argument(
        "--yes", action="store_true", help="accept the cost estimate of a judge run"
    )
    parser.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)
    add_provider_option(parser)
    parser.set_defaults(func=service_command(_run))
