"""Split a dataset into training and validation files, and find examples in both.

Two lines are the same example when they hold the same JSON value (key order
and spacing do not matter); lines that are not JSON compare by their bytes.
Identical examples always land on the same side, so the validation loss never
measures examples the model was trained on. Written lines keep their exact
bytes; blank lines are not examples and are left out.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import orjson

from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.dataset.atomic import atomic_file
from ftstudio.core.dataset.parse import LineKind, parse_line
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.progress import Progress, run_to_end

Rows = npt.NDArray[np.int64]
_STEP = 5000  # rows between progress reports / cancel checks


def example_key(raw: bytes) -> bytes | None:
    """Return a digest that is equal for identical examples (None for a blank line)."""
    parsed = parse_line(raw)
    if parsed.kind is LineKind.BLANK:
        return None
    if parsed.kind is not LineKind.JSON:
        return b"r" + hashlib.blake2b(raw, digest_size=16).digest()
    try:
        canonical = orjson.dumps(parsed.value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # integers beyond 64 bits: orjson refuses them
        canonical = json.dumps(parsed.value, sort_keys=True).encode()
    return b"j" + hashlib.blake2b(canonical, digest_size=16).digest()


def _keys_iter(
    store: DatasetStore, label: str, cancel: CancelToken
) -> Generator[Progress, None, list[bytes | None]]:
    total = len(store)
    keys: list[bytes | None] = []
    for row, key in enumerate(store.keys.tolist()):
        if row % _STEP == 0:
            cancel.check()
            yield Progress(row, total, label)
        keys.append(example_key(store.raw_for_key(key)))
    yield Progress(total, total, label)
    return keys


@dataclass(frozen=True)
class SplitPlan:
    """Which rows go to training and which to validation (0-based, in file order)."""

    train_rows: Rows = field(repr=False)
    validation_rows: Rows = field(repr=False)
    seed: int
    ratio: float

    @property
    def train_count(self) -> int:
        """Return how many examples go to training."""
        return len(self.train_rows)

    @property
    def validation_count(self) -> int:
        """Return how many examples go to validation."""
        return len(self.validation_rows)


def check_ratio(ratio: float) -> float:
    """Return ``ratio`` if it is a usable validation share, else raise FtError."""
    if not 0 < ratio < 1:
        msg = (
            "The validation share must be between 0 and 1, for example 0.1 to keep "
            "one example in ten for validation."
        )
        raise FtError(ErrorKind.INPUT, msg)
    return ratio


def plan_split_iter(
    store: DatasetStore, ratio: float, seed: int = 0, cancel: CancelToken = NEVER
) -> Generator[Progress, None, SplitPlan]:
    """Decide the split of ``store``: about ``ratio`` of its examples to validation.

    The same ``seed`` always gives the same split of the same file.

    Raises
    ------
    FtError
        If the ratio is outside (0, 1) or there are fewer than two different examples.
    """
    check_ratio(ratio)
    keys = yield from _keys_iter(store, "Comparing examples", cancel)
    groups: dict[bytes, list[int]] = {}
    for row, key in enumerate(keys):
        if key is not None:
            groups.setdefault(key, []).append(row)
    if len(groups) < 2:
        msg = "Splitting needs at least two different examples; this file has fewer."
        raise FtError(ErrorKind.INPUT, msg)
    examples = sum(len(rows) for rows in groups.values())
    target = min(examples - 1, max(1, round(examples * ratio)))
    order = list(groups.values())
    chosen: list[int] = []
    rng = np.random.default_rng(seed)
    for index in rng.permutation(len(order)).tolist():
        rows = order[index]
        # whole groups only: a duplicate never straddles the two files
        if len(chosen) + len(rows) <= target:
            chosen.extend(rows)
            if len(chosen) == target:
                break
    if not chosen:  # every group is bigger than the target: take the smallest
        chosen = min(order, key=len)
    validation = np.sort(np.asarray(chosen, dtype=np.int64))
    in_validation = np.zeros(len(keys), dtype=bool)
    in_validation[validation] = True
    example_rows = np.asarray(
        [row for row, key in enumerate(keys) if key is not None], dtype=np.int64
    )
    train = example_rows[~in_validation[example_rows]]
    return SplitPlan(train, validation, seed, ratio)


def plan_split(store: DatasetStore, ratio: float, seed: int = 0) -> SplitPlan:
    """Run :func:`plan_split_iter` to the end."""
    return run_to_end(plan_split_iter(store, ratio, seed))


def write_split_iter(
    store: DatasetStore,
    plan: SplitPlan,
    train_path: str | os.PathLike[str],
    validation_path: str | os.PathLike[str],
    cancel: CancelToken = NEVER,
) -> Generator[Progress, None, tuple[Path, Path]]:
    """Write the two files of ``plan`` (UTF-8 JSONL, one example per line).

    Raises
    ------
    FtError
        If a file cannot be written; nothing is left half-written.
    """
    total = plan.train_count + plan.validation_count
    done = 0
    pairs = (
        (plan.train_rows, Path(train_path)),
        (plan.validation_rows, Path(validation_path)),
    )
    for rows, path in pairs:
        # streamed line by line: a 1 GB dataset is never held twice in memory
        with atomic_file(path) as out:
            for i, row in enumerate(rows.tolist()):
                if i % _STEP == 0:
                    cancel.check()
                    yield Progress(done + i, total, "Writing the files")
                out.write(store.raw(row))
                out.write(b"\n")
        done += len(rows)
    yield Progress(total, total, "Writing the files")
    return pairs[0][1], pairs[1][1]


@dataclass(frozen=True)
class Overlap:
    """An example found in both files (rows are 0-based, lines 1-based)."""

    train_row: int
    validation_row: int

    @property
    def train_line(self) -> int:
        """Return the 1-based line in the training file."""
        return self.train_row + 1

    @property
    def validation_line(self) -> int:
        """Return the 1-based line in the validation file."""
        return self.validation_row + 1


def overlap_iter(
    train: DatasetStore, validation: DatasetStore, cancel: CancelToken = NEVER
) -> Generator[Progress, None, list[Overlap]]:
    """List each validation example that is also in training (with its first training row)."""
    train_keys = yield from _keys_iter(train, "Reading the training file", cancel)
    first: dict[bytes, int] = {}
    for row, key in enumerate(train_keys):
        if key is not None:
            first.setdefault(key, row)
    valid_keys = yield from _keys_iter(
        validation, "Reading the validation file", cancel
    )
    return [
        Overlap(first[key], row)
        for row, key in enumerate(valid_keys)
        if key is not None and key in first
    ]


def overlap(train: DatasetStore, validation: DatasetStore) -> list[Overlap]:
    """Run :func:`overlap_iter` to the end."""
    return run_to_end(overlap_iter(train, validation))
