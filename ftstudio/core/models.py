"""The model table: tokenizer, training context and price per base model.

Figures live in ``resources/models.json``; a user's own ``models.json`` in the
config folder overrides entries by prefix (prices change). Unknown figures stay
``None`` so callers can say "unknown" rather than guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.paths import user_config_dir
from ftstudio.core.resources import resource_path

DEFAULT_ENCODING = "o200k_base"
DEFAULT_MODEL = "gpt-4.1-mini"
"""The model the studio and the command line check, price and train for unless told."""
_CL100K_PREFIXES = ("gpt-3.5", "gpt-4-", "babbage-002", "davinci-002")


@dataclass(frozen=True)
class ModelInfo:
    """What the cost calculator and validator need to know about one base model."""

    name: str
    base: str
    encoding: str
    training_context: int | None
    price_per_1m: float | None
    checked: str | None
    known: bool
    vision: bool = False
    """Whether OpenAI fine-tunes this model on examples with images."""
    methods: tuple[str, ...] = ("supervised", "dpo")
    """The fine-tuning methods OpenAI offers for this model."""

    @property
    def is_completion_model(self) -> bool:
        """Whether the model trains on legacy prompt/completion lines."""
        return self.base.startswith(("babbage-002", "davinci-002"))


def base_model(name: str) -> str:
    """Return the base model of ``name``: ``ft:gpt-4o-mini:org::id`` → ``gpt-4o-mini``."""
    if name.startswith("ft:"):
        parts = name.split(":")
        if len(parts) > 1 and parts[1]:
            return parts[1]
    return name


def _parse_entries(raw: Any, source: str) -> list[dict[str, Any]]:
    entries = raw.get("models") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("prefix"), str) for e in entries
    ):
        msg = f"The model table {source} is not in the expected shape."
        raise FtError(
            ErrorKind.CONFIG, msg, "expected {'models': [{'prefix': ...}, ...]}"
        )
    return entries


def _read(path: Path) -> list[dict[str, Any]]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FtError(
            ErrorKind.CONFIG, f"Cannot read the model table {path}.", str(exc)
        ) from exc
    return _parse_entries(raw, str(path))


@dataclass(frozen=True)
class ModelTable:
    """Model entries matched by longest prefix."""

    entries: tuple[dict[str, Any], ...]

    @classmethod
    def load(cls, override: Path | None = None) -> ModelTable:
        """Load the bundled table and merge the user's override over it."""
        by_prefix = {e["prefix"]: e for e in _read(resource_path("models.json"))}
        override = override or user_config_dir() / "models.json"
        if override.is_file():
            for entry in _read(override):
                by_prefix[entry["prefix"]] = {
                    **by_prefix.get(entry["prefix"], {}),
                    **entry,
                }
        return cls(tuple(by_prefix.values()))

    def names(self) -> list[str]:
        """Return the models ftstudio can prepare data for, for pickers.

        Models OpenAI trains only with methods ftstudio does not check (o4-mini:
        reinforcement only) are left out; :meth:`lookup` still knows them.
        """
        return [e["prefix"] for e in self.entries if _prepared(e)]

    def lookup(self, name: str) -> ModelInfo:
        """Describe model ``name`` (a base model, a dated snapshot, or ``ft:…``)."""
        base = base_model(name)
        best: dict[str, Any] | None = None
        for entry in self.entries:
            prefix = entry["prefix"]
            if base.startswith(prefix) and (
                best is None or len(prefix) > len(best["prefix"])
            ):
                best = entry
        if best is None:
            encoding = (
                "cl100k_base" if base.startswith(_CL100K_PREFIXES) else DEFAULT_ENCODING
            )
            return ModelInfo(name, base, encoding, None, None, None, known=False)
        price = best.get("price_per_1m_training_tokens")
        context = best.get("training_context")
        return ModelInfo(
            name=name,
            base=base,
            encoding=str(best.get("encoding") or DEFAULT_ENCODING),
            training_context=int(context) if context is not None else None,
            price_per_1m=float(price) if price is not None else None,
            checked=best.get("checked"),
            known=True,
            vision=bool(best.get("vision", False)),
            methods=_methods(best),
        )


def _methods(entry: dict[str, Any]) -> tuple[str, ...]:
    methods = entry.get("methods")
    if isinstance(methods, list) and all(isinstance(m, str) for m in methods):
        return tuple(methods)
    return ("supervised", "dpo")


def _prepared(entry: dict[str, Any]) -> bool:
    """Whether ftstudio checks data for a method the model is trained with."""
    return bool({"supervised", "dpo"}.intersection(_methods(entry)))


@cache
def default_table() -> ModelTable:
    """Return the table loaded once from the bundled file and the user's override."""
    return ModelTable.load()
