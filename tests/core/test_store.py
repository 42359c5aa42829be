"""The lossless store: line index, layout detection, edits and saving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ftstudio.core.dataset.edits import (
    Macro,
    delete_rows,
    duplicate_rows,
    insert_values,
    map_values,
    set_value,
)
from ftstudio.core.dataset.events import StoreEvent
from ftstudio.core.dataset.lineindex import index_lines
from ftstudio.core.dataset.parse import LineKind
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.errors import FtError
from ftstudio.core.progress import run_to_end as drain


def test_index_counts_lines_crlf_bom_and_final_newline() -> None:
    index = drain(index_lines(b"\xef\xbb\xbfa\r\nb\nc"))
    assert index.line_count == 3
    assert (index.bom, index.crlf_lines, index.final_newline) == (True, 1, False)
    assert drain(index_lines(b"")).line_count == 0
    assert drain(index_lines(b"\n")).line_count == 1


def test_rows_without_terminators_and_layout() -> None:
    store = DatasetStore.from_bytes(b"\xef\xbb\xbf{}\r\n\r\n[1]\r\n")
    assert list(store.iter_raw()) == [b"{}", b"", b"[1]"]
    assert store.original_layout.bom
    assert store.original_layout.crlf
    assert [store.parsed(r).kind for r in range(3)] == [
        LineKind.JSON,
        LineKind.BLANK,
        LineKind.JSON,
    ]


def test_only_edited_lines_change_on_save(tmp_path: Path) -> None:
    original = b'{"a": 1}\r\n{"b":  2}\r\n{"c": 3}\r\n'
    path = tmp_path / "data.jsonl"
    path.write_bytes(original)
    store = DatasetStore.open(path)
    set_value(store, 1, {"b": 3}).apply(store)
    store.save()
    assert path.read_bytes() == b'{"a": 1}\r\n{"b":3}\r\n{"c": 3}\r\n'
    store.close()


def test_unknown_keys_survive_an_edit_elsewhere() -> None:
    data = b'{"messages": [], "my_tag": {"x": [1, 2]}}\n{"other": true}\n'
    store = DatasetStore.from_bytes(data)
    set_value(store, 1, {"other": False}).apply(store)
    assert store.to_bytes().startswith(b'{"messages": [], "my_tag": {"x": [1, 2]}}\n')


def test_bulk_edits_are_one_undo_step_each() -> None:
    data = b"".join(json.dumps({"i": i}).encode() + b"\n" for i in range(5))
    store = DatasetStore.from_bytes(data)
    steps = [
        delete_rows(store, [0, 2]),
    ]
    undo = Macro(tuple(steps)).apply(store)
    assert [json.loads(r)["i"] for r in store.iter_raw()] == [1, 3, 4]
    undo_dup = duplicate_rows(store, [0]).apply(store)
    assert len(store) == 4
    change = map_values(
        store, range(len(store)), lambda v: {**v, "i": v["i"] * 10}, "x10"
    )
    assert change is not None
    undo_map = change.apply(store)
    assert [json.loads(r)["i"] for r in store.iter_raw()] == [10, 10, 30, 40]
    for u in (undo_map, undo_dup, undo):
        u.apply(store)
    assert store.to_bytes() == data
    assert not store.edited


def test_events_tell_item_models_what_changed() -> None:
    store = DatasetStore.from_bytes(b"{}\n{}\n")
    events: list[tuple[str, StoreEvent, int]] = []

    class Recorder:
        def store_about_to_change(self, event: StoreEvent) -> None:
            events.append(("about", event, len(store)))

        def store_changed(self, event: StoreEvent) -> None:
            events.append(("done", event, len(store)))

    store.subscribe(Recorder())
    insert_values(store, 1, [{}, {}]).apply(store)
    set_value(store, 0, {"a": 1}).apply(store)
    delete_rows(store, [0]).apply(store)
    store.splice(0, 3, [store.new_key(b"{}")])
    said = [
        (w, e.kind, e.row, e.removed, e.inserted, e.version, n) for w, e, n in events
    ]
    assert said == [
        ("about", "splice", 1, 0, 2, 1, 2),  # announced while the rows are still old
        ("done", "splice", 1, 0, 2, 1, 4),
        ("about", "splice", 0, 1, 1, 2, 4),
        ("done", "splice", 0, 1, 1, 2, 4),
        ("about", "reset", 0, 4, 3, 3, 4),
        ("done", "reset", 0, 4, 3, 3, 3),
        ("about", "splice", 0, 3, 1, 4, 3),  # a general splice: 3 rows by 1
        ("done", "splice", 0, 3, 1, 4, 1),
    ]
    assert store.version == 4


def test_parse_cache_follows_keys() -> None:
    store = DatasetStore.from_bytes(b'{"a": 1}\n')
    assert store.parsed(0).value == {"a": 1}
    set_value(store, 0, {"a": 2}).apply(store)
    assert store.parsed(0).value == {"a": 2}


def test_new_lines_cannot_hold_a_newline() -> None:
    store = DatasetStore.empty()
    with pytest.raises(ValueError, match="newline"):
        store.new_key(b"a\nb")


def test_open_errors_are_plain(tmp_path: Path) -> None:
    with pytest.raises(FtError, match="no file"):
        DatasetStore.open(tmp_path / "nope.jsonl")
    with pytest.raises(FtError, match="folder"):
        DatasetStore.open(tmp_path)


def test_save_failure_keeps_edits_and_old_file(tmp_path: Path) -> None:
    store = DatasetStore.from_bytes(b"{}\n")
    set_value(store, 0, {"a": 1}).apply(store)
    with pytest.raises(FtError, match="does not exist"):
        store.save(tmp_path / "missing-folder" / "x.jsonl")
    assert store.edited
    assert list(tmp_path.iterdir()) == []


def test_empty_file_opens_and_saves(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    store = DatasetStore.open(path)
    assert len(store) == 0
    assert store.to_bytes() == b""
    insert_values(store, 0, [{"a": 1}]).apply(store)
    assert store.to_bytes() == b'{"a":1}\n'


def test_an_edit_with_values_orjson_refuses_still_saves(tmp_path):  # type: ignore[no-untyped-def]
    from ftstudio.core.dataset.edits import set_value
    from ftstudio.core.dataset.parse import parse_line
    from ftstudio.core.dataset.store import DatasetStore

    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    store = DatasetStore.open(path)
    odd = {"text": "lone \ud800 surrogate", "big": 2**70}
    set_value(store, 0, odd).apply(store)
    store.save()
    assert parse_line(path.read_bytes().rstrip(b"\n")).value == odd
