"""The service's model list as choices for fine-tuning, with shutdown dates (no Qt)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ftstudio.gui.widgets.local_models import LocalBase, local_base_of

NEAR_DAYS = 90
"""A shutdown this close is worth a warning: a long job may not even finish."""
_SHUTDOWN_KEYS = ("shutdown_date", "shutdown_at", "deprecation_date", "deprecated_at")


@dataclass(frozen=True)
class ModelChoice:
    """One model the user can fine-tune."""

    name: str
    own: bool = False
    shutdown: date | None = None
    local: LocalBase | None = None
    """Size and fit, for a base model on this computer (the local trainer)."""

    @property
    def usable(self) -> bool:
        """Whether the model can be trained here (a local one must fit the device)."""
        return self.local is None or self.local.fits

    def label(self) -> str:
        """Return the text of the model's entry in the picker."""
        text = f"{self.name}  (your model)" if self.own else self.name
        if self.local is not None:
            size = self.local.size_words()
            text += f"  · {size}" if size else ""
            text += "" if self.local.fits else "  · does not fit"
        if self.shutdown is not None:
            text += f"  · shuts down {self.shutdown.isoformat()}"
        return text

    def warning(self, today: date) -> str:
        """Return a warning when the model cannot be used or shuts down soon, else ""."""
        if self.local is not None and not self.local.fits:
            return f"{self.name} cannot be trained here. {self.local.fit_words()}"
        if self.shutdown is None:
            return ""
        days = (self.shutdown - today).days
        when = self.shutdown.isoformat()
        if days < 0:
            return f"The service says {self.name} was shut down on {when}: a job on it will likely be refused."
        if days <= NEAR_DAYS:
            return (
                f"{self.name} shuts down on {when} (in {days} day{'s' if days != 1 else ''}). "
                "A model trained on it stops working then; consider a newer base model."
            )
        return ""


def _as_date(value: Any) -> date | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).date()
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def shutdown_of(model: Any) -> date | None:
    """Return the shutdown date the service reported for ``model``, if it did."""
    extra = getattr(model, "model_extra", None) or {}
    for key in _SHUTDOWN_KEYS:
        found = _as_date(extra.get(key, getattr(model, key, None)))
        if found is not None:
            return found
    return None


def choices_from_service(models: Iterable[Any]) -> list[ModelChoice]:
    """Return the models worth offering: known base models, then the user's own.

    The service also lists models that cannot be fine-tuned (embeddings, audio,
    images); only names the model table knows, base models on this computer
    (listed by the local trainer) and ``ft:`` models are kept.
    """
    from ftstudio.core.models import default_table

    table = default_table()
    base: list[ModelChoice] = []
    own: list[ModelChoice] = []
    for model in models:
        name = str(model.id)
        local = local_base_of(model)
        if name.startswith("ft:"):
            own.append(ModelChoice(name, own=True, shutdown=shutdown_of(model)))
        elif local is not None:
            base.append(ModelChoice(name, local=local))
        elif table.lookup(name).known:
            base.append(ModelChoice(name, shutdown=shutdown_of(model)))
    base.sort(key=lambda c: (not c.usable, c.name))  # what fits first
    own.sort(key=lambda c: c.name)
    return base + own
