"""Record what a tab shows at the moment a task's retry notice reaches the GUI."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ftstudio.core.progress import Notice
    from ftstudio.workers import Task


class NoticesShown:
    """Pairs of (notice text, what the tab showed right after the tab's own slot ran).

    Connect with :meth:`follow` after the tab connected its slots (Qt calls
    slots in the order they were connected), before the event loop runs again.
    """

    def __init__(self, shown: Callable[[], str]) -> None:
        self._shown = shown
        self.pairs: list[tuple[str, str]] = []

    def follow(self, task: Task | None) -> None:
        assert task is not None, "no task is running"
        task.noticed.connect(self._heard)

    def _heard(self, notice: Notice) -> None:
        self.pairs.append((notice.text, self._shown()))

    def assert_each_was_shown(self) -> None:
        """At least one notice came, each one was on screen, and it was a retry."""
        assert self.pairs, "no call was retried: the test proved nothing"
        for said, shown in self.pairs:
            assert "Trying again" in said
            assert shown == said
