"""``ftstudio split FILE``: write a training file and a validation file from one dataset."""

from __future__ import annotations

import argparse
from pathlib import Path

from ftstudio.cli.outputs import check_outputs, plural
from ftstudio.cli.progress import drive
from ftstudio.core.dataset.diskfile import changed_while_reading
from ftstudio.core.dataset.sniff import check_dataset_file
from ftstudio.core.dataset.split import check_ratio, plan_split_iter, write_split_iter
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import ErrorKind, FtError

DEFAULT_SEED = 42


def ratio(text: str) -> float:
    """Parse a validation share written as ``0.1`` or ``10%``."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        msg = f"{text!r} is not a number; write a share like 0.1 or 10%"
        raise argparse.ArgumentTypeError(msg) from None
    try:
        return check_ratio(value)
    except FtError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``split`` and its options."""
    p = subparsers.add_parser(
        "split",
        help="split a dataset into a training file and a validation file",
        description=(
            "Split a dataset into a training file and a validation file. Identical "
            "examples always go to the same file, so no example is in both. The same "
            "seed always gives the same split."
        ),
    )
    p.add_argument("file", metavar="FILE", help="the dataset to split (JSONL)")
    p.add_argument(
        "--validation-ratio",
        metavar="R",
        type=ratio,
        required=True,
        help="share of examples for validation, like 0.1 or 10%%",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"pick a different random split (default {DEFAULT_SEED})",
    )
    p.add_argument(
        "--out-train", metavar="P", help="training file (default FILE_train.jsonl)"
    )
    p.add_argument(
        "--out-validation",
        metavar="P",
        help="validation file (default FILE_validation.jsonl)",
    )
    p.add_argument(
        "--force", action="store_true", help="replace output files that exist"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Plan the split, write both files and say how many examples each got."""
    source = check_dataset_file(args.file)
    train_path = Path(args.out_train or source.with_name(f"{source.stem}_train.jsonl"))
    valid_path = Path(
        args.out_validation or source.with_name(f"{source.stem}_validation.jsonl")
    )
    check_outputs(source, [train_path, valid_path], args.force)
    store = DatasetStore.open(source)
    try:
        plan = drive(plan_split_iter(store, args.validation_ratio, args.seed))
        if store.changed_on_disk():  # nothing written from bytes no longer there
            raise FtError(ErrorKind.CHANGED, changed_while_reading(source))
        drive(write_split_iter(store, plan, train_path, valid_path))
    finally:
        store.close()
    print(f"Training:   {plural(plan.train_count, 'example')} -> {train_path}")
    print(f"Validation: {plural(plan.validation_count, 'example')} -> {valid_path}")
    print(f"(seed {args.seed}; identical examples were kept in the same file)")
    return 0
