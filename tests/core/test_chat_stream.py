"""Streaming chat through the real SDK against the sandbox: pieces, usage, stop, retry."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from ftstudio.core.api.retry import RetryNotice
from ftstudio.core.cancel import Cancelled, CancelToken
from ftstudio.core.chat.stream import ChatSettings, Delta, Reply, stream_chat
from ftstudio.core.errors import FtError
from ftstudio.sandbox.server import SandboxServer
from tests.core.chat_sandbox import BASE, KEY

ASK = [{"role": "user", "content": "Tell me about topic number 3 please"}]


def drive(gen: Any) -> tuple[list[Any], Any]:
    items = []
    while True:
        try:
            items.append(next(gen))
        except StopIteration as stop:
            return items, stop.value


def test_fine_tuned_reply_streams_in_pieces_with_usage(
    chat_client: Any, tuned_model: str
) -> None:
    items, reply = drive(
        stream_chat(chat_client, tuned_model, ASK, ChatSettings(0.2, 100, 1.0))
    )
    assert isinstance(reply, Reply)
    assert reply.text == "Arr, 3 it be, matey!"
    assert len(items) > 3  # arrived piece by piece, not in one block
    assert "".join(d.text for d in items if isinstance(d, Delta)) == reply.text
    assert reply.usage is not None
    assert reply.usage.completion_tokens == len(items)
    assert reply.usage.prompt_tokens > 0
    assert reply.finish_reason == "stop"


def test_max_tokens_cuts_the_reply(chat_client: Any) -> None:
    _, reply = drive(stream_chat(chat_client, BASE, ASK, ChatSettings(max_tokens=4)))
    assert reply.finish_reason == "length"
    assert reply.usage.completion_tokens == 4


def test_stop_mid_way_closes_the_stream_at_once(tmp_path: Path) -> None:
    # A slow sandbox (about 0.6 s a token) so a stop lands while a read is blocked.
    slow = SandboxServer(tmp_path / "slow", api_key=KEY, speed=0.05)
    slow.start()
    c = openai.OpenAI(base_url=slow.base_url, api_key=KEY, max_retries=0, timeout=10)
    try:
        cancel = CancelToken()
        gen = stream_chat(c, BASE, ASK, cancel=cancel)
        first = next(gen)  # the first piece of text
        assert isinstance(first, Delta)
        threading.Timer(0.1, cancel.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            drive(gen)
        assert time.monotonic() - started < 0.5  # not the next token's 0.6 s
        deadline = time.monotonic() + 3
        while slow.sandbox.streams_aborted == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert slow.sandbox.streams_aborted == 1  # the service stopped writing too
    finally:
        c.close()
        slow.stop()


def test_stop_before_any_text_arrives(tmp_path: Path) -> None:
    slow = SandboxServer(tmp_path / "slow", api_key=KEY, speed=0.05)
    slow.start()
    c = openai.OpenAI(base_url=slow.base_url, api_key=KEY, max_retries=0, timeout=10)
    try:
        cancel = CancelToken()
        threading.Timer(0.1, cancel.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            drive(stream_chat(c, BASE, ASK, cancel=cancel))  # nothing yielded
        assert time.monotonic() - started < 0.5
        # the connection pool still works for the next reply
        fast_items, reply = drive(stream_chat(c, BASE, ASK, ChatSettings(max_tokens=1)))
        assert len(fast_items) == 1
        assert reply.finish_reason == "length"
    finally:
        c.close()
        slow.stop()


def test_unknown_model_is_a_plain_error(chat_client: Any) -> None:
    with pytest.raises(FtError) as info:
        drive(stream_chat(chat_client, "ft:gpt-4o-mini:sandbox:nope:12345678", ASK))
    assert info.value.kind == "not_found"


def test_busy_service_is_retried_before_the_first_token(
    closing: Any,
) -> None:
    calls = 0
    body = (
        b'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",'
        b'"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n'
        b'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",'
        b'"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'
        b"data: [DONE]\n\n"
    )

    def handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return httpx2.Response(
                429,
                headers={"retry-after-ms": "10"},
                json={"error": {"message": "busy"}},
            )
        return httpx2.Response(
            200, headers={"content-type": "text/event-stream"}, content=body
        )

    c = openai.OpenAI(
        api_key=KEY,
        base_url="http://127.0.0.1:9/v1",
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )
    closing(c)
    items, reply = drive(stream_chat(c, BASE, ASK))
    assert isinstance(items[0], RetryNotice)
    assert "busy" in items[0].text
    assert reply.text == "Hi"
    assert reply.usage is None  # this service sent no usage: shown as unknown
    assert calls == 2


def test_model_choices_group_base_tuned_and_checkpoints(
    chat_client: Any, tuned_model: str
) -> None:
    from ftstudio.core.chat.models import available_models

    _, choices = drive(available_models(chat_client))
    assert BASE in choices.base
    assert not any(n.startswith("ft:") for n in choices.base)
    assert choices.tuned == (tuned_model,)
    assert choices.checkpoints  # the job's intermediate checkpoints
    assert all(":ckpt-step-" in n for n in choices.checkpoints)
