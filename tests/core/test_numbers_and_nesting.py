"""Numbers are kept as written and deep nesting is a finding, never a crash."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from ftstudio.core.dataset.edits import map_values, set_value
from ftstudio.core.dataset.importer import convert_examples
from ftstudio.core.dataset.parse import MAX_DEPTH, LineKind, dumps, parse_line
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import FtError
from ftstudio.core.validation.fixes import all_fixes, fix_duplicates

CHAT = (
    b'{"messages":[{"role":"user","content":"id?"},'
    b'{"role":"assistant","content":"ok"}],'
)


def test_numbers_of_every_kind_round_trip_byte_for_byte() -> None:
    for text in [
        b"100000000000000000000001",
        b"-98765432109876543210987654321",
        b"18446744073709551616",
        b"1.50",
        b"1e23",
        b"1E+23",
        b"-0",
        b"-0.0",
        b"0.1000000000000000055511151231257827",
        b"123456789012345678901234567890.5",
    ]:
        line = b'{"n":' + text + b',"l":[' + text + b"]}"
        parsed = parse_line(line)
        assert parsed.kind is LineKind.JSON, text
        assert dumps(parsed.value) == line, text


def test_examples_differing_in_a_big_id_are_not_repeats() -> None:
    ids = [b"100000000000000000000000", b"100000000000000000000001"]
    data = b"".join(CHAT + b'"id":' + i + b"}\n" for i in ids)
    store = DatasetStore.from_bytes(data)
    assert fix_duplicates(store) is None
    assert all_fixes(store) is None
    # exact copies still are repeats
    store = DatasetStore.from_bytes(data + CHAT + b'"id":' + ids[1] + b"}\n")
    edit = fix_duplicates(store)
    assert edit is not None
    edit.apply(store)
    assert store.to_bytes() == data


def test_a_bulk_edit_leaves_untouched_numbers_as_written() -> None:
    line = CHAT + b'"id":100000000000000000000001,"score":1e23,"w":0.50}'
    store = DatasetStore.from_bytes(line + b"\n")

    def tag(value: dict[str, object]) -> dict[str, object]:
        value["tag"] = "x"
        return value

    edit = map_values(store, [0], tag, "Tag")
    assert edit is not None
    edit.apply(store)
    assert store.raw(0) == line[:-1] + b',"tag":"x"}'


def test_an_edited_example_keeps_its_other_numbers() -> None:
    line = CHAT + b'"id":100000000000000000000001,"w":1.0}'
    store = DatasetStore.from_bytes(line + b"\n")
    value = store.parsed(0).value
    value["messages"][1]["content"] = "changed"
    set_value(store, 0, value).apply(store)
    assert b'"id":100000000000000000000001,"w":1.0}' in store.raw(0)


def _nested(depth: int) -> bytes:
    return CHAT + b'"tools":' + b'{"a":' * depth + b"1" + b"}" * depth + b"}"


@pytest.mark.parametrize("depth", [MAX_DEPTH, 1000, 1100, 100_000])
def test_deep_nesting_is_an_invalid_line_with_a_reason(depth: int) -> None:
    parsed = parse_line(_nested(depth))
    assert parsed.kind is LineKind.INVALID_JSON
    assert "nested too deeply" in parsed.error
    assert parse_line(_nested(MAX_DEPTH - 2)).kind is LineKind.JSON


def test_deep_nesting_in_an_imported_file_is_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    good = orjson.loads(CHAT + b'"x":1}')
    path.write_bytes(b"[" + orjson.dumps(good) + b"," + _nested(1000) + b"]")
    with pytest.raises(FtError, match="nested too deeply"):
        convert_examples(path)
    path.write_bytes(b"[" + orjson.dumps(good) + b"," + _nested(100_000) + b"]")
    with pytest.raises(FtError, match="nested too deeply"):
        convert_examples(path)


def test_an_imported_json_file_keeps_its_big_numbers(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(b"[" + CHAT + b'"id":100000000000000000000001,"w":2.50}]')
    result = convert_examples(path)
    assert b'"id":100000000000000000000001,"w":2.50' in result.data
