"""``ftstudio cost FILE --model M``: what one training run on this file would cost."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ftstudio.cli.outputs import plural
from ftstudio.cli.progress import drive
from ftstudio.cli.validate_cmd import money
from ftstudio.core.cost import CostEstimate, auto_epochs_explained, estimate_note
from ftstudio.core.dataset.diskfile import unchanged_while
from ftstudio.core.dataset.sniff import check_dataset_file
from ftstudio.core.models import default_table
from ftstudio.core.paths import user_config_dir

if TYPE_CHECKING:
    from ftstudio.core.models import ModelInfo
    from ftstudio.core.validation.report import Report

MAX_EPOCHS = 50  # the most the fine-tuning API accepts for n_epochs


def epochs(text: str) -> int:
    """Parse ``--epochs``: a whole number from 1 to 50."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_EPOCHS:
        msg = f"{text!r} is not a number of epochs; give a whole number from 1 to {MAX_EPOCHS}"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``cost`` and its options."""
    p = subparsers.add_parser(
        "cost",
        help="estimate what fine-tuning on a file would cost",
        description=(
            "Count the tokens of a training file and estimate what one training run "
            "costs: billed tokens × epochs × the model's price per 1M training tokens. "
            "Validation files are not billed."
        ),
    )
    p.add_argument("file", metavar="FILE", help="the training file (JSONL)")
    p.add_argument("--model", metavar="M", required=True, help="the model to fine-tune")
    p.add_argument(
        "--epochs",
        metavar="N",
        type=epochs,
        help="epochs you will set (default: auto, as OpenAI picks them)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    p.set_defaults(func=run)


@dataclass(frozen=True)
class Quote:
    """The cost figures of one file for one model and number of epochs."""

    report: Report
    info: ModelInfo
    estimate: CostEstimate
    auto: bool

    def to_json(self, file: str) -> dict[str, Any]:
        """Return the figures as ``ftstudio cost --json`` prints them."""
        t = self.report.tokens
        return {
            "file": file,
            "model": self.report.model,
            "examples": self.report.examples,
            "tokens": t.total,
            "tokens_estimated": t.estimated_examples > 0,
            "estimated_examples": t.estimated_examples,
            "billing_tokens": self.estimate.billing_tokens,
            "training_limit": t.limit,
            "over_limit_examples": t.over_limit_examples,
            "epochs": self.estimate.epochs,
            "epochs_auto": self.auto,
            "trained_tokens": self.estimate.trained_tokens,
            "price_per_1m_training_tokens": self.estimate.price_per_1m,
            "price_checked": self.info.checked if self.info.price_per_1m else None,
            "estimated_cost_usd": self.estimate.usd,
            "errors": self.report.errors,
        }


def quote(report: Report, chosen_epochs: int | None) -> Quote:
    """Return the cost of ``report``'s file, on auto epochs unless ``chosen_epochs``."""
    info = default_table().lookup(report.model)
    n = chosen_epochs if chosen_epochs is not None else report.epochs
    estimate = CostEstimate(report.cost.billing_tokens, n, info.price_per_1m)
    return Quote(report, info, estimate, chosen_epochs is None)


def run(args: argparse.Namespace) -> int:
    """Count, price and print; exit 0 (errors in the file are mentioned, not fatal)."""
    from ftstudio.core.validation.validator import validate_path

    path = check_dataset_file(args.file)
    with unchanged_while(path):
        report = drive(validate_path(path, args.model))
    q = quote(report, args.epochs)
    if args.json:
        sys.stdout.write(json.dumps(q.to_json(str(path)), ensure_ascii=False))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(q, str(path)))
    return 0


def render(q: Quote, name: str) -> str:
    """Return the cost in plain words, one figure per line."""
    r, e, t = q.report, q.estimate, q.report.tokens
    limit = f"at most {t.limit:,} per example" if t.limit else "training limit unknown"
    epoch_note = auto_epochs_explained(r.examples) if q.auto else "the number you chose"
    about = "≈ " if t.estimated_examples else ""  # counted by a published method
    lines = [
        f"{name} for {r.model}",
        f"  Examples:        {r.examples:,}",
        f"  Tokens:          {about}{t.total:,}",
        f"  Billed tokens:   {about}{e.billing_tokens:,} ({limit})",
        f"  Epochs:          {e.epochs} {'(auto) ' if q.auto else ''}- {epoch_note}",
        f"  Trained tokens:  {about}{e.trained_tokens:,} (billed tokens × epochs)",
    ]
    if e.price_per_1m is None or e.usd is None:
        known = "" if q.info.known else f" ftstudio does not know the model {r.model}."
        lines += [
            f"  Price:           unknown.{known}",
            "  Estimated cost:  unknown. To see it, add the price per 1M training "
            f"tokens to {user_config_dir() / 'models.json'}.",
        ]
    else:
        checked = f" (price checked {q.info.checked})" if q.info.checked else ""
        lines += [
            f"  Price:           ${e.price_per_1m:,.2f} per 1M training tokens{checked}",
            f"  Estimated cost:  {about}{money(e.usd)}",
        ]
    if t.estimated_examples:
        lines.append(f"Note: {estimate_note(t.estimated_examples)}")
    if t.over_limit_examples:
        lines.append(
            f"Note: {plural(t.over_limit_examples, 'example')} are longer than the limit; "
            "only the part within the limit is trained and billed."
        )
    if r.errors:
        lines.append(
            f"Note: the file has {plural(r.errors, 'error')} that OpenAI would reject; "
            f"see them with: ftstudio validate {name} --model {r.model}"
        )
    return "\n".join(lines) + "\n"
