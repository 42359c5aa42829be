"""Fault injection: refused, failed, slow and dropped requests, on purpose.

The studio must survive a flaky service (429 with Retry-After, 500/503, slow
answers, connections that break after the server did the work). The sandbox can
play that service. Draws come from one seeded generator so tests are repeatable.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ftstudio.sandbox.errors import ApiError

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FaultConfig:
    """How often and how the sandbox misbehaves (shares are 0..1 per request).

    Parameters
    ----------
    rate_limit
        Share of requests answered 429 with a ``Retry-After`` header.
    server_error
        Share answered 500.
    unavailable
        Share answered 503.
    drop
        Share processed in full whose connection is then cut, so the client never
        sees the answer (a retry then repeats work the server already did).
    latency
        Seconds added before every request is handled.
    retry_after
        Seconds the 429 answers ask the client to wait.
    seed
        Seed of the draws; the same seed gives the same faults in the same order.
    """

    rate_limit: float = 0.0
    server_error: float = 0.0
    unavailable: float = 0.0
    drop: float = 0.0
    latency: float = 0.0
    retry_after: float = 1.0
    seed: int | None = None

    def __post_init__(self) -> None:
        shares = (self.rate_limit, self.server_error, self.unavailable, self.drop)
        if any(not 0.0 <= s <= 1.0 for s in shares) or sum(shares) > 1.0:
            msg = "Fault shares must each be between 0 and 1 and add up to at most 1."
            raise ValueError(msg)
        if self.latency < 0 or self.retry_after < 0:
            msg = "Latency and Retry-After must not be negative."
            raise ValueError(msg)

    @property
    def active(self) -> bool:
        """Whether any fault is configured."""
        return bool(
            self.rate_limit
            or self.server_error
            or self.unavailable
            or self.drop
            or self.latency
        )


def _fault_error(kind: str, retry_after: float) -> ApiError:
    if kind == "429":
        return ApiError(
            429,
            "Rate limit reached for requests (sandbox fault injection). Please try again shortly.",
            code="rate_limit_exceeded",
            err_type="requests",
            headers={
                "retry-after": f"{retry_after:g}",
                "retry-after-ms": f"{retry_after * 1000:.0f}",
            },
        )
    if kind == "503":
        return ApiError(
            503,
            "The server is overloaded or not ready yet (sandbox fault injection).",
            err_type="server_error",
        )
    return ApiError(
        500,
        "The server had an error while processing your request (sandbox fault injection).",
        err_type="server_error",
    )


class FaultMiddleware:
    """ASGI middleware that injects the faults of a :class:`FaultConfig`."""

    def __init__(self, app: ASGIApp, config: FaultConfig) -> None:
        self.app = app
        self.config = config
        self._rng = random.Random(config.seed)
        self._lock = threading.Lock()
        self.injected: dict[str, int] = {"429": 0, "500": 0, "503": 0, "drop": 0}

    def _draw(self) -> str | None:
        cfg = self.config
        with self._lock:
            r = self._rng.random()
        for kind, share in (
            ("429", cfg.rate_limit),
            ("500", cfg.server_error),
            ("503", cfg.unavailable),
            ("drop", cfg.drop),
        ):
            if r < share:
                self.injected[kind] += 1
                return kind
            r -= share
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.config.latency:
            await asyncio.sleep(self.config.latency)
        kind = self._draw()
        if kind is None:
            await self.app(scope, receive, send)
        elif kind == "drop":
            await self._process_then_drop(scope, receive, send)
        else:
            await _fault_error(kind, self.config.retry_after).response()(
                scope, receive, send
            )

    async def _process_then_drop(
        self, scope: Scope, receive: Receive, send: Send
    ) -> None:
        async def swallow(message: Message) -> None:
            del message  # the work is done; the answer is thrown away

        await self.app(scope, receive, swallow)
        # uvicorn's ``send`` is a bound method of the request cycle, which holds
        # the socket's transport; aborting it resets the connection without a byte
        # of the answer. Marking the cycle disconnected stops uvicorn from writing
        # its own "500: returned without a response" afterwards.
        cycle = getattr(send, "__self__", None)
        transport = getattr(cycle, "transport", None)
        if transport is None:  # another server: fall back to an error answer
            log.warning("cannot drop the connection on this server; answering 500")
            await _fault_error("500", 0).response()(scope, receive, send)
            return
        transport.abort()
        cycle.disconnected = True  # type: ignore[union-attr]
