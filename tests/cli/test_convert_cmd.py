"""``ftstudio convert``: spreadsheets and JSON become training files; bad input says why."""

from __future__ import annotations

from typing import TYPE_CHECKING

import openpyxl
import orjson
import pytest

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.cli.conftest import Outcome

    Cli = Callable[..., Outcome]


def read_lines(path: Path) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_csv_with_guessed_columns_and_a_fixed_system_prompt(
    cli: Cli, tmp_path: Path
) -> None:
    src = tmp_path / "faq.csv"
    src.write_text("Question,Answer\nWhere?,Here.\nWhen?,\n", encoding="utf-8")
    out = tmp_path / "faq.jsonl"
    result = cli("convert", src, out, "--system-prompt", "Be brief.")
    assert result.code == 0, result.err
    assert read_lines(out) == [
        {
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Where?"},
                {"role": "assistant", "content": "Here."},
            ]
        }
    ]
    assert "Wrote 1 example" in result.out
    assert "row 3: no assistant reply" in result.out


def test_xlsx_sheet_and_explicit_columns(cli: Cli, tmp_path: Path) -> None:
    src = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Cover"  # type: ignore[union-attr]
    sheet = book.create_sheet("Pairs")
    sheet.append(["Kontext", "Frage", "Antwort"])
    sheet.append(["Sei nett.", "Hallo?", "Guten Tag!"])
    book.save(src)
    out = tmp_path / "out.jsonl"
    result = cli(
        "convert", src, out, "--sheet", "Pairs", "--user-column", "Frage",
        "--assistant-column", "Antwort", "--system-column", "Kontext",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert [m["content"] for m in read_lines(out)[0]["messages"]] == [  # type: ignore[attr-defined]
        "Sei nett.",
        "Hallo?",
        "Guten Tag!",
    ]


def test_pretty_printed_json_becomes_jsonl(cli: Cli, tmp_path: Path) -> None:
    examples = [
        {"messages": [{"role": "user", "content": str(i)}], "meta": {"id": i}}
        for i in range(3)
    ]
    src = tmp_path / "pretty.json"
    src.write_bytes(orjson.dumps(examples, option=orjson.OPT_INDENT_2))
    out = tmp_path / "flat.jsonl"
    result = cli("convert", src, out)
    assert result.code == 0, result.err
    assert read_lines(out) == examples
    assert "Wrote 3 examples" in result.out


def test_unknown_columns_are_listed(cli: Cli, tmp_path: Path) -> None:
    src = tmp_path / "cols.csv"
    src.write_text("col1,col2\nx,y\n", encoding="utf-8")
    result = cli("convert", src, tmp_path / "o.jsonl")
    assert result.code == 2
    assert "--user-column" in result.err
    assert "'col1', 'col2'" in result.err
    result = cli(
        "convert", src, tmp_path / "o.jsonl", "--user-column", "question",
        "--assistant-column", "col2",
    )  # fmt: skip
    assert result.code == 2
    assert result.err == (
        "ftstudio: There is no column named 'question'. "
        "The columns are: 'col1', 'col2'.\n"
    )
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.csv", None, "There is no file at"),
        ("empty.csv", b"", "is empty"),
        ("binary.csv", b"\x00\x01\x02\x03garbage", "binary data"),
        ("fake.xlsx", b"this is not a workbook", "not an Excel workbook"),
    ],
)
def test_unreadable_input_gets_one_line_and_exit_2(
    cli: Cli, tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    src = tmp_path / name
    if content is not None:
        src.write_bytes(content)
    result = cli("convert", src, tmp_path / "out.jsonl")
    assert result.code == 2
    assert reason in result.err
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err


def test_folder_as_input(cli: Cli, tmp_path: Path) -> None:
    result = cli("convert", tmp_path, tmp_path / "out.jsonl")
    assert result.code == 2
    assert "is a folder" in result.err


def test_never_overwrites_without_force(cli: Cli, tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    src.write_text("question,answer\nq,a\n", encoding="utf-8")
    out = tmp_path / "a.jsonl"
    out.write_text("precious", encoding="utf-8")
    result = cli("convert", src, out)
    assert result.code == 2
    assert "already exists" in result.err
    assert out.read_text(encoding="utf-8") == "precious"
    assert cli("convert", src, out, "--force").code == 0
    assert out.read_text(encoding="utf-8").startswith('{"messages"')
    assert cli("convert", src, src, "--force").code == 2


def test_system_column_and_prompt_together_is_a_usage_error(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli(
        "convert", "a.csv", tmp_path / "b.jsonl", "--system-column", "s",
        "--system-prompt", "x",
    )  # fmt: skip
    assert result.code == 2
    assert "not allowed with" in result.err


def test_no_usable_rows_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    src = tmp_path / "half.csv"
    src.write_text("question,answer\nq,\n", encoding="utf-8")
    result = cli("convert", src, tmp_path / "o.jsonl")
    assert result.code == 1
    assert "nothing was written" in result.err
    assert not (tmp_path / "o.jsonl").exists()


def test_sheet_on_a_csv_and_one_column_twice_are_refused(
    cli: Cli, tmp_path: Path
) -> None:
    src = tmp_path / "a.csv"
    src.write_text("question,answer\nq,a\n", encoding="utf-8")
    result = cli("convert", src, tmp_path / "o.jsonl", "--sheet", "Data")
    assert result.code == 2
    assert "--sheet only applies to Excel workbooks" in result.err
    result = cli(
        "convert", src, tmp_path / "o.jsonl", "--user-column", "question",
        "--assistant-column", "Question",
    )  # fmt: skip
    assert result.code == 2
    assert "different column for each part" in result.err


def test_output_without_jsonl_suffix_gets_a_note(cli: Cli, tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    src.write_text("question,answer\nq,a\n", encoding="utf-8")
    result = cli("convert", src, tmp_path / "o.json")
    assert result.code == 0
    assert "usually end in .jsonl" in result.out
