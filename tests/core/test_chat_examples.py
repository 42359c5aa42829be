"""Conversations saved and reopened, and turned into chat and preference examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftstudio.core.chat.conversation import Conversation
from ftstudio.core.chat.stream import ChatSettings
from ftstudio.core.chat.to_example import chat_example, preference_example
from ftstudio.core.errors import FtError
from ftstudio.core.validation.rules import check_preference


def compared() -> Conversation:
    conv = Conversation(
        models=["gpt-4o-mini", "ft:gpt-4o-mini:o::abc"], system="Be brief."
    )
    conv.ask("Hi")
    conv.set_reply(0, "Hello! How can I help you today?")
    conv.set_reply(1, "Arr!")
    conv.ask("Weather?")
    conv.set_reply(0, "I cannot check the weather.")
    conv.set_reply(1, "Stormy seas, matey.")
    return conv


def test_each_model_sees_its_own_replies_and_the_new_question() -> None:
    conv = compared()
    conv.ask("Bye")
    assert conv.messages(1) == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Arr!"},
        {"role": "user", "content": "Weather?"},
        {"role": "assistant", "content": "Stormy seas, matey."},
        {"role": "user", "content": "Bye"},
    ]


def test_chat_example_uses_the_edited_reply() -> None:
    conv = Conversation(models=["gpt-4o-mini"])
    conv.ask("Capital of France?")
    conv.set_reply(0, "It is Paris, I believe.")
    conv.set_reply(0, "Paris.")  # the user edited the reply
    assert chat_example(conv) == {
        "messages": [
            {"role": "user", "content": "Capital of France?"},
            {"role": "assistant", "content": "Paris."},
        ]
    }


def test_chat_example_needs_a_reply() -> None:
    conv = Conversation()
    conv.ask("Hello?")
    with pytest.raises(FtError, match="no reply to add yet"):
        chat_example(conv)


def test_preference_example_in_openai_format_passes_the_validator() -> None:
    example = preference_example(compared(), chosen=1)
    assert example == {
        "input": {
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Arr!"},
                {"role": "user", "content": "Weather?"},
            ]
        },
        "preferred_output": [{"role": "assistant", "content": "Stormy seas, matey."}],
        "non_preferred_output": [
            {"role": "assistant", "content": "I cannot check the weather."}
        ],
    }
    assert check_preference(example) == []


def test_preference_needs_two_different_replies() -> None:
    conv = compared()
    conv.set_reply(1, "I cannot check the weather.")
    with pytest.raises(FtError, match="the same"):
        preference_example(conv, 0)
    with pytest.raises(FtError, match="two models"):
        preference_example(Conversation(), 0)


def test_conversation_round_trips_through_a_file(tmp_path: Path) -> None:
    conv = compared()
    conv.settings = ChatSettings(temperature=0.3, max_tokens=200, top_p=0.9)
    path = tmp_path / "chat.json"
    conv.save(path)
    again = Conversation.open(path)
    assert again == conv


def test_opening_something_else_says_so(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"messages": []}', encoding="utf-8")
    with pytest.raises(FtError, match="not a conversation saved by ftstudio"):
        Conversation.open(path)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(FtError, match="not a conversation file"):
        Conversation.open(path)
