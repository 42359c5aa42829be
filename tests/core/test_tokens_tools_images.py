"""Tool definitions and images counted by OpenAI's published methods."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest

from ftstudio.core.dataset.formats import Format
from ftstudio.core.tokens.counting import counter_for_encoding
from ftstudio.core.tokens.images import (
    data_url_size,
    image_size,
    image_tokens,
    tile_tokens,
)

# The cookbook's example ("How to count tokens with tiktoken", section 7): OpenAI's
# API counted 101 prompt tokens with gpt-4o and gpt-4o-mini, 105 with gpt-3.5-turbo
# and gpt-4.
COOKBOOK_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Get the current weather in a given location",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {
                        "type": "string",
                        "description": "The city and state, e.g. San Francisco, CA",
                    },
                    "unit": {
                        "type": "string",
                        "description": "The unit of temperature to return",
                        "enum": ["celsius", "fahrenheit"],
                    },
                },
                "required": ["location"],
            },
        },
    }
]
COOKBOOK_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful assistant that can answer to questions about the weather.",
    },
    {"role": "user", "content": "What's the weather like in San Francisco?"},
]


@pytest.mark.parametrize(
    ("encoding", "api_count"), [("o200k_base", 101), ("cl100k_base", 105)]
)
def test_the_cookbook_tool_example_matches_openais_count(
    encoding: str, api_count: int
) -> None:
    counter = counter_for_encoding(encoding)
    value = {"messages": COOKBOOK_MESSAGES, "tools": COOKBOOK_TOOLS}
    result = counter.count_example(value, Format.CHAT)
    assert result.total == api_count
    assert result.estimated  # tools are always flagged


def test_nested_parameters_are_counted_and_not_exact() -> None:
    counter = counter_for_encoding("o200k_base")
    flat = [
        {
            "type": "function",
            "function": {
                "name": "f",
                "parameters": {
                    "type": "object",
                    "properties": {"a": {"type": "string"}},
                },
            },
        }
    ]
    nested = [
        {
            "type": "function",
            "function": {
                "name": "f",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "a": {"type": "object", "properties": {"b": {"type": "string"}}}
                    },
                },
            },
        }
    ]
    flat_n, flat_exact = counter.count_tools(flat)
    nested_n, nested_exact = counter.count_tools(nested)
    assert flat_exact
    assert not nested_exact
    assert nested_n > flat_n


def test_malformed_tools_never_raise() -> None:
    counter = counter_for_encoding("o200k_base")
    for tools in (
        "x",
        [1],
        [{"type": "function", "function": {"name": 3}}],
        [{"function": None}],
    ):
        n, exact = counter.count_tools(tools)
        assert n >= 0
        assert not exact or tools == [{"type": "function", "function": {"name": 3}}]


@pytest.mark.parametrize(
    ("size", "tokens"),
    [
        ((1024, 1024), 765),  # OpenAI's worked example
        ((2048, 4096), 1105),  # OpenAI's worked example: 6 tiles
        ((512, 512), 255),
        ((100, 100), 255),
        ((4096, 8192), 1105),
    ],
)
def test_high_detail_tiles(size: tuple[int, int], tokens: int) -> None:
    assert tile_tokens(*size) == tokens


def _png(w: int, h: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def _jpeg(w: int, h: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


@pytest.mark.parametrize(
    "data",
    [
        _png(640, 480),
        _jpeg(640, 480),
        b"GIF89a" + struct.pack("<HH", 640, 480) + b"\x00" * 8,
        b"RIFF\x00\x00\x00\x00WEBPVP8X"
        + b"\x00" * 8
        + (639).to_bytes(3, "little")
        + (479).to_bytes(3, "little"),
    ],
)
def test_image_sizes_are_read_from_headers(data: bytes) -> None:
    assert image_size(data) == (640, 480)
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    assert data_url_size(url) == (640, 480)


def test_image_tokens_by_detail() -> None:
    url = "data:image/png;base64," + base64.b64encode(_png(2048, 4096)).decode()
    assert image_tokens(url, "high") == (1105, True)
    assert image_tokens(url, "low") == (85, True)
    assert image_tokens(url, "auto") == (1105, False)  # the model picks: an estimate
    assert image_tokens("https://example.com/x.png", "high") == (765, False)
    assert image_tokens("data:image/png;base64,!!!!", "high") == (765, False)


def test_images_count_in_examples() -> None:
    counter = counter_for_encoding("o200k_base")
    url = "data:image/png;base64," + base64.b64encode(_png(512, 512)).decode()
    parts = [{"type": "image_url", "image_url": {"url": url, "detail": "high"}}]
    value = {
        "messages": [
            {"role": "user", "content": parts},
            {"role": "assistant", "content": "A cat."},
        ]
    }
    result = counter.count_example(value, Format.CHAT)
    text_only = counter.count_example(
        {
            "messages": [
                {"role": "user", "content": []},
                {"role": "assistant", "content": "A cat."},
            ]
        },
        Format.CHAT,
    )
    assert result.total - text_only.total == 255
    assert not result.estimated
