"""Redact key-like strings from anything that reaches a log, a status bar or a dialog."""

from __future__ import annotations

import re
import threading

_PATTERNS = (
    # OpenAI-style keys: sk-…, sk-proj-…, sk-svcacct-…, sess-…
    re.compile(r"\b(?:sk|sess)-[A-Za-z0-9_\-]{8,}"),
    # bearer tokens in headers or logged requests
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-]{8,}"),
    # api_key=… / "api-key": "…" in query strings, JSON or repr()
    re.compile(r"(?i)(api[_-]?key[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}]{6,}"),
    # PEM private keys
    re.compile(
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)"
    ),
)
MASK = "[redacted]"

_known: set[str] = set()
_lock = threading.Lock()


def register_secret(secret: str) -> None:
    """Redact ``secret`` too from now on (other services' keys need not look like ``sk-``)."""
    if len(secret) >= 6:
        with _lock:
            _known.add(secret)


def redact(text: str) -> str:
    """Return ``text`` with every key-like string replaced by ``[redacted]``."""
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
    return text


def mask_key(key: str) -> str:
    """Show a key the way settings do: its first four and last four characters."""
    if len(key) <= 12:
        return "•" * len(key)
    return f"{key[:4]}…{key[-4:]}"
