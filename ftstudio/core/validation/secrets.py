"""Secrets in training data: API keys and private keys that a model could repeat.

One pattern, searched in a line's raw bytes (full rules) or in its texts (fast
paths); :func:`may_hold_secret` is the cheap test that spares most texts the
regex.
"""

from __future__ import annotations

import re

from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.words import finding

_SECRET = re.compile(
    rb"(?P<kind>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}"
    rb"|-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"
    rb"|AKIA[0-9A-Z]{16}"
    rb"|gh[pousr]_[A-Za-z0-9]{36,}"
    rb"|xox[abposr]-[A-Za-z0-9-]{10,}"
    rb"|AIza[0-9A-Za-z_\-]{35})"
)
SECRET_TEXT = re.compile(_SECRET.pattern.decode("ascii"))
"""The pattern, for texts."""


def secret_message(shown: str) -> Finding:
    """Return the warning for a secret that starts with ``shown``."""
    return finding(
        "possible_secret",
        Severity.WARNING,
        f"This example seems to contain a secret (text starting with “{shown[:8]}…” "
        "looks like an API key or private key). Training data can be repeated by "
        "the model: remove the secret or replace it with a made-up value.",
    )


def secret_finding(raw: bytes) -> Finding | None:
    """Return the warning for the first secret in the line ``raw``, or None."""
    match = _SECRET.search(raw)
    if match is None:
        return None
    return secret_message(match.group("kind")[:8].decode("ascii", "replace"))


def text_secret(text: str) -> str | None:
    """Return the start of a secret in ``text``, or None."""
    match = SECRET_TEXT.search(text)
    return match.group("kind") if match is not None else None


def may_hold_secret(text: str) -> bool:
    """Whether ``text`` could match a secret pattern (a cheap test first).

    Each pattern holds "-" or "_" or starts with AKIA or AIza, so the regex
    (the costlier test) is skipped for the many texts that cannot match.
    "A" is looked for first: one character is a quick memchr, and most texts
    hold no capital A, where AKIA and AIza would each be a slower search.
    """
    return (
        "-" in text
        or "_" in text
        or ("A" in text and ("AKIA" in text or "AIza" in text))
    )
