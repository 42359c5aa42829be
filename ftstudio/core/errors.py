"""One small typed error that the core raises for anything a user must read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FtError(Exception):
    """An error with a plain-language message for the user.

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

    kind: str
    message: str
    detail: str = ""
    retryable: bool = False

    def __str__(self) -> str:
        return self.message
