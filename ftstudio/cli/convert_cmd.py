"""``ftstudio convert IN OUT``: a spreadsheet or another trainer's file becomes chat JSONL, or back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ftstudio.cli.outputs import check_outputs, plural
from ftstudio.cli.progress import drive
from ftstudio.core.dataset.atomic import write_atomic
from ftstudio.core.dataset.export import TARGETS, export_lines
from ftstudio.core.dataset.importer import (
    ColumnMapping,
    ImportResult,
    convert_iter,
    examples_in,
    preview,
)
from ftstudio.core.dataset.tables import EXCEL_SUFFIXES
from ftstudio.core.errors import ErrorKind, FtError

SHOW_SKIPPED = 10


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``convert`` and its options."""
    p = subparsers.add_parser(
        "convert",
        help="turn a spreadsheet (CSV, TSV, XLSX) or JSON file into a training file",
        description=(
            "Turn a spreadsheet (CSV, TSV, XLSX) or a JSON list of records into a chat "
            "training file (JSONL): one example per row, made of an optional system "
            "prompt, the user's message and the assistant's reply. A JSON file that "
            "already holds training examples (for example pretty-printed) is rewritten "
            "with one example per line; ShareGPT, Alpaca and TRL preference files become "
            "chat and DPO examples. Without column options, columns named like "
            "question/answer or prompt/response are used. With --to, the examples are "
            "written for another trainer instead."
        ),
    )
    p.add_argument("input", metavar="IN", help="the spreadsheet or JSON file to read")
    p.add_argument("output", metavar="OUT", help="the training file to write (.jsonl)")
    p.add_argument("--user-column", metavar="C", help="column with the user's messages")
    p.add_argument(
        "--assistant-column", metavar="C", help="column with the assistant's replies"
    )
    system = p.add_mutually_exclusive_group()
    system.add_argument(
        "--system-column", metavar="C", help="column with a system prompt for each row"
    )
    system.add_argument(
        "--system-prompt", metavar="TEXT", help="one system prompt for every example"
    )
    p.add_argument(
        "--sheet", metavar="NAME", help="which sheet of a workbook (default: the first)"
    )
    p.add_argument(
        "--to",
        choices=tuple(TARGETS),
        metavar="FORMAT",
        help="write for another trainer instead: "
        + "; ".join(f"{k} ({v})" for k, v in TARGETS.items()),
    )
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.set_defaults(func=run)


def _mapping(args: argparse.Namespace, source: Path) -> ColumnMapping:
    if args.user_column and args.assistant_column:
        return ColumnMapping(
            args.user_column,
            args.assistant_column,
            args.system_column,
            args.system_prompt,
        )
    shown = preview(source, rows=1, sheet=args.sheet)
    guess = shown.suggested
    user = args.user_column or (guess.user if guess else None)
    assistant = args.assistant_column or (guess.assistant if guess else None)
    if not user or not assistant:
        listed = ", ".join(repr(c) for c in shown.columns)
        msg = (
            "Say which column holds the user's messages and which the replies, with "
            f"--user-column NAME --assistant-column NAME. The columns are: {listed}."
        )
        raise FtError(ErrorKind.MAPPING, msg)
    system_column = args.system_column
    if not system_column and not args.system_prompt and guess and guess.system_column:
        system_column = guess.system_column
    return ColumnMapping(user, assistant, system_column, args.system_prompt)


def run(args: argparse.Namespace) -> int:
    """Convert, write OUT, and say what was made and what was left out."""
    source, out = Path(args.input), Path(args.output)
    check_outputs(source, [out], args.force)
    if args.sheet and source.suffix.lower() not in EXCEL_SUFFIXES:
        msg = f"--sheet only applies to Excel workbooks (.xlsx), and {source.name} is not one."
        raise FtError(ErrorKind.INPUT, msg)
    mapping_given = any(
        (
            args.user_column,
            args.assistant_column,
            args.system_column,
            args.system_prompt,
        )
    )
    result = None if mapping_given else examples_in(source)
    mapping = None
    if result is None:
        mapping = _mapping(args, source)
        result = drive(convert_iter(source, mapping, sheet=args.sheet))
    if args.to:
        return _export(result, args.to, out)
    _report_skipped(result)
    if result.examples == 0:
        sys.stderr.write(
            "ftstudio: no row had both a user message and a reply, so nothing was written.\n"
        )
        return 1
    result.write(out)
    how = (
        f" (user: {mapping.user!r}, assistant: {mapping.assistant!r}"
        + (f", system: {mapping.system_column!r}" if mapping.system_column else "")
        + (", one system prompt for all" if mapping.system_prompt else "")
        + ")"
        if mapping
        else ""
    )
    print(f"Wrote {plural(result.examples, 'example')} to {out}{how}.")
    if out.suffix.lower() != ".jsonl":
        print(f"Note: {out.name} holds JSON Lines; such files usually end in .jsonl.")
    print(f"Check it with: ftstudio validate {out}")
    return 0


def _export(result: ImportResult, target: str, out: Path) -> int:
    exported = export_lines(result.data.splitlines(), target)
    _report_skipped(result)
    if exported.skipped:
        print(
            f"Left out {plural(len(exported.skipped), 'example')} that {target} cannot hold:"
        )
        for skipped in exported.skipped[:SHOW_SKIPPED]:
            print(f"  example {skipped.row}: {skipped.reason}")
        if len(exported.skipped) > SHOW_SKIPPED:
            print(f"  … and {len(exported.skipped) - SHOW_SKIPPED:,} more")
    if exported.examples == 0:
        sys.stderr.write(
            f"ftstudio: no example could be written for {target}, so nothing was written.\n"
        )
        return 1
    write_atomic(out, exported.data)
    print(f"Wrote {plural(exported.examples, 'example')} for {target} to {out}.")
    return 0


def _report_skipped(result: ImportResult) -> None:
    if not result.skipped:
        return
    print(f"Left out {plural(len(result.skipped), 'row')} that missed a message:")
    for skipped in result.skipped[:SHOW_SKIPPED]:
        print(f"  row {skipped.row}: {skipped.reason}")
    if len(result.skipped) > SHOW_SKIPPED:
        print(f"  … and {len(result.skipped) - SHOW_SKIPPED:,} more")
