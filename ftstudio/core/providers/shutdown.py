"""Shutdown dates of base models and fine-tunes, and plain words for shutdown errors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from ftstudio.core.errors import ErrorKind
from ftstudio.core.models import base_model
from ftstudio.core.resources import resource_path

_NO_NEW_JOBS = (
    "no longer accept",
    "no longer support",
    "not accepting new",
    "creation has ended",
    "closed to new",
)
_RETIRED = (
    "retired",
    "has been deprecated",
    "shut down",
    "no longer available",
    "decommissioned",
)


@dataclass(frozen=True)
class Shutdown:
    """A model's published shutdown date and where it comes from."""

    day: date
    source: str

    def days_left(self, today: date | None = None) -> int:
        """Return the days until the shutdown (negative once past)."""
        return (self.day - (today or date.today())).days


@cache
def _published() -> tuple[tuple[str, date | None], ...]:
    raw = json.loads(resource_path("models.json").read_text(encoding="utf-8"))
    found: list[tuple[str, date | None]] = []
    for entry in raw.get("models", []):
        when = entry.get("shutdown_date")
        found.append((str(entry["prefix"]), date.fromisoformat(when) if when else None))
    return tuple(found)


def published_shutdown(model: str, provider: str = "openai") -> Shutdown | None:
    """Return the published shutdown of ``model`` (a base or a fine-tune of it), if any.

    The dates are OpenAI's: another provider retires models on its own calendar,
    so for one the answer is None unless its service sends a date.
    """
    if provider != "openai":
        return None
    base = base_model(model)
    if ".ft-" in base:  # Azure: gpt-4.1-2025-04-14.ft-<job>
        base = base.split(".ft-", 1)[0]
    best: tuple[str, date | None] | None = None
    for prefix, day in _published():  # the longest prefix: gpt-4.1-nano is not gpt-4.1
        if base.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, day)
    if best is None or best[1] is None:
        return None
    return Shutdown(best[1], "published date (resources/models.json)")


def service_shutdown(model: Any) -> Shutdown | None:
    """Return the ``shutdown_date`` the service sent with a model, if it sent one.

    Accepts an ISO date, an ISO timestamp or Unix seconds.
    """
    if isinstance(model, dict):
        value = model.get("shutdown_date")
    else:  # the SDK keeps fields it does not model as attributes
        value = getattr(model, "shutdown_date", None)
    day: date | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        day = datetime.fromtimestamp(value, UTC).date()
    elif isinstance(value, str) and value.strip():
        try:
            day = datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return Shutdown(day, "the service") if day else None


def shutdown_message(message: str) -> tuple[ErrorKind, str] | None:
    """Return (kind, plain words with the next step) for a shutdown refusal, else None."""
    lowered = message.lower()
    if "fine" in lowered and any(w in lowered for w in _NO_NEW_JOBS):
        return (
            ErrorKind.NO_NEW_JOBS,
            "OpenAI no longer starts new fine-tuning jobs. Your files and past jobs are "
            "still yours: keep them with 'ftstudio archive --out FOLDER' (or the Shutdown "
            "kit in the window), and train elsewhere with --provider azure, nebius or local.",
        )
    if any(w in lowered for w in _RETIRED):
        return (
            ErrorKind.MODEL_RETIRED,
            "This model has been retired and no longer answers. If you archived it, its "
            "recorded answers are in the archive's golden folder; pick a replacement "
            "(for example gpt-oss trained locally) and compare it in the Evaluation view.",
        )
    return None
