"""Turn SDK and network exceptions into one plain-language :class:`FtError`."""

from __future__ import annotations

import ssl
from typing import Any

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.redact import redact

_ELIGIBILITY_WORDS = (
    "eligib",
    "not available",
    "no longer",
    "not allowed",
    "access to fine-tuning",
)


def _service_message(exc: Any) -> tuple[str, str]:
    """Return (message, code) from an API error body in OpenAI's envelope."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("message") or ""), str(inner.get("code") or "")
    return str(getattr(exc, "message", "") or exc), ""


def _detail(exc: BaseException, status: int | None, code: str, message: str) -> str:
    parts = [type(exc).__name__]
    if status is not None:
        parts.append(f"HTTP {status}")
    if code:
        parts.append(f"code {code}")
    text = " · ".join(parts)
    return redact(f"{text}\n{message}" if message else text)


def retry_after_seconds(exc: BaseException) -> float | None:
    """Return the wait a 429/503 answer asks for (``Retry-After``), if any."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    for name in ("retry-after-ms", "retry-after"):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value)
        except ValueError:
            continue
        return seconds / 1000 if name == "retry-after-ms" else seconds
    return None


def to_ft_error(exc: BaseException) -> FtError:
    """Map any exception from an API call to a user-facing :class:`FtError`."""
    import openai

    from ftstudio.core.providers.shutdown import shutdown_message

    if isinstance(exc, FtError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return FtError(
            ErrorKind.NETWORK,
            "The service did not answer in time. Check your connection and try again.",
            _detail(exc, None, "", str(exc)),
            retryable=True,
        )
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__
        while cause is not None and not isinstance(cause, ssl.SSLError):
            cause = cause.__cause__
        if isinstance(cause, ssl.SSLError):
            return FtError(
                ErrorKind.TLS,
                "A secure connection could not be made: this computer's certificates may be missing or out of date.",
                _detail(exc, None, "", str(cause)),
                retryable=False,
            )
        return FtError(
            ErrorKind.NETWORK,
            "Cannot reach the service. Check your internet connection and the base URL in Settings.",
            _detail(exc, None, "", str(exc.__cause__ or exc)),
            retryable=True,
        )
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        message, code = _service_message(exc)
        detail = _detail(exc, status, code, message)
        if status == 401:
            return FtError(
                ErrorKind.AUTH,
                "The API key was refused. Check it in Settings (it may be mistyped, revoked or for another organization).",
                detail,
            )
        if status == 403:
            lowered = message.lower()
            if "fine" in lowered and any(w in lowered for w in _ELIGIBILITY_WORDS):
                return FtError(
                    ErrorKind.ELIGIBILITY,
                    "This account may no longer create fine-tuning jobs: OpenAI is closing fine-tuning to new jobs. You can still edit, validate, estimate costs and use the offline sandbox. The service said: "
                    + redact(message),
                    detail,
                )
            return FtError(
                ErrorKind.PERMISSION,
                "This key has no permission for that action (check the organization and project in Settings).",
                detail,
            )
        shutdown = shutdown_message(message) if status in (400, 404, 410) else None
        if shutdown is not None:  # OpenAI's closure: no new jobs, or a retired model
            kind, words = shutdown
            return FtError(kind, f"{words} The service said: {redact(message)}", detail)
        if status == 404:
            return FtError(
                ErrorKind.NOT_FOUND,
                "The service does not know that item (it may have been deleted, or belongs to another project).",
                detail,
            )
        if status == 413:
            return FtError(
                ErrorKind.TOO_LARGE,
                "The file is too large for the service to accept in one request.",
                detail,
            )
        if status == 429:
            if code == "insufficient_quota":
                return FtError(
                    ErrorKind.QUOTA,
                    "The account has run out of credit or quota. Check billing on the provider's site.",
                    detail,
                )
            return FtError(
                ErrorKind.RATE_LIMIT,
                "The service is busy (rate limit). ftstudio waits and tries again.",
                detail,
                retryable=True,
            )
        if status >= 500:
            return FtError(
                ErrorKind.SERVER,
                "The service had a problem on its side. ftstudio tries again; if it persists, try later.",
                detail,
                retryable=True,
            )
        if status in (400, 422):
            plain = redact(message) or "The service rejected the request."
            return FtError(
                ErrorKind.INVALID, f"The service rejected the request: {plain}", detail
            )
        return FtError(
            ErrorKind.API,
            f"The service answered with an error (HTTP {status}).",
            detail,
        )
    if isinstance(exc, OSError):
        return FtError(
            ErrorKind.IO,
            f"A file could not be read or written: {exc.strerror or exc}.",
            redact(str(exc)),
        )
    return FtError(
        ErrorKind.INTERNAL,
        "Something unexpected went wrong while talking to the service.",
        redact(f"{type(exc).__name__}: {exc}"),
    )
