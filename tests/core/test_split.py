"""Training/validation split and overlap: no example may end up in both files."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftstudio.core.cancel import Cancelled, CancelToken
from ftstudio.core.dataset.split import (
    example_key,
    overlap,
    plan_split,
    plan_split_iter,
    write_split_iter,
)
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import FtError

if TYPE_CHECKING:
    from pathlib import Path


def line(i: int) -> bytes:
    return orjson.dumps(
        {
            "messages": [
                {"role": "user", "content": f"q{i}"},
                {"role": "assistant", "content": f"a{i}"},
            ]
        }
    )


def store_of(lines: list[bytes]) -> DatasetStore:
    return DatasetStore.from_bytes(b"\n".join(lines) + b"\n")


def test_ratio_and_seed_give_a_repeatable_split_of_every_example() -> None:
    store = store_of([line(i) for i in range(100)])
    plan = plan_split(store, 0.2, seed=7)
    assert plan.validation_count == 20
    assert plan.train_count == 80
    assert sorted([*plan.train_rows.tolist(), *plan.validation_rows.tolist()]) == list(
        range(100)
    )
    again = plan_split(store, 0.2, seed=7)
    assert again.validation_rows.tolist() == plan.validation_rows.tolist()
    other = plan_split(store, 0.2, seed=8)
    assert other.validation_rows.tolist() != plan.validation_rows.tolist()


def test_identical_examples_land_on_the_same_side() -> None:
    # the same example written with other key order and spacing is still the same
    same = b'{ "messages": [{"content": "q0", "role": "user"}, {"role": "assistant", "content": "a0"}] }'
    lines = [line(i) for i in range(20)] + [line(0), same, line(3)]
    store = store_of(lines)
    for seed in range(30):
        plan = plan_split(store, 0.3, seed=seed)
        train = {example_key(store.raw(r)) for r in plan.train_rows.tolist()}
        valid = {example_key(store.raw(r)) for r in plan.validation_rows.tolist()}
        assert not train & valid
        assert plan.train_count + plan.validation_count == len(lines)


def test_blank_lines_are_left_out_and_broken_lines_kept() -> None:
    store = store_of([line(1), b"", b"not json", b"  ", line(2), line(3)])
    plan = plan_split(store, 0.5, seed=1)
    rows = sorted([*plan.train_rows.tolist(), *plan.validation_rows.tolist()])
    assert rows == [0, 2, 4, 5]


def test_every_side_gets_at_least_one_example() -> None:
    store = store_of([line(1), line(2)])
    plan = plan_split(store, 0.01)
    assert (plan.train_count, plan.validation_count) == (1, 1)
    plan = plan_split(store, 0.99)
    assert (plan.train_count, plan.validation_count) == (1, 1)


@pytest.mark.parametrize("ratio", [0, 1, -0.1, 10])
def test_ratio_outside_zero_and_one_is_refused(ratio: float) -> None:
    with pytest.raises(FtError, match="between 0 and 1"):
        plan_split(store_of([line(1), line(2)]), ratio)


def test_one_distinct_example_cannot_be_split() -> None:
    with pytest.raises(FtError, match="at least two different examples"):
        plan_split(store_of([line(1), line(1), b""]), 0.5)


def test_written_files_keep_each_line_byte_for_byte(tmp_path: Path) -> None:
    odd = b'{"messages":[{"role":"user","content":"\\u00e9"}],  "extra": 1}'
    src = tmp_path / "data.jsonl"
    src.write_bytes(
        b"\xef\xbb\xbf" + odd + b"\r\n" + b"\r\n".join(line(i) for i in range(9))
    )
    store = DatasetStore.open(src)
    plan = plan_split(store, 0.3, seed=3)
    gen = write_split_iter(store, plan, tmp_path / "t.jsonl", tmp_path / "v.jsonl")
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            train_path, valid_path = stop.value
            break
    written = (
        train_path.read_bytes().splitlines() + valid_path.read_bytes().splitlines()
    )
    assert sorted(written) == sorted([odd, *(line(i) for i in range(9))])
    assert train_path.read_bytes().endswith(b"}\n")
    assert not valid_path.read_bytes().startswith(b"\xef\xbb\xbf")
    store.close()


def test_split_can_be_cancelled() -> None:
    token = CancelToken()
    token.cancel()
    gen = plan_split_iter(store_of([line(i) for i in range(10)]), 0.2, cancel=token)
    with pytest.raises(Cancelled):
        list(gen)


def test_overlap_names_the_lines_found_in_both_files() -> None:
    train = store_of([line(1), line(2), line(2), line(3)])
    valid = store_of([line(9), line(2), b"", line(3), b"broken"])
    found = overlap(train, valid)
    assert [(o.train_line, o.validation_line) for o in found] == [(2, 2), (4, 4)]
    assert overlap(train, store_of([line(7)])) == []


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(st.integers(0, 12), min_size=2, max_size=60),
    ratio=st.floats(0.01, 0.99),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_split_keeps_every_example_once_and_never_shares_one(
    picks: list[int], ratio: float, seed: int
) -> None:
    store = store_of([line(i) for i in picks])
    if len(set(picks)) < 2:
        with pytest.raises(FtError):
            plan_split(store, ratio, seed)
        return
    plan = plan_split(store, ratio, seed)
    rows = [*plan.train_rows.tolist(), *plan.validation_rows.tolist()]
    assert sorted(rows) == list(range(len(picks)))
    assert plan.train_count >= 1
    assert plan.validation_count >= 1
    train = {picks[r] for r in plan.train_rows.tolist()}
    valid = {picks[r] for r in plan.validation_rows.tolist()}
    assert not train & valid


def test_cancelled_write_leaves_no_file_behind(tmp_path: Path) -> None:
    store = store_of([line(i) for i in range(20)])
    plan = plan_split(store, 0.5, seed=1)
    token = CancelToken()
    gen = write_split_iter(
        store, plan, tmp_path / "t.jsonl", tmp_path / "v.jsonl", token
    )
    next(gen)
    token.cancel()
    gen.close()  # what a worker does when the user cancels
    assert list(tmp_path.iterdir()) == []
