"""First-pass validation of a big file in worker processes that read it by path.

Only lines of the file on disk (keys below ``original_count``) go here: each
worker reads its byte span itself, so nothing big crosses a process boundary
except compact result arrays. Worker processes use the ``spawn`` start method
(safe beside GUI threads, and the only one on Windows and macOS).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import threading
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ftstudio.core.cancel import Cancelled, CancelToken
from ftstudio.core.dataset.diskfile import DiskStamp
from ftstudio.core.progress import Progress
from ftstudio.core.tokens.counting import TokenCounter
from ftstudio.core.validation.cache import Columns
from ftstudio.core.validation.linecheck import check_line
from ftstudio.core.validation.workerenv import one_blas_thread

if TYPE_CHECKING:
    from ftstudio.core.dataset.store import DatasetStore

# A worker needs ~0.2 s to start (imports, tokenizer; 0.7 s before rs-bpe and one
# BLAS thread) while this process checks ~30 MB/s, and each costs CPU: measured
# on 2 idle cores, 20 MB files gain 5 % of wall time for 40 % more CPU, a 42 MB
# file 25 % for 14 % (bench/README.md, issue 13), so only files above 32 MB.
MIN_PARALLEL_BYTES = 32 * 1024 * 1024
SPAN_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Span:
    """Consecutive lines ``first_key ..`` whose bytes start at ``offsets[0]``."""

    path: str
    first_key: int
    offsets: npt.NDArray[np.int64]
    """Start of each line plus the end of the last one (absolute file offsets)."""
    encoding: str
    head: bytes
    """The first line as the store holds it: a worker that reads other bytes
    knows the file changed on disk since it was opened."""
    stamp: DiskStamp | None = None
    """The file the store read; a worker that finds another one reads nothing."""


class FileChanged(RuntimeError):  # noqa: N818 - an event, like Cancelled
    """The file on disk no longer holds the lines the store indexed."""


def _allowed_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _busy_cpus(cancel: CancelToken) -> float | None:
    """Return how many CPUs other programs keep busy now (Linux), or None.

    Reads the kernel's count of runnable threads (``procs_running``, this one
    included) five times over 20 ms: quick enough to cost no noticeable wall
    time before a run, and steadier than one look.
    """
    samples: list[int] = []
    try:
        for i in range(5):
            if i:
                cancel.wait(0.005)
            for line in Path("/proc/stat").read_text().splitlines():
                if line.startswith("procs_running "):
                    samples.append(int(line.split()[1]))
                    break
            else:
                return None
    except (OSError, ValueError, IndexError):
        return None
    return max(0.0, sum(samples) / len(samples) - 1)


def idle_cpus(cancel: CancelToken) -> int:
    """Return how many processes (this one included) should check lines now.

    The CPUs this process may use that are idle: on a machine already busy
    with other work, extra processes only compete for the same cores and add
    their start-up cost. Measured from /proc/stat where there is one (the
    threads that are running now, this one not counted), else from the load
    average, else all CPUs.
    """
    cpus = _allowed_cpus()
    busy = _busy_cpus(cancel)
    if busy is None:
        try:
            busy = max(0.0, os.getloadavg()[0] - 1)  # the load counts this process
        except (AttributeError, OSError):  # Windows has no load average
            return cpus
    return max(1, min(cpus, round(cpus - busy)))


def _strip(line: bytes) -> bytes:
    """Drop the terminator the way ``DatasetStore.raw_for_key`` does."""
    if line.endswith(b"\n"):
        return line[:-2] if line.endswith(b"\r\n") else line[:-1]
    return line


def check_span(span: Span) -> Columns:
    """Validate the lines of ``span`` (runs in a worker process)."""
    counter = TokenCounter(span.encoding)  # fresh memo: runs do not share caches
    begin, end = int(span.offsets[0]), int(span.offsets[-1])
    try:
        with Path(span.path).open("rb") as f:
            if DiskStamp.of_stat(os.fstat(f.fileno())) != span.stamp:
                raise FileChanged(span.path)
            f.seek(begin)
            data = f.read(end - begin)
    except OSError as exc:  # removed meanwhile: the store still has its bytes
        raise FileChanged(span.path) from exc
    if len(data) != end - begin:  # shortened while being read
        raise FileChanged(span.path)
    rel = (span.offsets - begin).tolist()
    if _strip(data[: rel[1]]) != span.head:
        raise FileChanged(span.path)
    results = []
    for i in range(len(rel) - 1):
        results.append(check_line(_strip(data[rel[i] : rel[i + 1]]), counter))
    return Columns.of(results)


def make_spans(
    store: DatasetStore, keys: npt.NDArray[np.int64], encoding: str
) -> list[Span]:
    """Cut the sorted original ``keys`` into runs of consecutive lines of bounded size."""
    spans: list[Span] = []
    offsets = store.line_offsets
    path = str(store.path)
    if not len(keys):
        return spans
    breaks = np.flatnonzero(np.diff(keys) != 1) + 1
    for run in np.split(keys, breaks):
        first, last = int(run[0]), int(run[-1])
        key = first
        while key <= last:
            limit = offsets[key] + SPAN_BYTES
            stop = int(np.searchsorted(offsets, limit, side="left"))
            stop = min(max(stop, key + 1), last + 1)
            head = store.raw_for_key(key)
            spans.append(
                Span(
                    path,
                    key,
                    offsets[key : stop + 1].copy(),
                    encoding,
                    head,
                    store.source_stamp,
                )
            )
            key = stop
    return spans


_prestarted: tuple[int, cf.ProcessPoolExecutor] | None = None
_prestart_lock = threading.Lock()


def _new_pool(workers: int) -> cf.ProcessPoolExecutor:
    ctx = multiprocessing.get_context("spawn")
    return cf.ProcessPoolExecutor(
        max_workers=max(1, workers - 1), mp_context=ctx, initializer=one_blas_thread
    )


def _warm_up(encoding: str) -> None:
    """Load the tokenizer in a worker process before its first span arrives."""
    TokenCounter(encoding)


def prestart(workers: int, encoding: str) -> None:
    """Start worker processes now, for the next :func:`run_spans` with ``workers``.

    A worker needs ~0.7 s to start; started before the file is indexed, that
    time overlaps the indexing. Call :func:`discard_prestarted` if no run follows.
    """
    global _prestarted
    if workers < 2:
        return
    pool = _new_pool(workers)
    for _ in range(workers - 1):  # each submit starts one more process
        pool.submit(_warm_up, encoding)
    with _prestart_lock:
        old, _prestarted = _prestarted, (workers, pool)
    if old is not None:
        old[1].shutdown(wait=False, cancel_futures=True)


def discard_prestarted() -> None:
    """Stop worker processes that :func:`prestart` started and no run took."""
    global _prestarted
    with _prestart_lock:
        old, _prestarted = _prestarted, None
    if old is not None:
        old[1].shutdown(wait=True, cancel_futures=True)


def _take_pool(workers: int) -> cf.ProcessPoolExecutor:
    global _prestarted
    with _prestart_lock:
        ready, _prestarted = _prestarted, None
    if ready is not None and ready[0] == workers:
        return ready[1]
    if ready is not None:
        ready[1].shutdown(wait=False, cancel_futures=True)
    return _new_pool(workers)


def run_spans(
    spans: list[Span], workers: int, cancel: CancelToken
) -> Generator[Progress | tuple[Span, Columns], None, None]:
    """Validate ``spans`` with ``workers`` processes in all, yielding each finished span.

    This process is one of the ``workers``: while the others start up (each
    loads the tokenizer) and afterwards, it takes spans from the end of the
    queue that no worker has started. Progress values are yielded between
    results so callers can report and cancel; on cancel the pool is shut down
    and :class:`Cancelled` raised.
    """
    total = sum(len(s.offsets) - 1 for s in spans)
    done = 0
    pool = _take_pool(workers)
    try:
        waiting = [(pool.submit(check_span, s), s) for s in spans]
        while waiting:
            if cancel.cancelled:
                raise Cancelled
            finished = [(f, s) for f, s in waiting if f.done()]
            for future, span in finished:
                yield span, future.result()
                done += len(span.offsets) - 1
            waiting = [(f, s) for f, s in waiting if not f.done()]
            stolen = next(((f, s) for f, s in reversed(waiting) if f.cancel()), None)
            if stolen is not None:
                waiting.remove(stolen)
                span = stolen[1]
                yield span, check_span(span)
                done += len(span.offsets) - 1
            elif waiting:
                cf.wait(
                    [f for f, _ in waiting], timeout=0.1, return_when=cf.FIRST_COMPLETED
                )
            yield Progress(done, total, "Checking examples")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
