"""Automatic fixes: each is one undoable edit that makes its finding go away."""

from __future__ import annotations

import json

import pytest

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.validation.fixes import (
    all_fixes,
    fix_blank_lines,
    fix_bom,
    fix_duplicates,
    fix_final_newline,
    fix_line_endings,
    fix_pretty_json,
)
from ftstudio.core.validation.validator import Validator
from tests.core.validation_helpers import KNOWN_LIMITS, good, lines


def found(store: DatasetStore) -> set[str]:
    return {
        f.code for f in Validator(store, KNOWN_LIMITS, workers=0).validate().findings
    }


@pytest.mark.parametrize(
    ("fix", "code", "data"),
    [
        (fix_bom, "utf8_bom", b"\xef\xbb\xbf" + lines()),
        (fix_line_endings, "crlf_line_endings", lines().replace(b"\n", b"\r\n")),
        (fix_line_endings, "crlf_line_endings", lines().replace(b"\n", b"\r\n", 1)),
        (fix_final_newline, "missing_final_newline", lines().rstrip(b"\n")),
        (fix_blank_lines, "blank_line", lines(b"", b"  ")),
        (fix_duplicates, "duplicate_example", lines(good(1), good(2), good(1))),
        (
            fix_pretty_json,
            "pretty_printed_json",
            json.dumps([good(i) for i in range(60)], indent=2).encode(),
        ),
        (
            fix_pretty_json,
            "pretty_printed_json",
            json.dumps([good(i) for i in range(60)]).encode(),
        ),
    ],
)
def test_fix_removes_its_finding_and_undoes(fix, code: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    store = DatasetStore.from_bytes(data)
    assert code in found(store)
    edit = fix(store)
    assert edit is not None
    undo = edit.apply(store)
    assert code not in found(store)
    assert fix(store) is None  # nothing left to fix
    saved = store.to_bytes()
    assert DatasetStore.from_bytes(saved).to_bytes() == saved
    undo.apply(store)
    assert store.to_bytes() == data


def test_fixes_change_nothing_on_a_clean_file() -> None:
    store = DatasetStore.from_bytes(lines())
    for fix in (
        fix_bom,
        fix_line_endings,
        fix_final_newline,
        fix_blank_lines,
        fix_duplicates,
        fix_pretty_json,
        all_fixes,
    ):
        assert fix(store) is None


def test_crlf_fix_output_has_only_lf() -> None:
    store = DatasetStore.from_bytes(lines().replace(b"\n", b"\r\n"))
    edit = fix_line_endings(store)
    assert edit is not None
    edit.apply(store)
    assert b"\r" not in store.to_bytes()


def test_duplicates_keep_the_first_copy() -> None:
    store = DatasetStore.from_bytes(lines(good(1), good(2), good(1), pad=0))
    edit = fix_duplicates(store)
    assert edit is not None
    edit.apply(store)
    assert [json.loads(r) for r in store.iter_raw()] == [good(1), good(2)]


def test_pretty_json_objects_one_after_another() -> None:
    data = b"".join(json.dumps(good(i), indent=4).encode() + b"\n" for i in range(3))
    store = DatasetStore.from_bytes(data)
    edit = fix_pretty_json(store)
    assert edit is not None
    edit.apply(store)
    assert [json.loads(r) for r in store.iter_raw()] == [good(0), good(1), good(2)]
    assert store.to_bytes().endswith(b"}\n")


def test_all_fixes_is_one_step_that_fixes_everything() -> None:
    data = b"\xef\xbb\xbf" + lines(good(1), b"", good(1)).replace(
        b"\n", b"\r\n"
    ).rstrip(b"\r\n")
    store = DatasetStore.from_bytes(data)
    edit = all_fixes(store)
    assert edit is not None
    undo = edit.apply(store)
    left = found(store)
    assert not left & {
        "utf8_bom",
        "crlf_line_endings",
        "missing_final_newline",
        "blank_line",
        "duplicate_example",
    }
    assert len(store) == 61
    undo.apply(store)
    assert store.to_bytes() == data


def test_all_fixes_on_a_pretty_file_with_duplicates() -> None:
    data = json.dumps([good(1), good(2), good(1)], indent=2).encode()
    store = DatasetStore.from_bytes(data)
    edit = all_fixes(store)
    assert edit is not None
    edit.apply(store)
    assert store.to_bytes() == b"".join(
        json.dumps(g, separators=(",", ":")).encode() + b"\n"
        for g in (good(1), good(2))
    )


def test_pretty_conversion_keeps_what_orjson_cannot_write() -> None:
    odd = {"messages": [{"role": "user", "content": "\ud800"}], "n": 2**70}
    store = DatasetStore.from_bytes(json.dumps([odd, good(1)], indent=1).encode())
    edit = fix_pretty_json(store)
    assert edit is not None
    edit.apply(store)
    assert [json.loads(r) for r in store.iter_raw()] == [odd, good(1)]
    store.to_bytes().decode("utf-8")  # still valid UTF-8


def test_fix_names_are_an_enum_with_the_old_names() -> None:
    from ftstudio.core.validation import fixes
    from ftstudio.core.validation.fixlist import BY_NAME, FIX_ALL, FIXES, FixName

    # the values are the names settings and scripts already use
    assert FixName.BLANK_LINES == "fix_blank_lines"
    assert FixName("all_fixes") is FixName.ALL
    assert {spec.function for spec in (*FIXES, FIX_ALL)} == set(FixName)
    for name in FixName:
        assert callable(getattr(fixes, name.value))
        assert BY_NAME[name].function is name
