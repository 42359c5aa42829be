"""Retry an API call with backoff, honouring ``Retry-After``, cancellable at once."""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

from ftstudio.core.api.errors import retry_after_seconds, to_ft_error
from ftstudio.core.cancel import NEVER, Cancelled, CancelToken
from ftstudio.core.errors import FtError
from ftstudio.core.progress import Notice, run_to_end

T = TypeVar("T")
Y = TypeVar("Y")

MAX_ATTEMPTS = 6
BASE_DELAY = 0.5
MAX_DELAY = 30.0


@dataclass(frozen=True)
class RetryNotice(Notice):
    """Yielded before waiting to try again: what the status bar shows."""

    attempt: int
    max_attempts: int
    delay: float
    error: FtError

    @property
    def text(self) -> str:
        """Return e.g. "The service is busy… Trying again in 2 s (attempt 2 of 6)"."""
        return (
            f"{self.error.message} Trying again in {self.delay:.0f} s "
            f"(attempt {self.attempt + 1} of {self.max_attempts})."
        )


def backoff_delay(
    attempt: int, retry_after: float | None, rng: random.Random | None = None
) -> float:
    """Return how long to wait before attempt ``attempt + 1`` (attempt counts from 1)."""
    if retry_after is not None:
        return min(max(retry_after, 0.0), MAX_DELAY * 2)
    jitter: float = (rng or random).uniform(0.8, 1.2)
    exponential = BASE_DELAY * 2.0 ** (attempt - 1)
    return min(MAX_DELAY, exponential) * jitter


def with_retries(
    call: Callable[[], T],
    cancel: CancelToken = NEVER,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    before_retry: Callable[[], T | None] | None = None,
) -> Generator[RetryNotice, None, T]:
    """Run ``call``; on a retryable error yield a :class:`RetryNotice`, wait, try again.

    ``before_retry`` runs before ``call`` is repeated; if it returns a value, that
    is the result (it finds a job whose creation answer was lost, so a retry never
    creates a second paid job). A failing ``before_retry`` is itself retried:
    ``call`` is never repeated until the look-up has answered "not there".
    Raises :class:`FtError` when attempts run out or the error is not retryable,
    and :class:`Cancelled` at once when cancelled while waiting.
    """

    def once() -> Generator[RetryNotice, None, T]:
        return call()
        yield  # pragma: no cover - makes this a generator that yields nothing

    return (
        yield from retrying(
            once, cancel, max_attempts=max_attempts, before_retry=before_retry
        )
    )


def retrying(
    attempt_gen: Callable[[], Generator[Y, None, T]],
    cancel: CancelToken = NEVER,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    before_retry: Callable[[], T | None] | None = None,
) -> Generator[Y | RetryNotice, None, T]:
    """Like :func:`with_retries` for an attempt that yields progress as it goes."""
    attempt = 1
    must_look_first = False
    while True:
        cancel.check()
        try:
            if must_look_first and before_retry is not None:
                found = before_retry()
                if found is not None:
                    return found
            must_look_first = False
            return (yield from attempt_gen())
        except Cancelled:
            raise
        except Exception as exc:
            error = to_ft_error(exc)
            if not error.retryable or attempt >= max_attempts:
                raise error from exc
            delay = backoff_delay(attempt, retry_after_seconds(exc))
            must_look_first = True
        yield RetryNotice(attempt, max_attempts, delay, error)
        if cancel.wait(delay):
            raise Cancelled
        attempt += 1


__all__ = [
    "Cancelled",
    "RetryNotice",
    "backoff_delay",
    "retrying",
    "run_to_end",
    "with_retries",
]
