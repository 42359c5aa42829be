"""``ftstudio convert --to FORMAT`` and the import of other trainers' files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Outcome, example, write_jsonl


def test_export_for_sharegpt_then_import_it_back(
    cli: Callable[..., Outcome], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "train.jsonl", [example(i) for i in range(5)])
    shared = tmp_path / "share.jsonl"
    out = cli("convert", source, shared, "--to", "sharegpt")
    assert out.code == 0, out.err
    assert "Wrote 5 examples for sharegpt" in out.out
    first = json.loads(shared.read_text().splitlines()[0])
    assert first["conversations"][0] == {"from": "human", "value": "Question number 0?"}
    back = tmp_path / "back.jsonl"
    again = cli("convert", shared, back)
    assert again.code == 0, again.err
    assert back.read_bytes() == source.read_bytes()


def test_export_says_what_it_left_out(
    cli: Callable[..., Outcome], tmp_path: Path
) -> None:
    dpo = {
        "input": {"messages": [{"role": "user", "content": "Hi"}]},
        "preferred_output": [{"role": "assistant", "content": "Ahoy"}],
        "non_preferred_output": [{"role": "assistant", "content": "Yo"}],
    }
    source = write_jsonl(tmp_path / "mixed.jsonl", [example(1), dpo])
    out = cli("convert", source, tmp_path / "a.jsonl", "--to", "alpaca")
    assert out.code == 0, out.err
    assert "Left out 1 example that alpaca cannot hold" in out.out
    assert "example 2: Alpaca has no preference pairs" in out.out
    only_dpo = write_jsonl(tmp_path / "dpo.jsonl", [dpo])
    none = cli("convert", only_dpo, tmp_path / "b.jsonl", "--to", "sharegpt")
    assert none.code == 1
    assert "nothing was written" in none.err
    assert not (tmp_path / "b.jsonl").exists()


def test_unknown_format_is_refused(cli: Callable[..., Outcome], tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "t.jsonl", [example(1)])
    out = cli("convert", source, tmp_path / "x.jsonl", "--to", "csv")
    assert out.code == 2
    assert "invalid choice" in out.err
