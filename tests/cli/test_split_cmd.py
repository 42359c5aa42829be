"""``ftstudio split``: two files, no example in both, nothing overwritten by surprise."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.cli.conftest import example, write_jsonl

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.cli.conftest import Outcome

    Cli = Callable[..., Outcome]


def test_default_names_beside_the_file(cli: Cli, good_file: Path) -> None:
    result = cli("split", good_file, "--validation-ratio", "0.2")
    assert result.code == 0, result.err
    train = good_file.with_name("train_train.jsonl").read_bytes().splitlines()
    valid = good_file.with_name("train_validation.jsonl").read_bytes().splitlines()
    assert (len(train), len(valid)) == (48, 12)
    assert sorted(train + valid) == sorted(good_file.read_bytes().splitlines())
    assert "48 examples" in result.out
    assert "12 examples" in result.out


def test_percent_seed_and_custom_outputs(
    cli: Cli, good_file: Path, tmp_path: Path
) -> None:
    t, v = tmp_path / "t.jsonl", tmp_path / "v.jsonl"
    assert cli("split", good_file, "--validation-ratio", "10%", "--seed", "3",
               "--out-train", t, "--out-validation", v).code == 0  # fmt: skip
    first = v.read_bytes()
    assert len(first.splitlines()) == 6
    # the same seed gives the same split
    assert cli("split", good_file, "--validation-ratio", "10%", "--seed", "3",
               "--out-train", t, "--out-validation", v, "--force").code == 0  # fmt: skip
    assert v.read_bytes() == first


def test_duplicates_stay_together(cli: Cli, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "d.jsonl", [example(i % 5) for i in range(40)])
    assert cli("split", src, "--validation-ratio", "0.2").code == 0
    train = set(src.with_name("d_train.jsonl").read_bytes().splitlines())
    valid = set(src.with_name("d_validation.jsonl").read_bytes().splitlines())
    assert train
    assert valid
    assert not train & valid


def test_refuses_to_overwrite(cli: Cli, good_file: Path) -> None:
    existing = good_file.with_name("train_validation.jsonl")
    existing.write_text("keep me", encoding="utf-8")
    result = cli("split", good_file, "--validation-ratio", "0.2")
    assert result.code == 2
    assert "already exists" in result.err
    assert "--force" in result.err
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert not good_file.with_name("train_train.jsonl").exists()


@pytest.mark.parametrize("ratio", ["0", "1", "1.5", "ten", "-0.2"])
def test_bad_ratio(cli: Cli, good_file: Path, ratio: str) -> None:
    result = cli("split", good_file, "--validation-ratio", ratio)
    assert result.code == 2
    assert "--validation-ratio" in result.err


def test_bad_files(cli: Cli, tmp_path: Path) -> None:
    assert (
        "There is no file"
        in cli("split", tmp_path / "x.jsonl", "--validation-ratio", "0.1").err
    )
    empty = tmp_path / "e.jsonl"
    empty.write_bytes(b"")
    result = cli("split", empty, "--validation-ratio", "0.1")
    assert result.code == 2
    assert "is empty" in result.err
    one = write_jsonl(tmp_path / "one.jsonl", [example(1)])
    result = cli("split", one, "--validation-ratio", "0.1")
    assert result.code == 2
    assert "at least two different examples" in result.err


def test_validate_finds_no_overlap_between_the_split_files(
    cli: Cli, tmp_path: Path
) -> None:
    # repeats with another key order are the same example to both split and validate
    reordered = {
        "messages": [dict(reversed(m.items())) for m in example(1)["messages"]]  # type: ignore[attr-defined]
    }
    values = [example(i % 30) for i in range(60)] + [reordered]
    src = write_jsonl(tmp_path / "d.jsonl", values)
    assert cli("split", src, "--validation-ratio", "0.25", "--seed", "5").code == 0
    result = cli(
        "validate", src.with_name("d_train.jsonl"),
        "--validation-file", src.with_name("d_validation.jsonl"), "--json",
    )  # fmt: skip
    codes = {f["code"] for f in json.loads(result.out)["findings"]}
    assert "duplicate_example" in codes  # the repeats are still there, on one side
    assert "train_validation_overlap" not in codes
