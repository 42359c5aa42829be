"""``ftstudio fix``: repairs go to a copy, each repair is named, the original is safe."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson

from tests.cli.conftest import example, write_jsonl

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.cli.conftest import Outcome

    Cli = Callable[..., Outcome]

LINES = [orjson.dumps(example(i)) for i in range(3)]


def messy(path: Path) -> Path:
    body = b"\r\n".join([LINES[0], b"", LINES[1], LINES[0], LINES[2]]) + b"\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + body)
    return path


def test_fixes_go_to_a_copy_and_are_listed(cli: Cli, tmp_path: Path) -> None:
    src = messy(tmp_path / "data.jsonl")
    original = src.read_bytes()
    result = cli("fix", src)
    assert result.code == 0, result.err
    fixed = tmp_path / "data.fixed.jsonl"
    assert fixed.read_bytes() == b"\n".join(LINES) + b"\n"
    assert src.read_bytes() == original
    assert result.out.splitlines()[:5] == [
        f"Applied 4 fixes to {src}:",
        "  - Removed 1 empty line",
        "  - Removed 1 repeated example, keeping the first of each",
        "  - Removed the byte-order mark at the start",
        "  - Changed Windows line endings (CRLF) to plain ones",
    ]
    assert "The original is unchanged" in result.out


def test_in_place_and_output_option(cli: Cli, tmp_path: Path) -> None:
    src = messy(tmp_path / "data.jsonl")
    out = tmp_path / "clean.jsonl"
    assert cli("fix", src, "-o", out).code == 0
    assert out.read_bytes() == b"\n".join(LINES) + b"\n"
    assert cli("fix", src, "--in-place").code == 0
    assert src.read_bytes() == out.read_bytes()
    assert not (tmp_path / "data.fixed.jsonl").exists()
    assert cli("fix", src, "--in-place", "-o", out).code == 2


def test_pretty_printed_json_is_converted(cli: Cli, tmp_path: Path) -> None:
    src = tmp_path / "pretty.json"
    src.write_bytes(orjson.dumps([example(0), example(1)], option=orjson.OPT_INDENT_2))
    result = cli("fix", src)
    assert result.code == 0, result.err
    assert "Converted pretty-printed JSON" in result.out
    assert (tmp_path / "pretty.fixed.jsonl").read_bytes() == b"\n".join(
        LINES[:2]
    ) + b"\n"


def test_clean_file_writes_nothing(cli: Cli, good_file: Path) -> None:
    result = cli("fix", good_file)
    assert result.code == 0
    assert "Nothing in" in result.out
    assert not good_file.with_name("train.fixed.jsonl").exists()


def test_existing_copy_is_not_replaced_without_force(cli: Cli, tmp_path: Path) -> None:
    src = messy(tmp_path / "data.jsonl")
    copy = tmp_path / "data.fixed.jsonl"
    copy.write_text("mine", encoding="utf-8")
    result = cli("fix", src)
    assert result.code == 2
    assert "already exists" in result.err
    assert copy.read_text(encoding="utf-8") == "mine"
    assert cli("fix", src, "--force").code == 0


def test_unreadable_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("fix", tmp_path / "missing.jsonl")
    assert result.code == 2
    assert "There is no file at" in result.err
    good = write_jsonl(tmp_path / "x.jsonl", [example(1)])
    assert cli("fix", good, "-o", good).code == 2


def test_fields_openai_refuses_are_removed_unless_the_trainer_reads_them(
    cli: Cli, tmp_path: Path
) -> None:
    stray = example(0)
    messages = stray["messages"]
    assert isinstance(messages, list)
    messages[0] = {**messages[0], "weight": 1}
    messages[-1] = {**messages[-1], "thinking": "Add the numbers.", "source": "x"}
    src = write_jsonl(
        tmp_path / "data.jsonl", [stray] + [example(i) for i in range(1, 12)]
    )
    assert "the fix does" in cli("validate", src).out
    result = cli("fix", src)
    assert result.code == 0, result.err
    assert "  - Removed fields OpenAI refuses" in result.out
    fixed = orjson.loads((tmp_path / "data.fixed.jsonl").read_bytes().splitlines()[0])
    assert fixed == example(0)
    kept = tmp_path / "oss.jsonl"
    assert cli("fix", src, "-o", kept, "--target", "gpt-oss").code == 0
    reply = orjson.loads(kept.read_bytes().splitlines()[0])["messages"][-1]
    assert reply == {**example(0)["messages"][-1], "thinking": "Add the numbers."}  # type: ignore[index]
    assert cli("validate", kept, "--target", "gpt-oss").code == 0
