"""Stream one chat reply through the SDK: text pieces as they come, stoppable at once."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.errors import to_ft_error
from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.cancel import NEVER, Cancelled, CancelToken

if TYPE_CHECKING:
    import openai

log = logging.getLogger(__name__)

WATCH_SECONDS = 0.05
"""How often the stop watcher looks at the cancel token while a reply streams."""


@dataclass(frozen=True)
class ChatSettings:
    """The sampling settings a user picks (None leaves the service's default)."""

    temperature: float | None = None
    max_tokens: int | None = None
    top_p: float | None = None

    def request_options(self) -> dict[str, Any]:
        """Return the keyword arguments for ``chat.completions.create``."""
        options: dict[str, Any] = {}
        if self.temperature is not None:
            options["temperature"] = self.temperature
        if self.max_tokens is not None:
            options["max_completion_tokens"] = self.max_tokens
        if self.top_p is not None:
            options["top_p"] = self.top_p
        return options


@dataclass(frozen=True)
class Delta:
    """A piece of reply text; ``side`` says which of two compared models wrote it."""

    text: str
    side: int = 0


@dataclass(frozen=True)
class Usage:
    """Tokens one reply cost."""

    prompt_tokens: int
    completion_tokens: int

    @property
    def total_tokens(self) -> int:
        """Prompt plus reply tokens."""
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class Reply:
    """A finished reply: its text, token usage (if the service sent it), why it ended."""

    text: str
    usage: Usage | None
    finish_reason: str
    side: int = 0


def _shut(stream: Any) -> None:
    """Shut the stream's socket: this wakes a read blocked in another thread.

    Closing the response object does not (it waits for that read), so without
    this "Stop" would wait for the model's next token, which may be seconds.
    """
    network = stream.response.extensions.get("network_stream")
    sock = network.get_extra_info("socket") if network is not None else None
    if isinstance(sock, socket.socket):
        sock.shutdown(socket.SHUT_RDWR)


def _watch(cancel: CancelToken, done: threading.Event, stream: Any) -> None:
    while not done.is_set():
        if cancel.wait(WATCH_SECONDS):
            if not done.is_set():
                try:
                    _shut(stream)
                except Exception:  # already closed by the reading thread
                    log.debug("shutting a stopped stream failed", exc_info=True)
            return


def stream_chat(
    client: openai.OpenAI,
    model: str,
    messages: list[dict[str, Any]],
    settings: ChatSettings | None = None,
    cancel: CancelToken = NEVER,
    *,
    side: int = 0,
) -> Generator[Delta | RetryNotice, None, Reply]:
    """Stream ``model``'s reply to ``messages``, yielding each :class:`Delta`.

    Busy or unreachable services are retried (each retry yields a
    :class:`RetryNotice`) until the first piece of text arrives; after that an
    error ends the reply, since trying again would repeat what was shown.
    Cancelling ``cancel`` closes the stream at once and raises :class:`Cancelled`.

    Returns
    -------
    Reply
        The whole text, the token usage and the finish reason.
    """
    options = (settings or ChatSettings()).request_options()

    def open_stream() -> tuple[Any, Iterator[Any], Any]:
        # Any: the SDK's overloads cannot see that ``options`` holds only numbers.
        create: Any = client.chat.completions.create
        stream = create(
            model=model,
            messages=messages,
            stream=True,
            stream_options={"include_usage": True},
            **options,
        )
        chunks = iter(stream)
        try:
            first = next(chunks, None)
        except BaseException:
            stream.close()
            raise
        return stream, chunks, first

    stream, chunks, chunk = yield from with_retries(open_stream, cancel)
    done = threading.Event()
    watcher = threading.Thread(
        target=_watch, args=(cancel, done, stream), name="chat stop", daemon=True
    )
    watcher.start()
    pieces: list[str] = []
    usage: Usage | None = None
    finish = ""
    try:
        while chunk is not None:
            cancel.check()
            if chunk.usage is not None:
                usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
            for choice in chunk.choices:
                if choice.index != 0:
                    continue
                if choice.finish_reason:
                    finish = choice.finish_reason
                text = choice.delta.content if choice.delta else None
                if text:
                    pieces.append(text)
                    yield Delta(text, side)
            chunk = next(chunks, None)
    except Cancelled:
        raise
    except Exception as exc:
        if cancel.cancelled:
            raise Cancelled from exc
        raise to_ft_error(exc) from exc
    finally:
        done.set()
        stream.close()
    cancel.check()
    return Reply("".join(pieces), usage, finish or "stop", side)
