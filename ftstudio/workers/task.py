"""The one worker mechanism: a core generator on a QThread, with full teardown.

A task is a function ``fn(cancel) -> Generator[yielded, None, result]``. Every
``yield`` is a cancellation checkpoint (superqt's ``GeneratorWorker``). A yielded
:class:`~ftstudio.core.progress.Progress` reports progress, a
:class:`~ftstudio.core.progress.Notice` (a retry) is sent on its own signal, and
anything else is a partial result; :func:`ftstudio.core.drive.drive` steps it. The worker object lives on its own ``QThread`` (``moveToThread``)
and the teardown follows superqt's ``new_worker_qthread`` (see ``Task``).
"""

from __future__ import annotations

import logging
import time
import traceback
import weakref
from collections.abc import Callable, Generator
from typing import Any

import shiboken6
from PySide6.QtCore import SIGNAL, QObject, Qt, QThread, Signal, Slot

from ftstudio.core.cancel import Cancelled, CancelToken
from ftstudio.core.drive import drive
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.progress import Notice, Progress

log = logging.getLogger(__name__)

TaskFn = Callable[[CancelToken], Generator[Any, None, Any]]
"""A core generator function that takes a cancel token."""

BATCH_SECONDS = 0.05
"""High-rate yields reach the GUI at most this often (Spyder batches search hits)."""

_fallback: weakref.WeakMethod[Callable[[FtError], None]] | None = None


def show_unhandled_failures_with(handler: Callable[[FtError], None]) -> None:
    """Show the failure of any task nobody listens to with ``handler`` (a method).

    The window passes its error banner's method, as Anki shows an operation's
    exception when no failure handler was given: no error is ever lost. Held
    weakly: a closed window stops receiving them.
    """
    global _fallback  # noqa: PLW0603 - one fallback for the whole application
    _fallback = weakref.WeakMethod(handler)


def plain(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> TaskFn:
    """Return a task that calls ``fn(*args, **kwargs)`` once and returns its result.

    For work with no progress to report and no checkpoint inside (a save, a
    copy): the one mechanism runs it off the GUI thread like any generator.
    """

    def run(_cancel: CancelToken) -> Generator[Any, None, Any]:
        yield from ()
        return fn(*args, **kwargs)

    return run


# Tasks whose thread has not finished yet. Holding them here keeps the Python
# wrappers alive: a QThread collected while running aborts the whole process.
_LIVE: set[Task] = set()


def live_tasks() -> list[Task]:
    """Return the started tasks whose thread has not finished yet.

    Tests assert none are left after each test.
    """
    return list(_LIVE)


def wait_for_live_tasks(seconds: float) -> list[Task]:
    """Discard every live task and wait up to ``seconds`` in all for its thread.

    Return the tasks whose thread is still running (blocked in a call that
    has no cancellation checkpoint, such as a request nobody answers).
    """
    deadline = time.monotonic() + seconds
    for task in live_tasks():
        task.discard()
        task.wait(max(0, int((deadline - time.monotonic()) * 1000)))
    return [task for task in live_tasks() if not task.wait(0)]


class _Worker(QObject):
    """Runs the generator on the worker thread; never touches widgets."""

    started = Signal()
    progressed = Signal(object)
    noticed = Signal(object)
    partial = Signal(list)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self, fn: TaskFn, token: CancelToken, label: str, home: QThread
    ) -> None:
        super().__init__()
        self._fn = fn
        self._token = token
        self._label = label
        self._home = home

    @Slot()
    def run(self) -> None:
        self.started.emit()
        try:
            result = self._drive()
        except Cancelled:
            self.cancelled.emit()
        except FtError as exc:
            self.failed.emit(exc)
        except Exception as exc:  # shown to the user as a failure, never swallowed
            log.exception("task %r failed", self._label)
            self.failed.emit(
                FtError(
                    ErrorKind.INTERNAL,
                    f"Something went wrong while {self._label.lower()}.",
                    "".join(traceback.format_exception(exc)),
                )
            )
        else:
            if self._token.cancelled:
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        # home to the GUI thread, to be deleted there (see Task.__init__)
        self.moveToThread(self._home)
        self.finished.emit()

    def _drive(self) -> Any:
        relay = _Relay(self)
        result = drive(
            self._fn(self._token),
            self._token,
            on_progress=relay.progress,
            on_notice=relay.notice,
            on_item=relay.item,
        )
        relay.flush()  # (after a failure or a cancel, held-back results are moot)
        return result


class _Relay:
    """Turns the yields of one run into the worker's signals, throttled and batched.

    Partial results go out in batches at most every :data:`BATCH_SECONDS`;
    progress only when its rounded percentage rises (as Orange does) or the
    same interval has passed. A notice is never held back: the batch before it
    goes first, so the GUI sees everything in the order it was yielded.
    """

    def __init__(self, worker: _Worker) -> None:
        self._worker = worker
        self._batch: list[Any] = []
        self._last_progress: Progress | None = None
        self._last_emit = 0.0
        self._shown_percent = -1

    def progress(self, item: Progress) -> None:
        now = time.monotonic()
        self._last_progress = item
        fraction = item.fraction
        percent = -1 if fraction is None else int(fraction * 100)
        if percent > self._shown_percent or now - self._last_emit >= BATCH_SECONDS:
            self._shown_percent = max(self._shown_percent, percent)
            self._worker.progressed.emit(item)
            self._last_progress = None
            self._last_emit = now

    def notice(self, item: Notice) -> None:
        self._send_batch()
        self._worker.noticed.emit(item)

    def item(self, item: Any) -> None:
        self._batch.append(item)
        now = time.monotonic()
        if now - self._last_emit >= BATCH_SECONDS:
            self._send_batch()
            self._last_emit = now

    def flush(self) -> None:
        """Send what is still held back (the run returned)."""
        self._send_batch()
        if self._last_progress is not None:
            self._worker.progressed.emit(self._last_progress)
            self._last_progress = None

    def _send_batch(self) -> None:
        if self._batch:
            batch, self._batch = self._batch, []
            self._worker.partial.emit(batch)


class Task(QObject):
    """A running task as the GUI thread sees it (lives on the GUI thread).

    Signals are relayed from the worker only while the task is current: once
    :meth:`discard` is called (a newer task replaced it) nothing more arrives,
    so a stale result can never overwrite a newer one.
    """

    started = Signal()
    """The generator began running."""
    progressed = Signal(object)
    """A :class:`Progress` (throttled)."""
    noticed = Signal(object)
    """A :class:`Notice` (a retry): each one, in order, never batched or dropped."""
    partial = Signal(list)
    """A batch of partial results, in order."""
    succeeded = Signal(object)
    """The generator returned this value."""
    failed = Signal(object)
    """The task raised this :class:`FtError` (unexpected errors are wrapped)."""
    cancelled = Signal()
    """The task stopped at a checkpoint after :meth:`cancel`."""
    finished = Signal()
    """Always last, after exactly one of succeeded, failed or cancelled."""

    def __init__(self, fn: TaskFn, label: str, generation: int = 0) -> None:
        super().__init__()
        self.label = label
        self.generation = generation
        self.token = CancelToken()
        self._stale = False
        self._done = False
        self._thread_done = False
        self._thread: QThread | None = QThread()
        self._thread.setObjectName(f"task: {label}")
        self._worker: _Worker | None = _Worker(
            fn, self.token, label, QThread.currentThread()
        )
        self._worker.moveToThread(self._thread)
        worker, thread = self._worker, self._thread
        thread.started.connect(worker.run)
        # The teardown chain: finished -> thread.quit, thread.finished ->
        # thread.deleteLater. The worker is not deleteLater'd on its own thread:
        # there PySide's destructor hooks wait for the GIL while Qt holds a
        # connection lock the GUI thread may be waiting for (a deadlock seen in
        # the tests). It moves back to the GUI thread at the end of run() and is
        # deleted there when this task lets go of it, after the thread ended.
        # direct: QThread.quit is thread-safe, and a queued quit would never run
        # while the GUI thread blocks in wait() on close
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(thread.deleteLater)
        thread.finished.connect(self._on_thread_finished)
        # relays: bound @Slot methods on this GUI-thread object (queued delivery)
        worker.started.connect(self._on_started)
        worker.progressed.connect(self._on_progressed)
        worker.noticed.connect(self._on_noticed)
        worker.partial.connect(self._on_partial)
        worker.succeeded.connect(self._on_succeeded)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        worker.finished.connect(self._on_finished)

    def start(self) -> Task:
        """Start running on the worker thread; return self for chaining."""
        assert self._thread is not None
        _LIVE.add(self)
        self._thread.start()
        return self

    @property
    def done(self) -> bool:
        """Whether ``finished`` was delivered (or the task was discarded)."""
        return self._done

    def cancel(self) -> None:
        """Ask the task to stop at its next checkpoint (signals still arrive)."""
        self.token.cancel()

    def discard(self) -> None:
        """Cancel, and drop every signal from now on (a newer task replaced it)."""
        self.token.cancel()
        self._stale = True

    def wait(self, msecs: int) -> bool:
        """Block until the thread ends or ``msecs`` pass; return whether it ended."""
        thread = self._thread
        if self._thread_done or thread is None or not shiboken6.isValid(thread):
            return True
        return thread.wait(msecs)

    @Slot()
    def _on_started(self) -> None:
        if not self._stale:
            self.started.emit()

    @Slot(object)
    def _on_progressed(self, progress: Progress) -> None:
        if not self._stale:
            self.progressed.emit(progress)

    @Slot(object)
    def _on_noticed(self, notice: Notice) -> None:
        if not self._stale:
            self.noticed.emit(notice)

    @Slot(list)
    def _on_partial(self, items: list[Any]) -> None:
        if not self._stale:
            self.partial.emit(items)

    @Slot(object)
    def _on_succeeded(self, value: Any) -> None:
        if not self._stale:
            self.succeeded.emit(value)

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        if self._stale:
            return
        handler = _fallback() if _fallback is not None else None
        owner = getattr(handler, "__self__", None)
        alive = not isinstance(owner, QObject) or shiboken6.isValid(owner)
        unheard = self.receivers(SIGNAL("failed(PyObject)")) == 0
        if handler is not None and alive and unheard:
            handler(error)  # nobody connected to failed: never swallow it
        elif unheard:
            log.error("task %r failed: %s", self.label, error.message)
        self.failed.emit(error)

    @Slot()
    def _on_cancelled(self) -> None:
        if not self._stale:
            self.cancelled.emit()

    @Slot()
    def _on_finished(self) -> None:
        self._done = True
        if not self._stale:
            self.finished.emit()

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread_done = True
        thread = self._thread
        # ``finished`` is emitted from the thread before it has fully ended: wait
        # for that, so dropping our references never deletes a running QThread.
        # (If a nested event loop already ran the thread's deleteLater, its
        # destructor did that wait.)
        if thread is not None and shiboken6.isValid(thread):
            thread.wait()
        self._thread = None
        self._worker = None
        _LIVE.discard(self)


class TaskRunner(QObject):
    """Runs one task at a time for one owner (a tab, a document).

    Starting a task cancels and discards the previous one (Orange3's
    ``ConcurrentMixin.start``); each task gets the next generation number.
    """

    task_started = Signal(object)
    """A new :class:`Task` was started (for a status bar to follow)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._current: Task | None = None

    @property
    def generation(self) -> int:
        """Return the generation number of the newest task."""
        return self._generation

    @property
    def current(self) -> Task | None:
        """Return the newest task if it has not finished."""
        task = self._current
        return task if task is not None and not task.done else None

    def start(self, fn: TaskFn, label: str) -> Task:
        """Discard the running task, if any, and return the new, unstarted task.

        Connect to the returned task's signals, then call :meth:`Task.start`.
        """
        if self._current is not None:
            self._current.discard()
        self._generation += 1
        self._current = Task(fn, label, self._generation)
        self.task_started.emit(self._current)
        return self._current

    def cancel(self) -> None:
        """Cancel the current task (its ``cancelled`` and ``finished`` still arrive)."""
        if self._current is not None:
            self._current.cancel()

    def discard(self) -> None:
        """Cancel the current task and drop its signals, without waiting for it.

        For a task that may be blocked where no checkpoint is near (a request
        the service has not answered yet): the owner moves on at once, and the
        thread ends on its own in the background.
        """
        task, self._current = self._current, None
        if task is not None:
            task.discard()

    def shutdown(self, msecs: int = 3000) -> bool:
        """Discard the current task and wait for its thread; return whether it ended."""
        task = self._current
        self.discard()
        return task is None or task.wait(msecs)
