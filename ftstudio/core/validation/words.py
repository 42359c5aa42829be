"""Small helpers every rule module uses to word its findings."""

from __future__ import annotations

from typing import Any

from ftstudio.core.validation.findings import Finding, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def finding(
    code: str, severity: Severity, message: str, fixable: bool = False
) -> Finding:
    """Return a finding not yet tied to a line."""
    return Finding(None, code, severity, message, fixable)


def plain(text: str) -> str:
    """Return ``text`` safe to print: lone surrogates (valid in JSON) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def short(value: Any, limit: int = 40) -> str:
    """Return a short printable form of a value from the dataset."""
    text = plain(repr(value))
    return text if len(text) <= limit else text[: limit - 3] + "…"


def names(keys: Any) -> str:
    """Return ``"a", "b"`` for some keys, sorted."""
    return ", ".join(f'"{plain(str(k))}"' for k in sorted(str(k) for k in keys))
