"""``ftstudio validate FILE``: check a training file and explain what is wrong."""

from __future__ import annotations

import argparse
import json
import sys
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from ftstudio.cli.outputs import plural
from ftstudio.cli.progress import bar_enabled, drive
from ftstudio.core.cost import auto_epochs_explained
from ftstudio.core.dataset.diskfile import unchanged_while
from ftstudio.core.dataset.sniff import check_dataset_file
from ftstudio.core.models import DEFAULT_MODEL, default_table
from ftstudio.core.paths import user_config_dir

if TYPE_CHECKING:
    from collections.abc import Generator
    from typing import TextIO

    from ftstudio.core.progress import Progress
    from ftstudio.core.validation.findings import Finding
    from ftstudio.core.validation.report import Report

SHOW_PER_CODE = 5
SHOW_EARLY = 10
_HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Notes"}


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``validate`` and its options."""
    p = subparsers.add_parser(
        "validate",
        help="check a training file before uploading it",
        description=(
            "Check a training file (JSONL) for everything OpenAI would reject or that "
            "would make training worse, count its tokens and estimate the cost. Exit "
            "code 0: no errors; 1: errors found; 2: the file could not be read."
        ),
    )
    p.add_argument("file", metavar="FILE", help="the training file to check")
    p.add_argument(
        "--model",
        metavar="M",
        default=DEFAULT_MODEL,
        help=f"the model you will fine-tune (default {DEFAULT_MODEL})",
    )
    p.add_argument(
        "--validation-file",
        metavar="F",
        help="your validation file: also checks that no example is in both files",
    )
    p.add_argument(
        "--target",
        choices=("openai", "azure", "together", "fireworks", "gpt-oss"),
        default="openai",
        help="also apply this trainer's own rules (each with its source)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate, print the report, return 1 when it has errors."""
    from ftstudio.core.validation.validator import validate_path

    path = check_dataset_file(args.file)
    validation = (
        check_dataset_file(args.validation_file) if args.validation_file else None
    )
    with unchanged_while(path):
        steps = validate_path(path, args.model, validation)
        if not args.json and bar_enabled():
            steps = announce_early(steps, sys.stderr)
        report = drive(steps)
        report = _with_target(report, path, args.target)
    if args.json:
        data = report.to_json()
        data["file"] = str(path)
        if validation is not None:
            data["validation_file"] = str(validation)
        # one write: json.dump writes each piece apart (~0.5 s for 26,000 findings)
        sys.stdout.write(json.dumps(data, ensure_ascii=False))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(report, str(path)))
        if args.target != "openai":
            from ftstudio.core.validation.profiles import sources

            sys.stdout.write(
                f"Rules for {args.target} also checked:\n{sources(args.target)}\n"
            )
    return 1 if report.errors else 0


def announce_early(
    gen: Generator[Progress, None, Report], out: TextIO
) -> Generator[Progress, None, Report]:
    """Pass ``gen`` on, writing its first structural findings to ``out`` at once.

    A big file's full report waits for every token to be counted; the first
    problems near the top are worth showing before that.
    """
    from ftstudio.core.validation.early import EarlyFindings

    while True:
        try:
            item = next(gen)
        except StopIteration as stop:
            report: Report = stop.value
            return report
        if isinstance(item, EarlyFindings) and item.findings:
            shown = item.findings[:SHOW_EARLY]
            out.write(
                f"First problems in the top {plural(item.lines, 'line')} "
                "(checking goes on; the full report with token counts follows):\n"
            )
            for f in shown:
                out.write(f"  line {f.line}: {f.code}: {f.message}\n")
            if len(item.findings) > len(shown):
                out.write(f"  … and {len(item.findings) - len(shown)} more so far\n")
            out.flush()
        yield item


def _with_target(report: Report, path: Path, target: str) -> Report:
    """Add ``target``'s own findings (see :mod:`ftstudio.core.validation.profiles`)."""
    if target == "openai":
        return report
    import dataclasses

    from ftstudio.core.validation.profiles import check_target, relax

    extra = tuple(check_target(path, target))
    return dataclasses.replace(report, findings=relax(report.findings, target) + extra)


def render(report: Report, name: str) -> str:
    """Return the human-readable report: summary, findings by kind, tokens and cost."""
    out = [
        f"{name}: {report.format} format, {plural(report.examples, 'example')}, "
        f"checked for {report.model} (tokenizer {report.encoding})",
    ]
    if report.errors:
        out.append(
            f"{plural(report.errors, 'error')} and {plural(report.warnings, 'warning')}: "
            "fix the errors before uploading, OpenAI would reject the file."
        )
    elif report.warnings:
        out.append(
            f"No errors. {plural(report.warnings, 'warning')}: worth a look before training."
        )
    else:
        out.append("No problems found.")
    fixable = sorted({f.code for f in report.findings if f.fixable})
    if fixable:
        out.append(
            f"Run 'ftstudio fix {name}' first: it repairs {', '.join(fixable)} "
            "automatically, in a copy."
        )
    ordered = sorted(report.findings, key=lambda f: (f.severity.rank, f.code))
    for severity, in_severity in groupby(ordered, key=lambda f: f.severity):
        out.append("")
        out.append(_HEADINGS[severity.value])
        for code, in_code in groupby(in_severity, key=lambda f: f.code):
            out.extend(_group(code, list(in_code)))
    out.append("")
    out.extend(_tokens_and_cost(report))
    return "\n".join(out) + "\n"


def _group(code: str, findings: list[Finding]) -> list[str]:
    located = [f.line for f in findings if f.line is not None]
    where = f" on {plural(len(located), 'line')}" if located else ""
    fix = " (ftstudio fix can repair this)" if any(f.fixable for f in findings) else ""
    lines = [f"  {code}{where}{fix}"]
    # The same message on many lines is shown once, with its lines listed.
    by_message: dict[str, list[int | None]] = {}
    for f in findings:
        by_message.setdefault(f.message, []).append(f.line)
    for message, at in list(by_message.items())[:SHOW_PER_CODE]:
        lines.append(f"    {where_text(at)}: {message}")
    if len(by_message) > SHOW_PER_CODE:
        rest = sum(len(v) for v in list(by_message.values())[SHOW_PER_CODE:])
        lines.append(
            f"    … and {plural(rest, 'more finding')} (--json lists every one)"
        )
    return lines


def where_text(lines: list[int | None], most: int = 8) -> str:
    """Return "file", "line 4" or "lines 1-30, 32 and 5 more" for a list of lines."""
    numbers = sorted({n for n in lines if n is not None})
    if not numbers:
        return "file"
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in runs[:most]]
    more = sum(b - a + 1 for a, b in runs[most:])
    return "lines " + ", ".join(parts) + (f" and {more:,} more" if more else "")


def _tokens_and_cost(report: Report) -> list[str]:
    t = report.tokens
    d = t.per_example
    limit = f"{t.limit:,}" if t.limit is not None else "unknown"
    lines = [
        f"Tokens: {t.total:,} in all, {t.assistant:,} in the replies the model learns from.",
        f"  Per example: smallest {d.min:,.0f}, typical {d.median:,.0f}, largest "
        f"{d.max:,.0f} (training limit of {report.model}: {limit}).",
    ]
    if t.estimated_examples:
        lines.append(
            f"  Estimated, not exact, for {plural(t.estimated_examples, 'example')} "
            "with tools, tool calls or images (OpenAI's published counting method)."
        )
    if t.over_limit_examples:
        lines.append(
            f"  {plural(t.over_limit_examples, 'example')} exceed the limit and will be "
            "cut off at the end during training."
        )
    m = report.tokens.messages_per_example
    lines.append(
        f"  Messages per example: smallest {m.min:,.0f}, typical {m.median:,.0f}, "
        f"largest {m.max:,.0f}."
    )
    lines.append(
        f"Epochs on auto: {report.epochs}. {auto_epochs_explained(report.examples)}"
    )
    lines.append(
        cost_line(
            report.model, report.cost.billing_tokens, report.epochs, report.cost.usd
        )
    )
    return lines


def cost_line(model: str, billing: int, epochs: int, usd: float | None) -> str:
    """Describe the estimated cost with its price and the date the price was checked."""
    info = default_table().lookup(model)
    if usd is None or info.price_per_1m is None:
        return (
            f"Estimated cost: unknown. ftstudio has no training price for {model}; "
            f"you can add one to {user_config_dir() / 'models.json'}."
        )
    checked = f", price checked {info.checked}" if info.checked else ""
    return (
        f"Estimated cost: {money(usd)} ({billing:,} billed tokens × {epochs} epochs at "
        f"${info.price_per_1m:,.2f} per 1M training tokens{checked})."
    )


def money(usd: float) -> str:
    """Format dollars for people: cents, or "less than $0.01"."""
    if 0 < usd < 0.01:
        return "less than $0.01"
    return f"${usd:,.2f}"
