"""Compare the dataset in memory with the file on disk, in words a user can act on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ftstudio.core.dataset.diskfile import read_file
from ftstudio.core.errors import FtError
from ftstudio.core.progress import run_to_end

if TYPE_CHECKING:
    from ftstudio.core.dataset.store import DatasetStore

SHOWN = 8
"""Lines listed on each side; the counts cover the rest."""
WIDTH = 100


def _only(rows: Iterable[bytes], other: Counter[bytes]) -> list[tuple[int, bytes]]:
    """Return (line number, text) of ``rows`` not matched by a line in ``other``."""
    left = Counter(other)
    out = []
    for number, raw in enumerate(rows, 1):
        if left[raw] > 0:
            left[raw] -= 1
        else:
            out.append((number, raw))
    return out


def _show(lines: list[tuple[int, bytes]]) -> list[str]:
    shown = []
    for number, raw in lines[:SHOWN]:
        text = raw.decode("utf-8", "replace")
        text = text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"
        shown.append(f"  line {number:,}: {text}")
    if len(lines) > SHOWN:
        shown.append(f"  …and {len(lines) - SHOWN:,} more")
    return shown


def compare_with_file(store: DatasetStore, path: Path) -> str:
    """Say how the lines of ``store`` differ from the file at ``path`` now.

    Lines are matched by content wherever they are, so moved lines do not
    count as differences.
    """
    from ftstudio.core.dataset.store import DatasetStore

    try:
        data, _stamp = run_to_end(read_file(path))
    except FtError as error:
        return f"{error.message} Only your version is left."
    theirs = DatasetStore.from_bytes(bytes(data))
    ours_rows = list(store.iter_raw())
    theirs_rows = list(theirs.iter_raw())
    only_here = _only(ours_rows, Counter(theirs_rows))
    only_there = _only(theirs_rows, Counter(ours_rows))
    lines = [
        f"Your version: {len(ours_rows):,} lines. The file on disk: "
        f"{len(theirs_rows):,} lines.",
    ]
    if not only_here and not only_there:
        if ours_rows == theirs_rows:
            lines.append(
                "They hold the same lines (only the file's layout may differ)."
            )
        else:
            lines.append("They hold the same lines in a different order.")
        return "\n".join(lines)
    lines.append(
        f"{len(only_here):,} lines are only in your version and "
        f"{len(only_there):,} only in the file on disk."
    )
    if only_here:
        lines += ["", "Only in your version:", *_show(only_here)]
    if only_there:
        lines += ["", "Only in the file on disk:", *_show(only_there)]
    return "\n".join(lines)
