"""``ftstudio eval TEST_FILE --model A [--model B]``: score models on a held-out test file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ftstudio.cli.service import connect, only_progress, service_command
from ftstudio.core.errors import FtError
from ftstudio.core.evaluation.scoring import Metric

if TYPE_CHECKING:
    from ftstudio.core.evaluation.results import EvalTable


def _summary(table: EvalTable, metric: Metric) -> str:
    lines = [f"Metric: {metric.description}"]
    width = max(len(m) for m in table.models)
    for model, (passed, answered) in zip(
        table.models, table.totals(metric), strict=True
    ):
        share = f"{100 * passed / answered:.0f}%" if answered else "-"
        lines.append(f"{model:<{width}}  {passed} of {answered} passed ({share})")
    return "\n".join(lines) + "\n"


def _run(args: argparse.Namespace) -> int:
    from ftstudio.cli.progress import drive
    from ftstudio.core.evaluation.results import (
        EvalTable,
        ResultsFile,
        default_results_path,
    )
    from ftstudio.core.evaluation.runner import run_evaluation
    from ftstudio.core.evaluation.testfile import read_cases

    models: list[str] = args.model
    if len(models) > 2:
        raise FtError("input", "Give one or two models (--model A --model B).")
    if args.concurrency < 1:
        raise FtError("input", "--concurrency must be 1 or more.")
    cases = read_cases(args.test_file)
    metric = Metric(args.metric)
    results = ResultsFile(default_results_path(cases, models), cases, models)
    if args.start_over:
        results.start_over()
    client = connect()
    try:
        answers = drive(
            only_progress(
                run_evaluation(
                    client,
                    cases,
                    models,
                    results=results,
                    concurrency=args.concurrency,
                )
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
    table = EvalTable(cases, models, answers)
    sys.stdout.write(_summary(table, metric))
    if args.output is not None:
        table.export_csv(args.output, metric)
        sys.stdout.write(f"Results written to {args.output}\n")
    results.path.unlink(missing_ok=True)  # done: the next run asks afresh
    return 0


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``eval``."""
    parser = subparsers.add_parser(
        "eval",
        help="score one or two models on a held-out test file",
        description=(
            "Ask each model every test in TEST_FILE (chat examples whose last "
            'assistant reply is the expected answer, or {"input": ..., "ideal": ...} '
            "lines) and score the replies. An interrupted run resumes where it "
            "stopped when the same command is run again."
        ),
    )
    parser.add_argument("test_file", metavar="TEST_FILE", type=Path)
    parser.add_argument(
        "--model",
        action="append",
        required=True,
        metavar="MODEL",
        help="a model to evaluate; give --model twice to compare two",
    )
    parser.add_argument(
        "--metric",
        choices=[m.value for m in Metric],
        default=Metric.EXACT.value,
        help="exact match, contains the expected answer, or JSON with the expected keys (default: exact)",
    )
    parser.add_argument(
        "-o", "--output", type=Path, help="write every reply and score to this CSV"
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
        help="forget the replies kept from an interrupted run",
    )
    parser.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=service_command(_run))
