"""Token counting: the chat formula on hand-computed examples, and model → encoding."""

from __future__ import annotations

import pytest

from ftstudio.core.dataset.formats import Format
from ftstudio.core.tokens.counting import (
    ExampleTokens,
    TokenCounter,
    counter_for_model,
)


@pytest.fixture(scope="module")
def counter() -> TokenCounter:
    return TokenCounter("o200k_base")


def chat(*messages: dict[str, object], **extra: object) -> dict[str, object]:
    return {"messages": list(messages), **extra}


def test_plain_chat_example_by_hand(counter: TokenCounter) -> None:
    # reply 3 + user(3 + "user" 1 + "hi" 1) + assistant(3 + 1 + "Hello world" 2)
    value = chat(
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "Hello world"},
    )
    assert counter.count_example(value, Format.CHAT) == ExampleTokens(
        total=3 + 5 + 6, assistant=6, messages=2
    )


def test_name_costs_one_more_token(counter: TokenCounter) -> None:
    # user message with name "bob": 3 + user 1 + hi 1 + bob 1 + 1 for having a name
    value = chat(
        {"role": "user", "content": "hi", "name": "bob"},
        {"role": "assistant", "content": "hi"},
    )
    assert counter.count_example(value, Format.CHAT).total == 3 + 7 + 5


def test_other_string_values_count(counter: TokenCounter) -> None:
    # tool message: 3 + tool 1 + Paris 1 + call_1 3
    value = chat(
        {"role": "tool", "content": "Paris", "tool_call_id": "call_1"},
        {"role": "assistant", "content": "Paris"},
    )
    assert counter.count_example(value, Format.CHAT).total == 3 + 8 + 5


def test_content_parts_count_their_text(counter: TokenCounter) -> None:
    parts = [
        {"type": "text", "text": "Hello world"},
        {"type": "image_url", "image_url": {"url": "https://example.com/x.png"}},
        {"type": "text", "text": "hi"},
    ]
    value = chat(
        {"role": "user", "content": parts}, {"role": "assistant", "content": "hi"}
    )
    # user: 3 + 1 + (2 + 1) + an image of unknown size (765); assistant 5; reply 3
    result = counter.count_example(value, Format.CHAT)
    assert result.total == 3 + 7 + 765 + 5
    assert (result.estimated, result.unknown_images) == (True, 1)


def test_tools_count_by_the_cookbook_method(counter: TokenCounter) -> None:
    call = {
        "id": "c1",
        "type": "function",
        "function": {"name": "f", "arguments": "{}"},
    }
    tools = [{"type": "function", "function": {"name": "f", "description": "Do it."}}]
    value = chat(
        {"role": "user", "content": "hi"},
        {"role": "assistant", "tool_calls": [call], "content": None},
        tools=tools,
    )
    # tools: func_init 7 + "f:Do it" + func_end 12; call: 3 + "f" + "{}"
    tool_tokens = 7 + counter.count_text("f:Do it") + 12
    call_tokens = 3 + counter.count_text("f") + counter.count_text("{}")
    assistant = 3 + 1 + call_tokens
    result = counter.count_example(value, Format.CHAT)
    assert result.total == 3 + 5 + assistant + tool_tokens
    assert result.assistant == assistant
    assert result.estimated


def test_assistant_tokens_skip_weight_zero(counter: TokenCounter) -> None:
    value = chat(
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hi", "weight": 0},
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "Hello world", "weight": 1},
    )
    result = counter.count_example(value, Format.CHAT)
    assert result.assistant == 6
    assert result.messages == 4


def test_special_token_text_is_counted_as_text(counter: TokenCounter) -> None:
    assert counter.count_text("<|endoftext|>") == 7


def test_completion_counts_prompt_and_completion(counter: TokenCounter) -> None:
    value = {"prompt": "Hello world", "completion": "hi"}
    assert counter.count_example(value, Format.COMPLETION) == ExampleTokens(3, 1, 0)


def test_preference_counts_input_and_both_outputs(counter: TokenCounter) -> None:
    value = {
        "input": {"messages": [{"role": "user", "content": "hi"}]},
        "preferred_output": [{"role": "assistant", "content": "Hello world"}],
        "non_preferred_completion": [{"role": "assistant", "content": "hi"}],
    }
    # input 5 + preferred 6 + non-preferred 5 + reply 3
    assert counter.count_example(value, Format.PREFERENCE) == ExampleTokens(19, 11, 3)


@pytest.mark.parametrize(
    "value",
    [None, [], "text", {"messages": "no"}, {"messages": [1, None, {"role": 5}]}],
)
def test_odd_values_never_raise(counter: TokenCounter, value: object) -> None:
    for fmt in (Format.CHAT, Format.PREFERENCE, Format.COMPLETION):
        assert counter.count_example(value, fmt).total >= 0


def test_repeated_text_is_counted_once(counter: TokenCounter) -> None:
    prompt = "You are a helpful assistant. " * 20
    first = counter.count_text(prompt)
    assert counter.count_text(prompt) == first
    assert counter._cache[prompt] == first


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o-mini", "o200k_base"),
        ("gpt-4o-2024-08-06", "o200k_base"),
        ("gpt-4.1-nano", "o200k_base"),
        ("o4-mini", "o200k_base"),
        ("gpt-3.5-turbo-0125", "cl100k_base"),
        ("gpt-4-0613", "cl100k_base"),
        ("babbage-002", "cl100k_base"),
        ("davinci-002", "cl100k_base"),
        ("ft:gpt-3.5-turbo-0125:acme::abc123", "cl100k_base"),
        ("ft:gpt-4o-mini-2024-07-18:acme:run:xyz", "o200k_base"),
    ],
)
def test_counter_for_model_picks_the_tokenizer(model: str, encoding: str) -> None:
    assert counter_for_model(model).encoding_name == encoding


def test_lone_surrogates_from_json_escapes_are_counted(counter: TokenCounter) -> None:
    assert counter.count_text("\ud800 hi") > 0
    value = {
        "messages": [
            {"role": "user", "content": "\udc00"},
            {"role": "assistant", "content": "x"},
        ]
    }
    assert counter.count_example(value, Format.CHAT).total > 3
