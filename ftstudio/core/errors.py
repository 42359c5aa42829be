"""One small typed error that the core raises for anything a user must read."""

from __future__ import annotations


class FtError(Exception):
    """An error with a plain-language message for the user.

    A plain class rather than a frozen dataclass: Python must be able to set
    ``__traceback__`` on an exception, and ``args`` must rebuild it when it is
    pickled across processes.

    Parameters
    ----------
    kind
        A stable short word: ``"io"``, ``"format"``, ``"network"``, ``"auth"``…
    message
        One sentence a non-programmer understands.
    detail
        Technical detail for a "Details" area (already redacted).
    retryable
        Whether trying again may succeed.
    """

    def __init__(
        self, kind: str, message: str, detail: str = "", retryable: bool = False
    ) -> None:
        super().__init__(kind, message, detail, retryable)
        self.kind = kind
        self.message = message
        self.detail = detail
        self.retryable = retryable

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"FtError({self.kind!r}, {self.message!r})"
