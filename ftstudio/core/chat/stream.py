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


class _Stopper:
    """Shuts the current stream's socket from a helper thread when cancelled.

    The lock makes "finished" and "shut" exclusive: once the reply is over the
    socket may go back to the connection pool, and must never be shut then.
    """

    def __init__(self, cancel: CancelToken) -> None:
        self._cancel = cancel
        self._lock = threading.Lock()
        self._stream: Any = None
        self._done = False
        self._thread = threading.Thread(target=self._run, name="chat stop", daemon=True)
        self._thread.start()

    def attach(self, stream: Any) -> None:
        """Watch ``stream``; raise :class:`Cancelled` if the stop came before it."""
        with self._lock:
            self._stream = stream
        if self._cancel.cancelled:
            stream.close()
            raise Cancelled

    def finish(self) -> None:
        """Mark the reply over: nothing is shut from now on."""
        with self._lock:
            self._done = True

    def _run(self) -> None:
        while True:
            cancelled = self._cancel.wait(WATCH_SECONDS)
            with self._lock:
                if self._done:
                    return
                if cancelled:
                    if self._stream is not None:
                        try:
                            _shut(self._stream)
                        except OSError:  # already closed by the reading thread
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
        stopper.attach(stream)
        chunks = iter(stream)
        try:
            # the wait for the first token can be long: the stopper covers it too
            first = next(chunks, None)
        except Exception as exc:
            stream.close()
            if cancel.cancelled:
                raise Cancelled from exc  # not a network problem to retry
            raise
        return stream, chunks, first

    stopper = _Stopper(cancel)
    stream: Any = None
    pieces: list[str] = []
    usage: Usage | None = None
    finish = ""
    try:
        stream, chunks, chunk = yield from with_retries(open_stream, cancel)
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
        stopper.finish()
        if stream is not None:
            stream.close()
    cancel.check()
    return Reply("".join(pieces), usage, finish or "stop", side)
