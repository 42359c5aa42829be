"""Keeping the service answering under abuse: idle connections time out, logs are rate-limited.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive``, but
not a connection that never sends a request: 1,100 of those used to hold the
service's concurrency and stop it answering. Its per-connection log lines then
wrote megabytes a second.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

IDLE_SECONDS = 5.0
CONNECTION_LIMIT = 1000


class IdleTimeoutProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with the keep-alive timer running from the start."""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        # Cancelled by uvicorn as soon as the first bytes of a request arrive.
        self.timeout_keep_alive_task = self.loop.call_later(
            IDLE_SECONDS, self.timeout_keep_alive_handler
        )


class RateLimit(logging.Filter):
    """Let at most ``burst`` records through per ``window`` seconds, then say how many were dropped."""

    def __init__(self, burst: int = 20, window: float = 10.0) -> None:
        super().__init__()
        self.burst = burst
        self.window = window
        self._start = 0.0
        self._count = 0
        self._dropped = 0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            now = time.monotonic()
            if now - self._start >= self.window:
                if self._dropped:
                    record.msg = (
                        f"({self._dropped} similar messages were left out) {record.msg}"
                    )
                self._start, self._count, self._dropped = now, 0, 0
            self._count += 1
            if self._count > self.burst:
                self._dropped += 1
                return False
            return True


_FILTER = RateLimit()


def limit_logs() -> None:
    """Rate-limit the service's and uvicorn's error logs (idempotent)."""
    for name in ("uvicorn.error", "ftstudio.sandbox.app"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
