"""``ftstudio validate``: the report a user reads, the JSON a script reads, exit codes."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import openpyxl
import pytest

from tests.cli.conftest import example, write_jsonl

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.cli.conftest import Outcome

    Cli = Callable[..., Outcome]


def test_clean_file_exits_0_with_a_summary(cli: Cli, good_file: Path) -> None:
    result = cli("validate", good_file)
    assert result.code == 0, result.out + result.err
    first = result.out.splitlines()[0]
    # the same model the window checks for, so both give the same cost
    assert first.endswith(
        "chat format, 60 examples, checked for gpt-4.1-mini (tokenizer o200k_base)"
    )
    assert "Errors" not in result.out
    assert "Epochs on auto: 3." in result.out
    assert "price checked 2026-11-21" in result.out


def test_errors_exit_1_grouped_by_kind_with_lines(cli: Cli, tmp_path: Path) -> None:
    bad = write_jsonl(
        tmp_path / "bad.jsonl",
        [example(i) for i in range(12)]
        + [example(50, weight=2), example(51, weight=2)],
        tail=b"{not json\n",
    )
    result = cli("validate", bad)
    assert result.code == 1
    out = result.out
    assert "error" in out.splitlines()[1]
    assert "  invalid_weight on 2 lines" in out
    assert "    lines 13-14: " in out  # one message shown once for both lines
    assert "  invalid_json on 1 line" in out
    assert "    line 15: " in out
    assert out.index("Errors") < out.index("Warnings")


def test_json_output_is_one_object_with_the_documented_fields(
    cli: Cli, tmp_path: Path
) -> None:
    bad = write_jsonl(tmp_path / "b.jsonl", [example(i) for i in range(5)], b"[1]\n")
    result = cli("validate", bad, "--json", "--model", "gpt-4o")
    assert result.code == 1
    data = json.loads(result.out)  # exactly one JSON document
    assert data["file"] == str(bad)
    assert data["format"] == "chat"
    assert data["examples"] == 6
    assert data["model"] == "gpt-4o"
    assert data["encoding"] == "o200k_base"
    assert data["errors"] >= 2  # data_type on line 6 and too_few_examples
    codes = {(f["line"], f["code"], f["severity"]) for f in data["findings"]}
    assert (6, "data_type", "error") in codes
    assert (None, "too_few_examples", "error") in codes
    assert all(f["message"] for f in data["findings"])
    tokens = data["tokens"]
    assert {"total", "billing", "assistant", "over_limit_examples"} <= tokens.keys()
    assert {"min", "max", "mean", "median", "p10", "p90"} <= tokens[
        "distribution"
    ].keys()
    assert data["epochs"] == 16  # auto: 100 // 6 examples (every non-blank line)
    expected = tokens["billing"] * 16 * 25.0 / 1_000_000
    assert data["estimated_cost_usd"] == pytest.approx(expected)


def test_unknown_model_price_is_null_not_a_guess(cli: Cli, good_file: Path) -> None:
    data = json.loads(
        cli("validate", good_file, "--json", "--model", "my-own-model").out
    )
    assert data["estimated_cost_usd"] is None
    human = cli("validate", good_file, "--model", "my-own-model").out
    assert "Estimated cost: unknown" in human


def test_validation_file_overlap_is_reported(
    cli: Cli, tmp_path: Path, good_file: Path
) -> None:
    valid = write_jsonl(tmp_path / "valid.jsonl", [example(3), example(999)])
    result = cli("validate", good_file, "--validation-file", valid, "--json")
    data = json.loads(result.out)
    assert data["validation_file"] == str(valid)
    assert any(f["code"] == "train_validation_overlap" for f in data["findings"])


def _xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["question", "answer"])  # type: ignore[union-attr]
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.jsonl", None, "There is no file at"),
        ("empty.jsonl", b"", "is empty"),
        ("blob.jsonl", b"\x00\x01\x02\x03\xff\xfe binary", "binary data, not text"),
        ("photo.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        ("fake.xlsx", b"not a workbook at all", "is a spreadsheet"),
        ("wide.jsonl", '{"messages": []}\n'.encode("utf-16"), "Save it again as UTF-8"),
        ("data.csv", b"question,answer\nq,a\n", "ftstudio convert data.csv data.jsonl"),
    ],
)
def test_unreadable_file_exits_2_with_one_plain_line(
    cli: Cli, tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    for args in (
        ("validate", path),
        ("validate", path, "--json"),
        ("cost", path, "--model", "gpt-4o"),
    ):
        result = cli(*args)
        assert result.code == 2
        assert result.out == ""
        assert result.err.startswith("ftstudio: ")
        assert reason in result.err
        assert result.err.count("\n") == 1


def test_real_workbook_and_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", _xlsx(tmp_path / "real.xlsx"))
    assert result.code == 2
    assert "is a spreadsheet" in result.err
    result = cli("validate", tmp_path)
    assert result.code == 2
    assert "is a folder" in result.err


def test_bad_validation_file_and_bad_arguments(
    cli: Cli, good_file: Path, tmp_path: Path
) -> None:
    result = cli("validate", good_file, "--validation-file", tmp_path / "nope.jsonl")
    assert result.code == 2
    assert "There is no file at" in result.err
    assert cli("validate").code == 2
    assert cli("validate", good_file, "--bogus").code == 2


def test_fixable_problems_point_to_ftstudio_fix_which_repairs_them(
    cli: Cli, tmp_path: Path
) -> None:
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps([example(i) for i in range(12)], indent=2))
    result = cli("validate", pretty)
    assert result.code == 1
    hint = result.out.splitlines()[2]
    assert hint.startswith(f"Run 'ftstudio fix {pretty}' first: it repairs ")
    assert "pretty_printed_json" in hint
    assert cli("fix", pretty).code == 0
    assert cli("validate", tmp_path / "pretty.fixed.jsonl").code == 0


@pytest.mark.parametrize(
    ("args", "one_thread"), [(("validate",), True), (("models", "--help"), False)]
)
def test_only_validate_asks_numpy_for_one_blas_thread(
    cli: Cli,
    good_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    one_thread: bool,
) -> None:
    """Validating does no linear algebra; a trainer started by other commands would."""
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    cli(*args, *([good_file] if args == ("validate",) else []))
    assert (os.environ.get("OPENBLAS_NUM_THREADS") == "1") is one_thread
