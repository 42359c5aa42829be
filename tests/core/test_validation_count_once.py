"""The validator tokenizes each text of a line once, and memoises only what repeats."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from ftstudio.core.tokens.counting import TokenCounter
from ftstudio.core.validation.linecheck import check_line


def spied() -> tuple[TokenCounter, Counter[str]]:
    """Return a fresh counter and the tally of the texts it tokenizes."""
    counter = TokenCounter("o200k_base")
    real = counter.raw_count
    seen: Counter[str] = Counter()

    def count(text: str) -> int:
        seen[text] += 1
        return real(text)

    counter._count = count  # the one function every count goes through
    return counter, seen


TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather in a city.",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
            },
        },
    }
]
CALL = {
    "id": "call_a1",
    "type": "function",
    "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'},
}
LINES = {
    "plain": {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Capital of Peru?", "name": "ann"},
            {"role": "assistant", "content": "Lima.", "weight": 0},
            {"role": "user", "content": "And of Chile?"},
            {"role": "assistant", "content": "Santiago.", "weight": 1},
        ]
    },
    "a date (-0 in the text)": {
        "messages": [
            {"role": "user", "content": "What happened on 2024-05-01?"},
            {"role": "assistant", "content": "A holiday."},
        ]
    },
    "tools": {
        "messages": [
            {"role": "user", "content": "Weather in Oslo?"},
            {"role": "assistant", "content": None, "tool_calls": [CALL]},
            {"role": "tool", "tool_call_id": "call_a1", "content": "Rain, 8 °C"},
            {"role": "assistant", "content": "Rainy and cool."},
        ],
        "tools": TOOLS,
        "parallel_tool_calls": False,
    },
    "an image (full rules)": {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this?"},
                    {
                        "type": "image_url",
                        "image_url": {"url": "https://example.com/a.png"},
                    },
                ],
            },
            {"role": "assistant", "content": "A cat."},
        ]
    },
    "a tool call without tools (full rules)": {
        "messages": [
            {"role": "user", "content": "Weather?"},
            {"role": "assistant", "tool_calls": [CALL]},
        ]
    },
}


@pytest.mark.parametrize("name", list(LINES))
def test_each_text_of_a_line_is_tokenized_once(name: str) -> None:
    counter, seen = spied()
    result = check_line(json.dumps(LINES[name], ensure_ascii=False).encode(), counter)
    assert result.tokens > 0
    assert seen, "nothing was counted"
    assert [t for t, n in seen.items() if n > 1] == []


def _line(i: int, question: str | None = None) -> bytes:
    value: dict[str, Any] = {
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": question or f"Question number {i}?"},
            {"role": "assistant", "content": f"Answer number {i}."},
        ]
    }
    return json.dumps(value).encode()


def test_texts_that_never_repeat_stop_filling_the_memo() -> None:
    counter, _ = spied()
    for i in range(5_000):
        check_line(_line(i), counter)
    assert not counter.memo_pays()
    # the first 2,000 lookups were stored, then nothing more but the shared ones
    assert len(counter.text_memo) < 2_100


def test_a_text_repeated_on_every_line_is_tokenized_once() -> None:
    counter, seen = spied()
    for i in range(5_000):
        check_line(_line(i, "What are your opening hours?"), counter)
    assert counter.memo_pays()
    assert seen["What are your opening hours?"] == 1
    assert seen["You are a helpful assistant."] == 1
