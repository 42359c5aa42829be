"""``ftstudio archive --out DIR``: keep every job, file, event and model before a shutdown."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ftstudio.cli.progress import drive
from ftstudio.cli.service import (
    add_provider_option,
    chosen_provider,
    connect,
    service_command,
)


def _run(args: argparse.Namespace) -> int:
    from ftstudio.core.archive.collect import archive_account
    from ftstudio.core.archive.golden import record_golden

    cases = None
    if args.prompts is not None:
        from ftstudio.core.evaluation.testfile import read_cases

        cases = read_cases(Path(args.prompts))  # a bad file stops before any call
    out = Path(args.out)
    provider = chosen_provider()
    client = connect()
    summary = drive(archive_account(client, out, provider))
    problems = list(summary.problems)
    if cases is not None:
        alive = [
            m.model for m in summary.models if m.days_left is None or m.days_left >= 0
        ]
        problems += drive(record_golden(client, out, alive, cases))
        sys.stdout.write(
            f"Recorded the answers of {len(alive)} model(s) to {len(cases)} prompt(s) "
            f"in {out / 'golden'}.\n"
        )
    sys.stdout.write(summary.words() + "\n")
    for entry in summary.models:
        sys.stdout.write(f"  {entry.model}  (base {entry.base}): {entry.when_words}\n")
    sys.stdout.write(f"Open {out / 'index.html'} in a browser to see it all.\n")
    for problem in problems:
        sys.stderr.write(f"ftstudio: {problem}\n")
    return 1 if problems else 0


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``archive``."""
    p = subparsers.add_parser(
        "archive",
        help="keep a copy of every job, file, event and fine-tuned model",
        description=(
            "Archive everything the account made: for each job a folder with job.json, "
            "events.jsonl, checkpoints.json, results.csv and the uploaded training and "
            "validation files byte for byte; models.json with each fine-tuned model's "
            "shutdown date; and index.html with the loss curves. Running it again adds "
            "only what is new. Exit codes: 0 ok, 1 something could not be kept (listed), "
            "2 unusable input, 4 the service refused or could not be reached."
        ),
    )
    p.add_argument("--out", required=True, metavar="DIR", help="the archive folder")
    p.add_argument(
        "--prompts",
        metavar="FILE",
        help="held-out prompts (JSONL): record every fine-tuned model's answers to them",
    )
    add_provider_option(p)
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=service_command(_run))
