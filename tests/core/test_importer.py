"""Spreadsheet and JSON import: the chat JSONL a user gets, and the reasons when not."""

from __future__ import annotations

from typing import TYPE_CHECKING

import openpyxl
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftstudio.core.dataset.importer import (
    ColumnMapping,
    convert,
    convert_examples,
    convert_iter,
    holds_examples,
    preview,
    suggest_mapping,
)
from ftstudio.core.dataset.parse import LineKind
from ftstudio.core.errors import FtError
from ftstudio.core.progress import Progress

if TYPE_CHECKING:
    from pathlib import Path

QA = ColumnMapping(user="question", assistant="answer")


def lines(data: bytes) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in data.splitlines()]


def chat(user: str, assistant: str, system: str | None = None) -> dict[str, object]:
    messages = [{"role": "system", "content": system}] if system else []
    messages += [
        {"role": "user", "content": user},
        {"role": "assistant", "content": assistant},
    ]
    return {"messages": messages}


def make_xlsx(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_csv_becomes_one_chat_example_per_row(tmp_path: Path) -> None:
    src = tmp_path / "faq.csv"
    src.write_text(
        'question,answer\nHi?,"Hello, friend."\n"Two\nlines?",Yes\n', encoding="utf-8"
    )
    result = convert(src, QA)
    assert lines(result.data) == [
        chat("Hi?", "Hello, friend."),
        chat("Two\nlines?", "Yes"),
    ]
    assert result.examples == 2
    assert result.skipped == ()


def test_tsv_and_semicolon_csv_and_windows_encoding(tmp_path: Path) -> None:
    tsv = tmp_path / "a.tsv"
    tsv.write_text("question\tanswer\nA, b\tC; d\n", encoding="utf-8")
    assert lines(convert(tsv, QA).data) == [chat("A, b", "C; d")]
    semi = tmp_path / "excel-europe.csv"
    semi.write_bytes("question;answer\nCafé?;Oui\n".encode("cp1252"))
    assert lines(convert(semi, QA).data) == [chat("Café?", "Oui")]


def test_utf16_text_export_from_excel(tmp_path: Path) -> None:
    src = tmp_path / "unicode.txt"
    src.write_bytes("question\tanswer\nÄpfel?\tJa\n".encode("utf-16"))
    assert lines(convert(src, QA).data) == [chat("Äpfel?", "Ja")]


def test_system_column_and_fixed_system_prompt(tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_text("sys,q,a\nBe brief.,Hi,Hello\n,Bye,See you\n", encoding="utf-8")
    per_row = convert(src, ColumnMapping("q", "a", system_column="sys"))
    assert lines(per_row.data) == [
        chat("Hi", "Hello", "Be brief."),
        chat("Bye", "See you"),
    ]
    fixed = convert(src, ColumnMapping("q", "a", system_prompt="You are kind."))
    assert lines(fixed.data) == [
        chat("Hi", "Hello", "You are kind."),
        chat("Bye", "See you", "You are kind."),
    ]


def test_both_system_options_is_refused() -> None:
    with pytest.raises(FtError, match="not both"):
        ColumnMapping("q", "a", system_column="s", system_prompt="x")


def test_rows_missing_a_side_are_listed_with_spreadsheet_row_numbers(
    tmp_path: Path,
) -> None:
    src = tmp_path / "gaps.csv"
    src.write_text("question,answer\nok,fine\n,orphan\nlonely,\n,\n", encoding="utf-8")
    result = convert(src, QA)
    assert result.examples == 1
    # row 1 is the header, so the second data row is row 3 in the spreadsheet
    assert [(s.row, s.reason) for s in result.skipped] == [
        (3, "no user message in this row"),
        (4, "no assistant reply in this row"),
    ]
    assert result.empty_rows == 1


def test_xlsx_with_sheets_numbers_and_empty_cells(tmp_path: Path) -> None:
    src = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Notes"
    first.append(["nothing here"])
    data = book.create_sheet("Data")
    data.append(["Question", "Answer"])
    data.append(["2+2?", 4])
    data.append(["blank answer", None])
    book.save(src)

    shown = preview(src, sheet="Data")
    assert shown.sheets == ("Notes", "Data")
    assert shown.columns == ("Question", "Answer")
    assert shown.rows == (("2+2?", "4"), ("blank answer", ""))
    assert shown.suggested == ColumnMapping("Question", "Answer")

    result = convert(src, QA, sheet="Data")  # names match ignoring case
    assert lines(result.data) == [chat("2+2?", "4")]
    assert [s.row for s in result.skipped] == [3]


def test_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    src = make_xlsx(tmp_path / "b.xlsx", [["q", "a"]], title="Only")
    with pytest.raises(FtError, match=r"no sheet named 'Other'.*'Only'"):
        convert(src, QA, sheet="Other")


def test_unknown_column_lists_the_existing_columns(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    src.write_text("prompt,reply\nx,y\n", encoding="utf-8")
    with pytest.raises(FtError) as info:
        convert(src, ColumnMapping("question", "reply"))
    assert info.value.message == (
        "There is no column named 'question'. The columns are: 'prompt', 'reply'."
    )


def test_json_records_and_nested_values(tmp_path: Path) -> None:
    src = tmp_path / "r.json"
    src.write_text(
        '{"data": [{"question": "a", "answer": {"x": 1}}, {"question": "b", "answer": 2}]}',
        encoding="utf-8",
    )
    assert lines(convert(src, QA).data) == [chat("a", '{"x":1}'), chat("b", "2")]
    assert not holds_examples(src)


def test_json_that_is_not_records(tmp_path: Path) -> None:
    src = tmp_path / "n.json"
    src.write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(FtError, match="not a list of records"):
        convert(src, QA)
    broken = tmp_path / "broken.json"
    broken.write_text('[\n{"question": "a",\n', encoding="utf-8")
    with pytest.raises(FtError, match="not valid JSON"):
        preview(broken)


def test_pretty_printed_examples_become_jsonl_keeping_every_key(tmp_path: Path) -> None:
    src = tmp_path / "pretty.json"
    examples = [
        {"messages": [{"role": "user", "content": "é"}], "custom": [1, 2]},
        {"messages": [{"role": "assistant", "content": "b"}]},
    ]
    src.write_text(orjson.dumps(examples, option=orjson.OPT_INDENT_2).decode())
    assert holds_examples(src)
    result = convert_examples(src)
    assert result.data.splitlines() == [orjson.dumps(e) for e in examples]
    store = result.to_store()
    assert len(store) == 2
    assert store.parsed(0).kind is LineKind.JSON
    # several pretty objects one after another (e.g. the output of `jq .`)
    concatenated = tmp_path / "jq.jsonl"
    concatenated.write_text(
        "\n".join(
            orjson.dumps(e, option=orjson.OPT_INDENT_2).decode() for e in examples
        )
    )
    assert convert_examples(concatenated).data == result.data


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n \n", "empty"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
        ("binary.csv", b"ab\x00\x01\x02", "binary data"),
        ("fake.xlsx", b"question,answer\nx,y\n", "not an Excel workbook"),
        ("zip.xlsx", b"PK\x03\x04 not really a zip", "not an Excel workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "save it as .xlsx or CSV"),
        ("ragged.csv", b'q,a\n"x,y\n', "not laid out as a table"),
    ],
)
def test_unreadable_files_get_a_plain_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    src = tmp_path / name
    src.write_bytes(content)
    with pytest.raises(FtError, match=reason):
        preview(src)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(FtError, match="There is no file at"):
        preview(tmp_path / "nope.csv")
    with pytest.raises(FtError, match="is a folder"):
        convert(tmp_path, QA)


def test_preview_limits_rows_and_says_so(tmp_path: Path) -> None:
    src = tmp_path / "many.csv"
    src.write_text("q,a\n" + "".join(f"{i},{i}\n" for i in range(50)), encoding="utf-8")
    shown = preview(src, rows=20)
    assert len(shown.rows) == 20
    assert not shown.complete
    assert preview(src, rows=100).complete


def test_suggest_mapping_recognises_common_headers() -> None:
    assert suggest_mapping(["System Prompt", "Prompt", "Response"]) == ColumnMapping(
        "Prompt", "Response", "System Prompt"
    )
    assert suggest_mapping(["col1", "col2"]) is None


def test_convert_reports_progress_and_result_writes_atomically(tmp_path: Path) -> None:
    src = tmp_path / "p.csv"
    src.write_text("q,a\n" + "x,y\n" * 5000, encoding="utf-8")
    gen = convert_iter(src, ColumnMapping("q", "a"))
    seen: list[Progress] = []
    while True:
        try:
            seen.append(next(gen))
        except StopIteration as stop:
            result = stop.value
            break
    assert seen[-1] == Progress(5000, 5000, "Converting rows")
    out = result.write(tmp_path / "out.jsonl")
    assert out.read_bytes().count(b"\n") == 5000
    assert oct(out.stat().st_mode & 0o777) == oct(0o644)


_cell = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(_cell, _cell), min_size=1, max_size=8))
def test_any_text_survives_a_csv_written_by_pandas(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str]]
) -> None:
    import pandas as pd

    src = tmp_path_factory.mktemp("csv") / "any.csv"
    pd.DataFrame(rows, columns=["question", "answer"]).to_csv(src, index=False)
    result = convert(src, QA)
    kept = [(u, a) for u, a in rows if u.strip() and a.strip()]
    assert lines(result.data) == [chat(u, a) for u, a in kept]
    assert result.examples + len(result.skipped) + result.empty_rows == len(rows)


def test_preview_of_a_big_csv_reads_only_its_start_yet_stays_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftstudio.core.dataset import tables

    monkeypatch.setattr(tables, "PREVIEW_BYTES", 64)
    src = tmp_path / "big.csv"
    long_cell = '"' + "line\n" * 30 + '"'  # a quoted cell that crosses the cut
    src.write_text(
        f"q,a\nx,{long_cell}\n" + "".join(f"{i},{i}\n" for i in range(40)),
        encoding="utf-8",
    )
    shown = preview(src, rows=5)
    assert shown.rows[0] == ("x", "line\n" * 30)
    assert len(shown.rows) == 5
    assert not shown.complete
    small = preview(src, rows=3)
    assert small.rows[0][1] == "line\n" * 30


def test_alpaca_style_headers_pick_the_instruction() -> None:
    assert suggest_mapping(["instruction", "input", "output"]) == ColumnMapping(
        "instruction", "output"
    )
