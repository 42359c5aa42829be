"""The fast text counter gives exactly tiktoken's counts, and falls back to it."""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftstudio.core.dataset.formats import Format
from ftstudio.core.errors import FtError
from ftstudio.core.tokens import fastcount
from ftstudio.core.tokens.counting import TokenCounter
from ftstudio.core.tokens.encodings import get_encoding
from ftstudio.core.tokens.fastcount import counter_kind, ordinary_counter

ENCODINGS = ("o200k_base", "cl100k_base")

# text that looks like what tokenizers find hard: special-token markers,
# contractions, digits, whitespace runs, mixed scripts, emoji
_PIECES = st.sampled_from(
    [
        "<|endoftext|>",
        "<|endofprompt|>",
        "<|fim_prefix|>",
        "<|im_start|>",
        "'s",
        "'LL",
        "n't",
        "  ",
        "\n\n",
        "\r\n",
        "\t",
        " 12345",
        "😀",
        "👩‍👩‍👧",
        "日本語",
        "Ñandú",
        "مرحبا",
        "\u200b",
        "sk-test-not-a-real-key",
    ]
)
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8")),
    st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30).map("".join),
)


@pytest.mark.parametrize("name", ENCODINGS)
def test_rs_bpe_is_used_when_installed(name: str) -> None:
    pytest.importorskip("rs_bpe")
    assert counter_kind(name) == "rs-bpe"


@pytest.mark.parametrize("name", ENCODINGS)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_counts_equal_tiktoken_encode_ordinary(name: str, text: str) -> None:
    expected = len(get_encoding(name).encode_ordinary(text))
    assert ordinary_counter(name)(text) == expected
    assert TokenCounter(name).count_ordinary(text) == expected


@pytest.mark.parametrize("name", ENCODINGS)
def test_special_token_text_counts_as_plain_text(name: str) -> None:
    text = "Stop here <|endoftext|> and <|endofprompt|> go on"
    expected = len(get_encoding(name).encode_ordinary(text))
    assert expected > 2  # the markers were split into ordinary tokens
    assert ordinary_counter(name)(text) == expected


def test_lone_surrogates_are_replaced_then_counted() -> None:
    # JSON may hold "\ud800"; tiktoken's wrapper replaces it, and so does ours
    counter = TokenCounter("o200k_base")
    assert counter.count_ordinary("a\ud800b") == counter.count_ordinary("a\ufffdb")
    assert counter.count_text("x\udfffy") == len(counter.encode_ordinary("x\ufffdy"))


def test_fallback_without_rs_bpe_gives_the_same_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fastcount, "_loaded", {})
    monkeypatch.setitem(sys.modules, "rs_bpe", None)  # import fails as if missing
    monkeypatch.setitem(sys.modules, "rs_bpe.bpe", None)
    assert counter_kind("o200k_base") == "tiktoken"
    counter = TokenCounter("o200k_base")
    value = {
        "messages": [
            {"role": "user", "content": "What is <|endoftext|>?"},
            {"role": "assistant", "content": "A marker, counted as text here."},
        ]
    }
    monkeypatch.undo()
    assert counter.count_example(value, Format.CHAT) == TokenCounter(
        "o200k_base"
    ).count_example(value, Format.CHAT)


def test_a_broken_rs_bpe_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("rs_bpe")
    from rs_bpe.bpe import openai

    def broken() -> None:
        raise RuntimeError("bad build")

    monkeypatch.setattr(fastcount, "_loaded", {})
    monkeypatch.setattr(openai, "cl100k_base", broken, raising=False)
    assert counter_kind("cl100k_base") == "tiktoken"
    assert ordinary_counter("cl100k_base")("hello world") == 2


def test_unknown_encoding_is_a_clear_error() -> None:
    with pytest.raises(FtError, match="Unknown tokenizer"):
        ordinary_counter("p50k_base")
