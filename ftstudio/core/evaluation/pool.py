"""Run many small API calls with a bounded number in flight, yielding as they finish."""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

from ftstudio.core.cancel import Cancelled, CancelToken
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.progress import Notice

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")
Y = TypeVar("Y")
POLL_SECONDS = 0.05

Notify = Callable[[Notice], None]
"""Passes a :class:`Notice` (a retry) from a pool thread on to the run's caller."""
Work = Callable[[T, CancelToken, Notify], R]
"""``work(item, cancel, notify)``: returns a result or raises :class:`FtError`
to stop everything; ``notify`` passes a notice on."""


def _run_one(
    work: Work[T, R], item: T, cancel: CancelToken, out: queue.Queue[Any]
) -> None:
    if cancel.cancelled:
        return
    try:
        result = work(item, cancel, out.put)
    except Cancelled:
        return
    except FtError as exc:
        out.put(exc)
        return
    except Exception as exc:  # a bug must stop the run, not leave it waiting forever
        log.exception("evaluation work failed")
        out.put(
            FtError(
                ErrorKind.INTERNAL,
                "The evaluation stopped on an unexpected problem.",
                repr(exc),
            )
        )
        return
    out.put(_Done(result))


class _Done:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def bounded(
    work: Work[T, R],
    items: Sequence[T],
    cancel: CancelToken,
    concurrency: int,
    took: Callable[[R], Iterable[Y]],
) -> Generator[Y | Notice, None, None]:
    """Run ``work`` on every item, at most ``concurrency`` at once.

    Each result is handed to ``took`` (on the caller's thread, in the order the
    results finish), and what ``took`` returns is yielded (the result itself,
    progress); notices from the pool threads are yielded as they come. The
    first :class:`FtError` stops the run (raised here) after the requests
    already on the wire have finished, so none outlives the run and uses a
    client its caller is about to close. A cancel stops at once.
    """
    if not items:
        return
    inner = CancelToken()  # stops the pool's retries when the run ends early
    out: queue.Queue[Any] = queue.Queue()
    pool = ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="eval")
    futures: list[Future[None]] = []
    stopped = False
    done = 0
    try:
        for item in items:
            futures.append(pool.submit(_run_one, work, item, inner, out))
        while done < len(items):
            cancel.check()
            try:
                got = out.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            if isinstance(got, FtError):
                raise got
            if isinstance(got, Notice):
                yield got
                continue
            done += 1
            yield from took(got.value)
    except (Cancelled, GeneratorExit):
        stopped = True
        raise
    finally:
        inner.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        if not stopped:
            # (a future cancelled in the queue never counts as done for wait())
            wait([f for f in futures if not f.cancelled()])
        # after Cancel they finish on their own and are dropped: waiting would
        # make Cancel as slow as the slowest reply
