"""``ftstudio fix FILE``: apply the automatic fixes, to a copy unless told otherwise."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ftstudio.cli.outputs import check_outputs, plural
from ftstudio.core.dataset.diskfile import changed_while_reading
from ftstudio.core.dataset.sniff import check_dataset_file
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import FtError

if TYPE_CHECKING:
    from collections.abc import Callable

    from ftstudio.core.dataset.edits import Edit


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``fix`` and its options."""
    p = subparsers.add_parser(
        "fix",
        help="repair what can be repaired automatically, in a copy",
        description=(
            "Apply the automatic fixes (byte-order mark, Windows line endings, blank "
            "lines, pretty-printed JSON, repeated examples) and write the result to a "
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
    p.set_defaults(func=run)


def apply_fixes(store: DatasetStore) -> list[str]:
    """Apply every automatic fix to ``store``; return what was done, in plain words.

    The fixes run one at a time in the order :func:`all_fixes` uses (convert a
    pretty-printed file first, then drop blank lines and repeats of the result)
    so each can be named with its count; anything ``all_fixes`` still finds
    afterwards (a fix added later) is applied too.
    """
    from ftstudio.core.validation import fixes

    steps: list[tuple[Callable[[DatasetStore], Edit | None], Callable[[int], str]]] = [
        (
            fixes.fix_pretty_json,
            lambda _: "Converted pretty-printed JSON to one example per line",
        ),
        (fixes.fix_blank_lines, lambda n: f"Removed {plural(n, 'empty line')}"),
        (
            fixes.fix_fields,
            lambda _: (
                "Repaired fields (developer role, tool-call arguments, "
                "capitalised keys)"
            ),
        ),
        (
            fixes.fix_duplicates,
            lambda n: (
                f"Removed {plural(n, 'repeated example')}, keeping the first of each"
            ),
        ),
        (fixes.fix_bom, lambda _: "Removed the byte-order mark at the start"),
        (
            fixes.fix_line_endings,
            lambda _: "Changed Windows line endings (CRLF) to plain ones",
        ),
        (fixes.fix_final_newline, lambda _: "Added a line break after the last line"),
    ]
    done: list[str] = []
    for fix, words in steps:
        edit = fix(store)
        if edit is not None:
            before = len(store)
            edit.apply(store)
            done.append(words(before - len(store)))
    rest = fixes.all_fixes(store)
    if rest is not None:
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
        done = apply_fixes(store)
        if not done:
            print(f"Nothing in {source} needs an automatic fix; no file was written.")
            return 0
        before, after = store.original_count, len(store)
        if store.changed_on_disk():  # never write fixes of bytes no longer there
            raise FtError("changed", changed_while_reading(source))
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
