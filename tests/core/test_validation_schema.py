"""Every structural rule of OpenAI's line schemas, one code at a time."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from ftstudio.core.validation.findings import Severity
from tests.core.validation_helpers import codes, lines, on_line, report_of

U = {"role": "user", "content": "What is the weather in Paris?"}
A = {"role": "assistant", "content": "Sunny."}
TOOL = {"type": "function", "function": {"name": "weather", "parameters": {}}}


def call(name: str = "weather", arguments: Any = '{"city": "Paris"}', **kw: Any) -> Any:
    return {
        "id": "call_1",
        "type": "function",
        "function": {"name": name, "arguments": arguments},
        **kw,
    }


def asks(*calls: Any) -> dict[str, Any]:
    return {"role": "assistant", "content": None, "tool_calls": list(calls)}


ANSWER = {"role": "tool", "content": "18 °C", "tool_call_id": "call_1"}


def chat(*messages: Any, **extra: Any) -> dict[str, Any]:
    return {"messages": list(messages), **extra}


def with_tools(*messages: Any, **extra: Any) -> dict[str, Any]:
    return chat(*messages, tools=[TOOL], **extra)


def image(url: str = "https://example.com/a.png", **kw: Any) -> dict[str, Any]:
    return {"type": "image_url", "image_url": {"url": url, **kw}}


def user_parts(*parts: Any) -> dict[str, Any]:
    return {"role": "user", "content": list(parts)}


PNG_1x1 = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000000000500010d0a2db40000000049454e44ae426082"
    )
).decode()

ERRORS = [
    (chat({"role": "developer", "content": "Be brief."}, U, A), "developer_role"),
    (chat({**U, "tool_calls": []}, A), "message_unrecognized_key"),
    (chat({**U, "tool_call_id": "x"}, A), "message_unrecognized_key"),
    (chat({**U, "name": 5}, A), "invalid_name"),
    (
        with_tools(U, asks(call()), {"role": "tool", "content": "18"}, A),
        "missing_tool_call_id",
    ),
    (chat(U, {"role": "function", "content": "18"}, A), "missing_function_name"),
    (
        with_tools(U, {"role": "assistant", "tool_calls": "weather"}, A),
        "invalid_tool_call",
    ),
    (
        with_tools(
            U,
            asks(
                {"type": "function", "function": {"name": "weather", "arguments": "{}"}}
            ),
            A,
        ),
        "invalid_tool_call",
    ),
    (with_tools(U, asks(call(type="other")), ANSWER, A), "invalid_tool_call"),
    (
        with_tools(U, asks({"id": "c", "type": "function", "function": "weather"}), A),
        "invalid_tool_call",
    ),
    (with_tools(U, asks(call(name="")), ANSWER, A), "invalid_tool_call"),
    (with_tools(U, asks(call(arguments=None)), ANSWER, A), "invalid_tool_call"),
    (
        with_tools(U, asks(call(arguments={"city": "Paris"})), ANSWER, A),
        "tool_arguments_not_string",
    ),
    (
        with_tools(U, {"role": "assistant", "function_call": "weather"}, A),
        "invalid_function_call",
    ),
    (chat(U, A, tools={"name": "weather"}), "invalid_tools"),
    (chat(U, A, functions=[]), "invalid_tools"),
    (
        chat(U, A, tools=[{"type": "function", "function": {"description": "x"}}]),
        "invalid_tool_definition",
    ),
    (chat(U, A, tools=[{"type": "retrieval"}]), "invalid_tool_definition"),
    (chat(U, A, tools=[{"type": "function"}]), "invalid_tool_definition"),
    (
        chat(
            U,
            A,
            tools=[{"type": "function", "function": {"name": "f", "parameters": "x"}}],
        ),
        "invalid_tool_definition",
    ),
    (
        chat(
            U,
            A,
            tools=[{"type": "function", "function": {"name": "f", "strict": "yes"}}],
        ),
        "invalid_tool_definition",
    ),
    (chat(U, A, functions=[{"description": "no name"}]), "invalid_tool_definition"),
    (with_tools(U, A, parallel_tool_calls="false"), "invalid_parallel_tool_calls"),
    (
        chat(U, A, tools=[{"type": "function", "function": {"name": "get weather"}}]),
        "invalid_tool_definition",
    ),
    (
        chat(U, A, tools=[{"type": "function", "function": {"name": "f" * 65}}]),
        "invalid_tool_definition",
    ),
    (
        chat(
            U,
            A,
            tools=[{"type": "function", "function": {"name": "f", "description": 3}}],
        ),
        "invalid_tool_definition",
    ),
    (chat(U, A, functions=[{"name": f"f{i}"} for i in range(129)]), "invalid_tools"),
    (chat(user_parts({"text": "hi"}), A), "invalid_content_part"),
    (chat(user_parts({"type": "video", "video": {}}), A), "invalid_content_part"),
    (chat(U, {"role": "assistant", "content": [image()]}), "invalid_content_part"),
    (chat({"role": "system", "content": [image()]}, U, A), "invalid_content_part"),
    (
        chat(user_parts({"type": "input_audio", "input_audio": {"data": "x"}}), A),
        "invalid_content_part",
    ),
    (chat(user_parts({"type": "text", "text": ""}), A), "missing_content"),
    (chat(user_parts({"type": "image_url"}), A), "invalid_image"),
    (chat(user_parts(image(detail="medium")), A), "invalid_image"),
    (chat(user_parts(image("/home/me/cat.png")), A), "invalid_image"),
    (chat(user_parts(image("data:image/gif;base64,R0lGOD")), A), "invalid_image"),
    (chat(user_parts(image("data:image/png,rawbytes")), A), "invalid_image"),
    (
        chat(user_parts(image("data:image/png;base64," + "A" * 14_000_000)), A),
        "invalid_image",
    ),
    (chat(user_parts(*[image()] * 11), A), "too_many_images"),
    (chat(U, {**A, "refusal": 3}), "invalid_refusal"),
]

WARNINGS = [
    (
        with_tools(U, asks(call(arguments="{city: Paris")), ANSWER, A),
        "tool_arguments_not_json",
    ),
    (with_tools(U, asks(call(name="forecast")), ANSWER, A), "undeclared_tool"),
    (chat(U, asks(call()), ANSWER, A), "undeclared_tool"),
    (
        with_tools(U, asks(call()), {**ANSWER, "tool_call_id": "call_9"}, A),
        "unknown_tool_call_id",
    ),
    (
        with_tools(
            U,
            asks(call(), {**call(), "id": "call_2"}),
            ANSWER,
            A,
            parallel_tool_calls=False,
        ),
        "parallel_calls_disabled",
    ),
    (chat(U, A, source="forum"), "unrecognized_example_key"),
]


@pytest.mark.parametrize(("line", "code"), ERRORS)
def test_each_structural_error(line: Any, code: str) -> None:
    report = report_of(lines(line), "gpt-4o-2024-08-06")
    found = [f for f in on_line(report, 1) if f.code == code]
    assert found, report.findings
    assert found[0].severity is Severity.ERROR
    assert report.errors >= 1


@pytest.mark.parametrize(("line", "code"), WARNINGS)
def test_each_quality_warning(line: Any, code: str) -> None:
    report = report_of(lines(line), "gpt-4o-2024-08-06")
    found = [f for f in on_line(report, 1) if f.code == code]
    assert found, report.findings
    assert found[0].severity is Severity.WARNING
    assert report.errors == 0, report.findings


def test_a_full_tool_conversation_is_clean() -> None:
    example = with_tools(
        {"role": "system", "content": "You report the weather."},
        U,
        asks(
            call(), {**call(name="weather", arguments='{"city": "Lyon"}'), "id": "c2"}
        ),
        ANSWER,
        {
            "role": "tool",
            "content": [{"type": "text", "text": "20 °C"}],
            "tool_call_id": "c2",
        },
        {**A, "weight": 1},
        parallel_tool_calls=True,
    )
    assert codes(report_of(lines(example))) == set()


def test_legacy_functions_and_function_messages_are_clean() -> None:
    example = chat(
        U,
        {"role": "assistant", "function_call": {"name": "weather", "arguments": "{}"}},
        {"role": "function", "name": "weather", "content": "18"},
        A,
        functions=[{"name": "weather", "parameters": {"type": "object"}}],
    )
    assert codes(report_of(lines(example))) == set()


def test_a_measured_data_url_image_is_clean_for_a_vision_model() -> None:
    example = chat(
        user_parts(
            {"type": "text", "text": "What is it?"},
            image("data:image/png;base64," + PNG_1x1, detail="high"),
        ),
        A,
    )
    report = report_of(lines(example), "gpt-4.1-2025-04-14")
    assert codes(report, 1) == set()
    assert report.tokens.estimated_examples == 0  # its size is in its header


def test_images_are_an_error_for_a_model_without_vision_fine_tuning() -> None:
    data = lines(chat(user_parts(image()), A))
    found = on_line(report_of(data, "gpt-4o-mini"), 1)
    assert [(f.code, f.severity) for f in found] == [
        ("images_not_supported", Severity.ERROR)
    ]
    assert "gpt-4o-2024-08-06" in found[0].message
    assert codes(report_of(data, "gpt-4o"), 1) == set()


def test_web_images_say_their_size_cannot_be_known_offline() -> None:
    report = report_of(lines(chat(user_parts(image()), A)), "gpt-4o")
    notes = {f.code: f for f in on_line(report, None)}
    assert "offline" in notes["image_size_unknown"].message
    assert notes["estimated_tokens"].severity is Severity.INFO
    assert report.tokens.estimated_examples == 1


def test_tool_counts_are_flagged_as_estimates() -> None:
    report = report_of(lines(with_tools(U, asks(call()), ANSWER, A)))
    assert report.tokens.estimated_examples == 1
    assert "estimated_tokens" in codes(report, None)


def test_preference_rules() -> None:
    good = {
        "input": {"messages": [U], "tools": [TOOL], "parallel_tool_calls": False},
        "preferred_output": [A],
        "non_preferred_output": [{"role": "assistant", "content": "Rainy."}],
    }
    same = {**good, "non_preferred_output": [A]}
    weighted = {**good, "preferred_output": [{**A, "weight": 1}]}
    developer = {
        **good,
        "input": {"messages": [{"role": "developer", "content": "x"}, U]},
    }
    for value, code, severity in (
        (same, "identical_preference_outputs", Severity.WARNING),
        (weighted, "invalid_weight", Severity.ERROR),
        (developer, "developer_role", Severity.ERROR),
        (
            {**good, "input": {**good["input"], "tools": "x"}},
            "invalid_tools",
            Severity.ERROR,
        ),
    ):
        found = {f.code: f.severity for f in on_line(report_of(lines(value)), 1)}
        assert found.get(code) is severity, (code, found)
    clean = [
        {**good, "input": {"messages": [{**U, "content": f"Q{i}"}]}} for i in range(12)
    ]
    report = report_of(lines(*clean, pad=0))
    assert report.format == "preference"
    assert {f.code for f in report.findings} == {"few_examples"}


def test_one_message_with_several_problems_gets_each_code() -> None:
    bad = {"role": "developer", "content": "", "mood": 1}
    found = codes(report_of(lines(chat(bad, U, A))))
    assert {"developer_role", "missing_content", "message_unrecognized_key"} <= found
