"""Fine-tuning hyperparameters: OpenAI's documented bounds and what each means in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ftstudio.core.errors import ErrorKind, FtError


@dataclass(frozen=True)
class Bound:
    """One hyperparameter: its range, whether it is whole, and a plain explanation."""

    name: str
    label: str
    low: float
    high: float
    integer: bool
    low_exclusive: bool
    explain: str

    def check(self, value: Any) -> int | float | str:
        """Return ``value`` if allowed ("auto" or in range), else raise a plain FtError."""
        if value in (None, "auto"):
            return "auto"
        ok_type = (
            isinstance(value, int) if self.integer else isinstance(value, int | float)
        )
        # check the type before comparing: "many" > 1 raises TypeError
        if isinstance(value, bool) or not ok_type:
            raise FtError(
                ErrorKind.INPUT, f"{self.label} must be {self.describe()}, or auto."
            )
        low_ok = value > self.low if self.low_exclusive else value >= self.low
        if not low_ok or value > self.high:
            raise FtError(
                ErrorKind.INPUT, f"{self.label} must be {self.describe()}, or auto."
            )
        return int(value) if self.integer else float(value)

    def describe(self) -> str:
        """Return the allowed range in words, e.g. "a whole number from 1 to 50"."""
        if self.integer:
            return f"a whole number from {self.low:g} to {self.high:g}"
        lowest = (
            f"more than {self.low:g}"
            if self.low_exclusive
            else f"at least {self.low:g}"
        )
        return f"a number {lowest} and at most {self.high:g}"


BOUNDS: dict[str, Bound] = {
    b.name: b
    for b in (
        Bound(
            "n_epochs",
            "Epochs",
            1,
            50,
            True,
            False,
            "How many times training goes through the whole dataset. More epochs fit the "
            "examples more closely; too many and the model parrots them (overfitting).",
        ),
        Bound(
            "batch_size",
            "Batch size",
            1,
            256,
            True,
            False,
            "How many examples the model learns from at once before adjusting. Larger "
            "batches learn more smoothly but adjust less often.",
        ),
        Bound(
            "learning_rate_multiplier",
            "Learning-rate multiplier",
            0,
            10,
            False,
            True,
            "How big each adjustment is, relative to the default. Higher learns faster "
            "but can overshoot; lower is gentler.",
        ),
        Bound(
            "beta",
            "Beta (DPO)",
            0,
            2,
            False,
            True,
            "For preference training: how strongly the model is pushed toward the preferred "
            "reply over the rejected one. Higher stays closer to the original model.",
        ),
        Bound(
            "lora_r",
            "LoRA rank",
            1,
            256,
            True,
            False,
            "Local training only. How much the small add-on (LoRA adapter) can learn: "
            "higher ranks learn more and need more memory. 8 to 64 is usual.",
        ),
        Bound(
            "lora_alpha",
            "LoRA alpha",
            1,
            512,
            True,
            False,
            "Local training only. How strongly the adapter's changes count; usually "
            "twice the rank.",
        ),
        Bound(
            "learning_rate",
            "Learning rate",
            0,
            1,
            False,
            True,
            "Local training only. The exact step size; when set it replaces the "
            "learning-rate multiplier (which multiplies a base rate of 1e-4 with LoRA "
            "and 1e-5 without).",
        ),
    )
}
#: hyperparameters of the local trainer beyond OpenAI's (Nebius Token Factory's names)
LOCAL_PARAMS = ("lora", "lora_r", "lora_alpha", "learning_rate")
LORA_EXPLAIN = (
    "Train a small add-on (LoRA) on top of the model instead of changing all of it: "
    "much less memory and disk, and usually almost as good. Turn it off to train "
    "every weight (needs several times more GPU memory)."
)
LOCAL_DEFAULTS: dict[str, Any] = {"lora": True, "lora_r": 16, "lora_alpha": 32}
"""What the local trainer uses when a job does not say."""
METHOD_PARAMS = {
    "supervised": ("n_epochs", "batch_size", "learning_rate_multiplier"),
    "dpo": ("n_epochs", "batch_size", "learning_rate_multiplier", "beta"),
}
SUFFIX_MAX = 64


def check_suffix(suffix: str | None) -> str | None:
    """Return the suffix if it is 1–64 characters (or None), else raise a plain FtError."""
    if suffix is None or suffix == "":
        return None
    if len(suffix) > SUFFIX_MAX:
        msg = f"The model name suffix can have at most {SUFFIX_MAX} characters (it has {len(suffix)})."
        raise FtError(ErrorKind.INPUT, msg)
    return suffix


def method_payload(method: str, values: dict[str, Any]) -> dict[str, Any]:
    """Return the ``method`` object of a create-job request, checking every value."""
    if method not in METHOD_PARAMS:
        raise FtError(
            ErrorKind.INPUT,
            f"Unknown training method {method!r}: choose supervised or dpo.",
        )
    hyper = {
        name: BOUNDS[name].check(values.get(name)) for name in METHOD_PARAMS[method]
    }
    return {"type": method, method: {"hyperparameters": hyper}}


def local_payload(values: dict[str, Any]) -> dict[str, Any]:
    """Return the local trainer's extra hyperparameters, checking every value.

    ``values`` holds ``lora`` (bool), ``lora_r``, ``lora_alpha`` and
    ``learning_rate`` ("auto" or missing: the multiplier decides). The rank and
    alpha are sent only with LoRA on.
    """
    lora = values.get("lora", LOCAL_DEFAULTS["lora"])
    if not isinstance(lora, bool):
        raise FtError(ErrorKind.INPUT, "LoRA must be on or off.")
    out: dict[str, Any] = {"lora": lora}
    if lora:
        for name in ("lora_r", "lora_alpha"):
            value = BOUNDS[name].check(values.get(name, LOCAL_DEFAULTS[name]))
            if value != "auto":
                out[name] = value
    rate = BOUNDS["learning_rate"].check(values.get("learning_rate"))
    if rate != "auto":
        out["learning_rate"] = rate
    return out
