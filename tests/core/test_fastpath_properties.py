"""The fast paths for plain chat and tool-calling lines give what the full rules give."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftstudio.core.tokens.counting import TokenCounter
from ftstudio.core.validation import linecheck
from ftstudio.core.validation.fastpath import plain_line
from ftstudio.core.validation.fasttools import fast_tools
from ftstudio.core.validation.lineresult import digest

COUNTER = TokenCounter("o200k_base")
texts = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=20
)
message = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["system", "user", "assistant", "developer", "tool"]),
        "content": texts,
    },
    optional={
        "weight": st.sampled_from([0, 1, 2, 0.5, True, None]),
        "name": st.one_of(texts, st.integers()),
    },
)
examples = st.builds(
    lambda m: {"messages": m}, st.lists(message, min_size=1, max_size=6)
)


def full_result(raw: bytes) -> linecheck.LineResult:
    """Check ``raw`` with the full rules only."""
    return linecheck.check_line(raw, COUNTER, fast=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(examples)
def test_fast_path_agrees_with_the_full_rules(value: Any) -> None:
    raw = json.dumps(value).encode()
    assert linecheck.check_line(raw, COUNTER) == full_result(raw)


def test_the_fast_path_takes_weighted_and_named_messages() -> None:
    value = {
        "messages": [
            {"role": "user", "content": "Hi", "name": "ann"},
            {"role": "assistant", "content": "Hello", "weight": 0},
            {"role": "user", "content": "Again"},
            {"role": "assistant", "content": "Hello again", "weight": 1},
        ]
    }
    raw = json.dumps(value).encode()
    assert plain_line(raw, COUNTER) is not None
    result = linecheck.check_line(raw, COUNTER)
    assert result == full_result(raw)
    assert result.findings == ()
    assert 0 < result.assistant < result.tokens


NAMES = ["get_weather", "lookup_order"]
IDS = ["call_1", "call_2"]


def tool(name: str, description: Any, params: Any) -> dict[str, Any]:
    function: dict[str, Any] = {"name": name, "description": description}
    if params is not None:
        function["parameters"] = params
    return {"type": "function", "function": function}


PARAMS = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "The city."},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["city"],
}
clean_tools = st.lists(
    st.builds(
        tool, st.sampled_from(NAMES), st.one_of(st.none(), texts), st.just(PARAMS)
    ),
    min_size=1,
    max_size=2,
)
arguments = st.builds(lambda city: json.dumps({"city": city}), st.text(max_size=8))


@st.composite
def clean_tool_example(draw: st.DrawFn) -> dict[str, Any]:
    """A tool-calling example the full rules find nothing wrong with."""
    tools = draw(clean_tools)
    declared = [t["function"]["name"] for t in tools]
    words = st.text(
        st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=12
    )
    messages: list[dict[str, Any]] = [{"role": "user", "content": draw(words)}]
    for turn in range(draw(st.integers(1, 2))):
        ids = [f"call_{turn}_{i}" for i in range(draw(st.integers(1, 2)))]
        calls = [
            {
                "id": i,
                "type": "function",
                "function": {
                    "name": draw(st.sampled_from(declared)),
                    "arguments": draw(arguments),
                },
            }
            for i in ids
        ]
        asking: dict[str, Any] = {"role": "assistant", "tool_calls": calls}
        asking |= draw(
            st.sampled_from([{}, {"content": None}, {"content": ""}, {"weight": 0}])
        )
        messages.append(asking)
        messages += [
            {"role": "tool", "tool_call_id": i, "content": draw(words)} for i in ids
        ]
    messages.append({"role": "assistant", "content": draw(words), "weight": 1})
    value: dict[str, Any] = {"messages": messages, "tools": tools}
    if draw(st.booleans()):
        value["parallel_tool_calls"] = True
    return value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clean_tool_example())
def test_the_tool_fast_path_takes_clean_tool_examples(value: Any) -> None:
    raw = json.dumps(value).encode()
    assert fast_tools(value, raw, COUNTER) is not None
    result = linecheck.check_line(raw, COUNTER)
    assert result == full_result(raw)
    assert result.findings == ()


def _spoil(value: dict[str, Any], where: str, new: Any) -> dict[str, Any]:
    """Set the field at dotted ``where`` (list indices as numbers) to ``new``."""
    spoilt = json.loads(json.dumps(value))
    *path, last = where.split(".")
    item: Any = spoilt
    for part in path:
        item = item[int(part)] if isinstance(item, list) else item[part]
    if isinstance(item, list):
        item[int(last)] = new
    elif new is DELETE:
        item.pop(last, None)
    else:
        item[last] = new
    return spoilt


DELETE = object()
SPOILS = [
    ("tools", None),
    ("tools", {"type": "function"}),
    ("tools.0.type", "fn"),
    ("tools.0.function.name", "bad name"),
    ("tools.0.function.description", 7),
    ("tools.0.function.parameters", "none"),
    ("tools.0.function.strict", "yes"),
    ("tools.0.function.parameters.properties.city.minimum", 0.5),
    ("parallel_tool_calls", "true"),
    ("parallel_tool_calls", False),
    ("messages.1.tool_calls", []),
    ("messages.1.tool_calls", {"id": "call_0_0"}),
    ("messages.1.tool_calls.0", "call"),
    ("messages.1.tool_calls.0.id", 5),
    ("messages.1.tool_calls.0.id", DELETE),
    ("messages.1.tool_calls.0.type", "fn"),
    ("messages.1.tool_calls.0.function", "f"),
    ("messages.1.tool_calls.0.function.name", "undeclared"),
    ("messages.1.tool_calls.0.function.name", " "),
    ("messages.1.tool_calls.0.function.arguments", "{not json"),
    ("messages.1.tool_calls.0.function.arguments", {"city": "Oslo"}),
    ("messages.1.tool_calls.0.function.arguments", "NaN"),
    ("messages.1.content", ["text"]),
    ("messages.1.content", 3),
    ("messages.1.weight", 2),
    ("messages.1.weight", True),
    ("messages.1.refusal", "no"),
    ("messages.1.function_call", {"name": "get_weather", "arguments": "{}"}),
    ("messages.1.name", 4),
    ("messages.1.tool_calls", None),
    ("messages.2.tool_call_id", "call_9"),
    ("messages.2.tool_call_id", DELETE),
    ("messages.2.tool_call_id", ""),
    ("messages.2.content", " "),
    ("messages.2.content", None),
    ("messages.2.name", "x"),
    ("messages.2.weight", 1),
    ("messages.2.role", "function"),
    ("messages.0.role", "developer"),
    ("messages.0.content", ""),
    ("messages.0.extra", 1),
    ("messages.-1.weight", 0),
    ("messages.-1.content", "sk-test-not-a-real-key-00000000"),
    ("metadata", {"source": "x"}),
    ("functions", [{"name": "get_weather"}]),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clean_tool_example(), st.sampled_from(SPOILS))
def test_the_tool_fast_path_agrees_with_the_full_rules_on_spoilt_examples(
    value: Any, spoil: tuple[str, Any]
) -> None:
    spoilt = _spoil(value, *spoil)
    raw = json.dumps(spoilt).encode()
    assert linecheck.check_line(raw, COUNTER) == full_result(raw)


any_text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30).filter(
    lambda t: not t.isspace()
)
plain_messages = st.lists(
    st.fixed_dictionaries(
        {"role": st.sampled_from(["system", "user"]), "content": any_text},
        optional={"name": any_text},
    ),
    max_size=3,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plain_messages, any_text, st.booleans(), st.booleans())
def test_plain_lines_of_any_text_are_fingerprinted_as_the_full_rules_do(
    asked: list[dict[str, Any]], reply: str, ascii_only: bool, reorder: bool
) -> None:
    """Duplicates are found by fingerprint, whichever path read each copy."""
    answer = {"role": "assistant", "content": reply}
    if reorder:
        answer = {"content": reply, "weight": 1, "role": "assistant"}
    value = {"messages": [*asked, answer]}
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    fast = plain_line(raw, COUNTER)
    assert fast is not None
    assert fast == full_result(raw)
    assert fast.digest == digest(json.loads(raw))
