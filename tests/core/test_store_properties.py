"""Property tests: arbitrary bytes and JSON never break the store, the validator or the fixes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftstudio.core.dataset.edits import insert_values, set_raw, set_value
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.tokens.counting import TokenCounter
from ftstudio.core.validation import linecheck
from ftstudio.core.validation.fixes import all_fixes
from ftstudio.core.validation.validator import Validator
from tests.core.validation_helpers import KNOWN_LIMITS

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
COUNTER = TokenCounter("o200k_base")

# Byte soup biased towards what matters: newlines, CR, BOM, braces, invalid UTF-8.
pieces = st.sampled_from(
    [
        b"\n",
        b"\r\n",
        b"\r",
        b"\xef\xbb\xbf",
        b"{",
        b"}",
        b"[",
        b'"',
        b"\xff",
        b" ",
        b"{}",
        b'{"messages":[]}',
    ]
)
byte_soup = st.lists(st.one_of(st.binary(max_size=20), pieces), max_size=30).map(
    b"".join
)

# JSON text may hold lone surrogates as escapes; st.text() never generates them
texts = st.text(
    st.characters(codec=None, categories=("Cs", "L", "N", "P", "Zs")), max_size=30
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | texts,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "messages",
                    "role",
                    "content",
                    "weight",
                    "name",
                    "tool_calls",
                    "input",
                    "prompt",
                    "completion",
                    "preferred_output",
                    "non_preferred_output",
                    "tools",
                    "type",
                    "text",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)
roles = st.sampled_from(["system", "user", "assistant", "tool", "robot"])
messages = st.lists(
    st.fixed_dictionaries({"role": roles, "content": texts}),
    min_size=1,
    max_size=5,
)


@SETTINGS
@given(byte_soup)
def test_unedited_round_trip_is_byte_identical(data: bytes) -> None:
    store = DatasetStore.from_bytes(data)
    assert store.to_bytes() == data
    for raw in store.iter_raw():
        assert b"\n" not in raw


@SETTINGS
@given(byte_soup, st.integers(min_value=0, max_value=40))
def test_edit_then_undo_restores_the_bytes(data: bytes, where: int) -> None:
    store = DatasetStore.from_bytes(data)
    row = where % (len(store) + 1)
    undo_insert = insert_values(store, row, [{"messages": []}]).apply(store)
    undo_set = set_raw(store, row, b"changed").apply(store)
    assert store.raw(row) == b"changed"
    undo_set.apply(store)
    undo_insert.apply(store)
    assert store.to_bytes() == data


@SETTINGS
@given(byte_soup)
def test_validator_and_fixes_never_raise_on_bytes(data: bytes) -> None:
    store = DatasetStore.from_bytes(data)
    validator = Validator(store, KNOWN_LIMITS, workers=0)
    report = validator.validate()
    assert report.examples <= len(store)
    assert all(validator.row_info(r) is not None for r in range(len(store)))
    edit = all_fixes(store)
    if edit is not None:
        undo = edit.apply(store)
        Validator(store, KNOWN_LIMITS, workers=0).validate()
        undo.apply(store)
        assert store.to_bytes() == data


@SETTINGS
@given(st.lists(json_values, max_size=8))
def test_validator_never_raises_on_json(values: list[Any]) -> None:
    data = b"\n".join(json.dumps(v).encode() for v in values)
    store = DatasetStore.from_bytes(data)
    v = Validator(store, "gpt-3.5-turbo-0613", workers=0)
    report = v.validate()
    for row in range(len(store)):
        info = v.row_info(row)
        assert info is not None
        assert info.tokens >= info.assistant_tokens >= 0
        assert all(f.line == row + 1 for f in v.row_findings(row))
    assert report.tokens.billing <= report.tokens.total


@SETTINGS
@given(st.one_of(json_values, st.builds(lambda m: {"messages": m}, messages)))
def test_fast_path_agrees_with_the_full_rules(value: Any) -> None:
    raw = json.dumps(value).encode()
    fast = linecheck.check_line(raw, COUNTER)
    assert fast == linecheck.check_line(raw, COUNTER, fast=False)


# JSON number text as a program may write it: any size, any exponent style
number_texts = st.builds(
    lambda sign, whole, frac, exp: sign + whole + frac + exp,
    st.sampled_from(["", "-"]),
    st.one_of(st.just("0"), st.from_regex(r"[1-9][0-9]{0,40}", fullmatch=True)),
    st.one_of(st.just(""), st.from_regex(r"\.[0-9]{1,30}", fullmatch=True)),
    st.one_of(st.just(""), st.from_regex(r"[eE][+-]?[0-9]{1,3}", fullmatch=True)),
)


@SETTINGS
@given(st.lists(number_texts, min_size=1, max_size=6), json_values)
def test_untouched_numbers_survive_an_edit_byte_for_byte(
    numbers: list[str], other: Any
) -> None:
    fields = ",".join(f'"n{i}":{n}' for i, n in enumerate(numbers))
    line = ('{"messages":[],' + fields + "}").encode()
    store = DatasetStore.from_bytes(line + b"\n")
    value = store.parsed(0).value
    value["extra"] = other
    set_value(store, 0, value).apply(store)
    edited = store.raw(0)
    assert edited.startswith(line[:-1] + b',"extra":')
