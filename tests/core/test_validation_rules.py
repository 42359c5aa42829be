"""Every finding code, on the smallest file that triggers it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ftstudio.core.validation.findings import Severity
from tests.core.validation_helpers import codes, good, lines, on_line, report_of

U = {"role": "user", "content": "Hello"}
A = {"role": "assistant", "content": "Hi there"}


def chat(*messages: Any) -> dict[str, Any]:
    return {"messages": list(messages)}


def test_clean_file_has_no_findings() -> None:
    report = report_of(lines())
    assert report.findings == ()
    assert report.format == "chat"
    assert report.examples == 60


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b'{"messages": [', "invalid_json"),
        (b'{"messages": "\xff\xfe"}', "invalid_utf8"),
        (b"[1, 2, 3]", "data_type"),
        (b'"just text"', "data_type"),
        (chat(U, A, "not a message"), "data_type"),
        ({"messages": []}, "missing_messages_list"),
        ({"messages": "hello"}, "missing_messages_list"),
        ({"note": "no messages at all"}, "missing_messages_list"),
        (chat({"content": "Hello"}, A), "message_missing_key"),
        (chat({"role": "user"}, A), "message_missing_key"),
        (chat({"role": "user", "content": None}, A), "message_missing_key"),
        (chat(U, {"role": "assistant", "content": None}), "message_missing_key"),
        (chat({**U, "mood": "happy"}, A), "message_unrecognized_key"),
        (chat({"role": "customer", "content": "Hello"}, A), "unrecognized_role"),
        (chat({"role": ["user"], "content": "Hello"}, A), "unrecognized_role"),
        (chat({"role": "user", "content": "   "}, A), "missing_content"),
        (chat({"role": "user", "content": 42}, A), "missing_content"),
        (chat({"role": "user", "content": []}, A), "missing_content"),
        (chat(U), "example_missing_assistant_message"),
        (chat(U, {**A, "weight": 0.5}), "invalid_weight"),
        (chat(U, {**A, "weight": True}), "invalid_weight"),
        (chat({**U, "weight": 1}, A), "invalid_weight"),
        (chat(U, {**A, "weight": 0}), "no_trainable_messages"),
        (
            {"input": {"messages": [U]}, "preferred_output": [A]},
            "invalid_preference_example",
        ),
        (
            {"input": {}, "preferred_output": [A], "non_preferred_output": [A]},
            "invalid_preference_example",
        ),
        (
            {
                "input": {"messages": [U]},
                "preferred_output": A,
                "non_preferred_output": [A],
            },
            "invalid_preference_example",
        ),
        (
            {
                "input": {"messages": [U]},
                "preferred_output": [U],
                "non_preferred_output": [A],
            },
            "invalid_preference_example",
        ),
        ({"prompt": "Hello"}, "invalid_completion_example"),
        ({"prompt": "Hello", "completion": 5}, "invalid_completion_example"),
        (
            chat(
                {
                    "role": "user",
                    "content": "my key is sk-proj-abcdefghij0123456789XYZ",
                },
                A,
            ),
            "possible_secret",
        ),
        (
            chat(
                {"role": "user", "content": "-----BEGIN RSA PRIVATE KEY-----\nMIIE"}, A
            ),
            "possible_secret",
        ),
        (b"", "blank_line"),
        (b"   \t", "blank_line"),
    ],
)
def test_each_line_rule(line: Any, code: str) -> None:
    report = report_of(lines(line))
    assert code in codes(report, 1), report.findings
    assert all(f.message and f.message[0].isupper() for f in report.findings)


def test_errors_and_warnings_have_the_expected_severity() -> None:
    report = report_of(lines(b"[1]", b""))
    assert [f.severity for f in on_line(report, 1)] == [Severity.ERROR]
    blank = on_line(report, 2)[0]
    assert (blank.code, blank.severity, blank.fixable) == (
        "blank_line",
        Severity.ERROR,
        True,
    )
    assert "rejects" in blank.message  # an error says why it is one


def test_tool_call_without_content_is_fine() -> None:
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "f", "arguments": "{}"},
    }
    example = chat(
        U,
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "content": "42", "tool_call_id": "call_1"},
        {"role": "assistant", "content": "", "tool_calls": [call]},
        {"role": "tool", "content": "42", "tool_call_id": "call_1"},
        A,
    )
    example["tools"] = [{"type": "function", "function": {"name": "f"}}]
    assert codes(report_of(lines(example))) == set()


def test_content_parts_are_accepted_for_a_vision_model() -> None:
    parts = [
        {"type": "text", "text": "Describe"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
    ]
    data = lines(chat({"role": "user", "content": parts}, A))
    assert codes(report_of(data, "gpt-4o-2024-08-06")) == set()


def test_weight_message_explains_only_0_and_1_exist() -> None:
    report = report_of(lines(chat(U, {**A, "weight": 0.5})))
    message = on_line(report, 1)[0].message
    assert "only 0" in message
    assert "tutorials" in message


def test_preference_aliases_are_accepted() -> None:
    value = {
        "input": {"messages": [U]},
        "preferred_completion": [A],
        "non_preferred_completion": [{"role": "assistant", "content": "Meh"}],
    }
    data = b"\n".join(json.dumps({**value, "id": i}).encode() for i in range(60))
    report = report_of(data)
    assert report.format == "preference"
    assert report.errors == 0


def test_same_problem_in_several_messages_is_one_finding() -> None:
    bad = {"role": "user", "content": ""}
    report = report_of(lines(chat(bad, bad, bad, A)))
    found = [f for f in on_line(report, 1) if f.code == "missing_content"]
    assert len(found) == 1
    assert "2 more" in found[0].message


def test_duplicate_names_the_earlier_line() -> None:
    report = report_of(lines(good(1), good(2), good(1)))
    dup = [f for f in report.findings if f.code == "duplicate_example"]
    assert [(f.line, f.severity) for f in dup] == [(3, Severity.WARNING)]
    assert "line 1" in dup[0].message


def test_duplicate_ignores_key_order() -> None:
    swapped = {
        "messages": [dict(reversed(list(m.items()))) for m in good(1)["messages"]]
    }
    report = report_of(lines(good(1), swapped))
    assert "duplicate_example" in codes(report, 2)


def test_mixed_formats_is_a_file_level_error() -> None:
    report = report_of(lines({"prompt": "a", "completion": "b"}))
    assert report.format == "mixed"
    mixed = on_line(report, None)[0]
    assert (mixed.code, mixed.severity) == ("mixed_formats", Severity.ERROR)


@pytest.mark.parametrize(
    ("examples", "code"),
    [
        (0, "too_few_examples"),
        (9, "too_few_examples"),
        (10, "few_examples"),
        (49, "few_examples"),
        (50, None),
    ],
)
def test_example_count_thresholds(examples: int, code: str | None) -> None:
    report = report_of(lines(pad=examples))
    found = codes(report, None) & {"too_few_examples", "few_examples"}
    assert found == ({code} if code else set())


def test_blank_lines_do_not_count_as_examples() -> None:
    report = report_of(lines(b"", b"", pad=10))
    assert report.examples == 10


def test_over_token_limit_depends_on_the_model() -> None:
    long = chat(U, {"role": "assistant", "content": "word " * 5000})
    assert "over_token_limit" in codes(report_of(lines(long), "gpt-3.5-turbo-0613"), 1)
    assert "over_token_limit" not in codes(report_of(lines(long), "gpt-4o-mini"), 1)


def test_completion_file_for_a_chat_model_is_an_error() -> None:
    data = b"\n".join(
        json.dumps({"prompt": f"q{i}", "completion": f"a{i}"}).encode()
        for i in range(60)
    )
    assert "format_model_mismatch" in codes(report_of(data, "gpt-4o-mini"), None)
    assert report_of(data, "babbage-002").errors == 0
    assert "format_model_mismatch" in codes(report_of(lines(), "davinci-002"), None)


def test_unknown_model_and_limit_are_said_not_guessed() -> None:
    report = report_of(lines(), "my-own-model")
    found = codes(report, None)
    assert {"unknown_model", "unknown_token_limit", "unknown_price"} <= found
    assert report.cost.usd is None


def test_layout_findings() -> None:
    data = b"\xef\xbb\xbf" + lines().replace(b"\n", b"\r\n").rstrip(b"\r\n")
    found = codes(report_of(data), None)
    assert {"utf8_bom", "crlf_line_endings", "missing_final_newline"} <= found


def test_pretty_printed_file_is_detected() -> None:
    examples = [good(i) for i in range(12)]
    data = json.dumps(examples, indent=2).encode()
    report = report_of(data)
    pretty = [f for f in report.findings if f.code == "pretty_printed_json"]
    assert len(pretty) == 1
    assert pretty[0].fixable
    assert "12 examples" in pretty[0].message


def test_one_line_json_array_is_detected() -> None:
    data = json.dumps([good(i) for i in range(12)]).encode()
    assert "pretty_printed_json" in codes(report_of(data), None)


def test_findings_are_sorted_file_level_first_then_by_line() -> None:
    report = report_of(lines(good(1), b"[1]", b"", good(1), pad=5))
    keys = [(-1 if f.line is None else f.line) for f in report.findings]
    assert keys == sorted(keys)
    assert report.findings[0].line is None


def test_a_list_on_the_first_line_of_a_jsonl_file_is_not_pretty_json() -> None:
    report = report_of(lines(b"[1, 2]"))
    assert "pretty_printed_json" not in codes(report, None)
    assert codes(report, 1) == {"data_type"}


def test_deep_nesting_is_explained_in_words() -> None:
    report = report_of(lines(b"[" * 100_000 + b"]" * 100_000))
    message = on_line(report, 1)[0].message
    assert "nested too deeply" in message
    assert "recursion" not in message
