"""A cancel token that long core operations check and wait on."""

from __future__ import annotations

import threading


class Cancelled(Exception):  # noqa: N818 - reads naturally: ``raise Cancelled``
    """Raised inside a core operation when its token was cancelled."""


class CancelToken:
    """A thread-safe flag that a long operation checks between steps.

    Core code never sleeps blindly: it calls :meth:`wait`, which returns early
    when the token is cancelled, so cancel is immediate.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the operation to stop at its next checkpoint."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the token was cancelled."""
        if self._event.is_set():
            raise Cancelled

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; return True at once if cancelled."""
        return self._event.wait(seconds)


NEVER = CancelToken()
"""A token nobody cancels, for callers that do not need to stop early."""
