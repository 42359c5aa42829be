"""``ftstudio fix FILE``: apply the automatic fixes, to a copy unless told otherwise."""

from __future__ import annotations

import argparse
from pathlib import Path

from ftstudio.cli.outputs import check_outputs, plural
from ftstudio.core.dataset.diskfile import changed_while_reading
from ftstudio.core.dataset.sniff import check_dataset_file
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.validation.profiles import RULES


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``fix`` and its options."""
    p = subparsers.add_parser(
        "fix",
        help="repair what can be repaired automatically, in a copy",
        description=(
            "Apply the automatic fixes (byte-order mark, Windows line endings, blank "
            "lines, pretty-printed JSON, fields OpenAI refuses, repeated examples) "
            "and write the result to a "
            "copy, FILE.fixed.jsonl by default. The original is only changed with "
            "--in-place."
        ),
    )
    p.add_argument("file", metavar="FILE", help="the training file to repair")
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "-o", "--output", metavar="OUT", help="where to write the repaired copy"
    )
    where.add_argument(
        "--in-place", action="store_true", help="repair FILE itself instead of a copy"
    )
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.add_argument(
        "--target",
        choices=list(RULES),
        default="openai",
        help=(
            "the trainer the file is for: fields it reads that OpenAI refuses "
            "(thinking for gpt-oss, reasoning_content for fireworks) are kept"
        ),
    )
    p.set_defaults(func=run)


def apply_fixes(store: DatasetStore, target: str = "openai") -> list[str]:
    """Apply every automatic fix to ``store``; return what was done, in plain words.

    The fixes of :data:`~ftstudio.core.validation.fixlist.FIXES` run one at a
    time, in the order "Fix all" uses, so each can be named with its count;
    fields the ``target`` trainer reads are kept.
    """
    from ftstudio.core.validation.fixlist import FIX_ALL, FIXES, run_fix

    done: list[str] = []
    for spec in FIXES:
        edit = run_fix(spec, store, target)
        if edit is not None:
            before = len(store)
            edit.apply(store)
            count = plural(before - len(store), spec.noun) if spec.noun else ""
            done.append(spec.done.format(count=count))
    rest = run_fix(FIX_ALL, store, target)
    if rest is not None:  # a fix whose result another one changes
        rest.apply(store)
        done.append("Applied the remaining automatic fixes")
    return done


def run(args: argparse.Namespace) -> int:
    """Fix, save, and list what was done."""
    source = check_dataset_file(args.file)
    out = (
        source
        if args.in_place
        else Path(args.output or source.with_name(f"{source.stem}.fixed.jsonl"))
    )
    if not args.in_place:
        check_outputs(source, [out], args.force)
    store = DatasetStore.open(source)
    try:
        done = apply_fixes(store, args.target)
        if not done:
            print(f"Nothing in {source} needs an automatic fix; no file was written.")
            return 0
        before, after = store.original_count, len(store)
        if store.changed_on_disk():  # never write fixes of bytes no longer there
            raise FtError(ErrorKind.CHANGED, changed_while_reading(source))
        store.save(out)
    finally:
        store.close()
    print(f"Applied {plural(len(done), 'fix', 'fixes')} to {source}:")
    for words in done:
        print(f"  - {words}")
    print(
        f"Wrote {out} ({plural(before, 'line')} before, {plural(after, 'line')} now)."
    )
    if not args.in_place:
        print(
            f"The original is unchanged. Check the result with: ftstudio validate {out}"
        )
    return 0
