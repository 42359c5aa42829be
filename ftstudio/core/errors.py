"""One small typed error that the core raises for anything a user must read."""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    """What went wrong, as a stable word (the values are the words used before).

    A ``StrEnum``: an error pickled across processes, or a kind compared with
    its word, keeps working.
    """

    API = "api"
    AUTH = "auth"
    CHANGED = "changed"
    CONFIG = "config"
    DUPLICATE = "duplicate"
    ELIGIBILITY = "eligibility"
    FORMAT = "format"
    INPUT = "input"
    INTERNAL = "internal"
    INVALID = "invalid"
    IO = "io"
    MAPPING = "mapping"
    MISSING = "missing"
    MODEL_RETIRED = "model_retired"
    NETWORK = "network"
    NO_NEW_JOBS = "no_new_jobs"
    NOT_FOUND = "not_found"
    PERMISSION = "permission"
    QUOTA = "quota"
    RATE_LIMIT = "rate_limit"
    SANDBOX = "sandbox"
    SERVER = "server"
    TLS = "tls"
    TOKENIZER = "tokenizer"
    TOO_LARGE = "too_large"
    USAGE = "usage"


class FtError(Exception):
    """An error with a plain-language message for the user.

    A plain class rather than a frozen dataclass: Python must be able to set
    ``__traceback__`` on an exception, and ``args`` must rebuild it when it is
    pickled across processes.

    Parameters
    ----------
    kind
        What went wrong (:class:`ErrorKind`: ``IO``, ``FORMAT``, ``NETWORK``…).
    message
        One sentence a non-programmer understands.
    detail
        Technical detail for a "Details" area (already redacted).
    retryable
        Whether trying again may succeed.
    """

    def __init__(
        self, kind: ErrorKind, message: str, detail: str = "", retryable: bool = False
    ) -> None:
        super().__init__(kind, message, detail, retryable)
        self.kind = ErrorKind(kind)
        self.message = message
        self.detail = detail
        self.retryable = retryable

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"FtError({self.kind.value!r}, {self.message!r})"
