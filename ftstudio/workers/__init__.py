"""Run core generator tasks off the GUI thread (QtCore only, never widgets)."""

from __future__ import annotations

from ftstudio.workers.task import (
    Task,
    TaskFn,
    TaskRunner,
    live_tasks,
    plain,
    show_unhandled_failures_with,
    wait_for_live_tasks,
)

__all__ = [
    "Task",
    "TaskFn",
    "TaskRunner",
    "live_tasks",
    "plain",
    "show_unhandled_failures_with",
    "wait_for_live_tasks",
]
