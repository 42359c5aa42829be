"""The studio's QApplication: names, and Python's garbage collector kept on its thread.

Python's cyclic garbage collector runs in whichever thread happens to allocate
when a generation fills up: a task's worker thread, the in-process sandbox's
server thread, an HTTP client's pool. If it frees a cycle that holds a Qt object
living on the GUI thread (a task, a connection's lambda, a widget), that
object's C++ destructor runs on the wrong thread while the GUI thread may be
using it, and the process crashes (seen in CI as a segfault while the GUI thread
waited for a worker). So, as pyqtgraph's ``GarbageCollector`` does, automatic
collection is switched off and the same generational collection is run from a
timer on the GUI thread instead. Reference counting still frees everything that
is not part of a cycle at once, on any thread.
"""

from __future__ import annotations

import gc
import logging
import os
import sys

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

import ftstudio
from ftstudio.workers import wait_for_live_tasks

log = logging.getLogger(__name__)

COLLECT_EVERY_MS = 500
"""How often the GUI thread checks whether a generation is due for collection."""

QUIT_WAIT_SECONDS = 5.0
"""How long quitting waits for background work that did not stop at once."""


class GuiThreadCollector(QObject):
    """Collect cyclic garbage on the GUI thread only, with Python's own thresholds."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(COLLECT_EVERY_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    @Slot()
    def collect_due(self) -> None:
        """Collect the generations whose counts passed Python's thresholds."""
        counts = gc.get_count()
        generation = -1
        for level, (count, threshold) in enumerate(
            zip(counts, self._thresholds, strict=True)
        ):
            if count <= threshold:
                break
            generation = level
        if generation >= 0:
            gc.collect(generation)


class StudioApplication(QApplication):
    """The application object every ftstudio window runs in."""

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self.setApplicationName("ftstudio")
        self.setApplicationVersion(ftstudio.__version__)
        self.setOrganizationName("ftstudio")
        self.collector = GuiThreadCollector(self)


def leave(code: int, seconds: float = QUIT_WAIT_SECONDS) -> int:
    """Return ``code`` once background work has ended, after the event loop quit.

    A thread still blocked after ``seconds`` (a request the service never
    answers) would make Qt abort the process while Python tears it down, so then
    the process ends here at once, its logs flushed, with ``code``.
    """
    stuck = wait_for_live_tasks(seconds)
    if stuck:
        log.warning(
            "quitting with background work still waiting: %s",
            ", ".join(task.label for task in stuck),
        )
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def studio_application(argv: list[str]) -> QApplication:
    """Return the running application, or start a :class:`StudioApplication`.

    ``argv`` are the arguments after the program name (Qt takes its own out).
    """
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return StudioApplication(["ftstudio", *argv])
