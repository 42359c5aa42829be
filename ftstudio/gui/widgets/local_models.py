"""Base models on this computer as the local trainer lists them: size and fit (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ftstudio.gui.widgets.sizes import human_bytes

DEVICE_WORDS = {"cuda": "the GPU", "mps": "the Apple GPU", "cpu": "the processor"}


def memory_words(count: int) -> str:
    """Return a memory size as a GPU's maker says it: 24 GB for 24 GiB."""
    return f"{count / 2**30:,.1f} GB"


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@dataclass(frozen=True)
class LocalBase:
    """What the local service says about one base model folder."""

    parameters: int
    size_bytes: int
    fits: bool
    need_bytes: int = 0
    device: str = ""
    device_name: str = ""
    device_bytes: int = 0
    reason: str = ""

    def size_words(self) -> str:
        """Return e.g. "20.9 B parameters, 13.8 GB" (what is known of it)."""
        parts = []
        if self.parameters:
            parts.append(f"{parameter_words(self.parameters)} parameters")
        if self.size_bytes:
            parts.append(human_bytes(self.size_bytes))
        return ", ".join(parts)

    def fit_words(self) -> str:
        """Return why it does not fit, or how much of the device it needs, in words."""
        if not self.fits:
            return self.reason or "It does not fit in the memory of this computer."
        where = self.device_name or DEVICE_WORDS.get(self.device, "this computer")
        if self.need_bytes and self.device_bytes:
            return (
                f"Fits: training needs about {memory_words(self.need_bytes)} of the "
                f"{memory_words(self.device_bytes)} on {where}."
            )
        return f"Trains on {where}."


def parameter_words(count: int) -> str:
    """Return a parameter count in words: "124 M", "20.9 B", "2,048"."""
    if count >= 10**9:
        return f"{count / 10**9:.1f} B"
    if count >= 10**6:
        return f"{count / 10**6:.1f} M"
    if count >= 10**4:
        return f"{count / 10**3:.0f} K"
    return f"{count:,}"


def local_base_of(model: Any) -> LocalBase | None:
    """Return the local facts of a listed model, or None when it is not a local base.

    The local service adds an ``ftstudio`` object to each base model folder it
    lists; the SDK keeps such extra fields in ``model_extra``.
    """
    extra = getattr(model, "model_extra", None) or {}
    facts = extra.get("ftstudio", getattr(model, "ftstudio", None))
    if not isinstance(facts, dict) or facts.get("kind") != "base":
        return None
    return LocalBase(
        parameters=_int(facts.get("parameters")),
        size_bytes=_int(facts.get("size_bytes")),
        fits=facts.get("fits") is not False,
        need_bytes=_int(facts.get("need_bytes")),
        device=str(facts.get("device") or ""),
        device_name=str(facts.get("device_name") or ""),
        device_bytes=_int(facts.get("device_bytes")),
        reason=str(facts.get("reason") or ""),
    )
