"""Extra job fields a provider reads (Azure's training tier, Nebius' LoRA), checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.providers import get

_FIELD_OF = {
    "training_type": "trainingType",
    "lora": "lora",
    "lora_r": "lora_r",
    "lora_alpha": "lora_alpha",
    "lora_dropout": "lora_dropout",
}
_OPTION = {
    "training_type": "--training-type",
    "lora": "--lora",
    "lora_r": "--lora-r",
    "lora_alpha": "--lora-alpha",
    "lora_dropout": "--lora-dropout",
}


def job_fields(provider: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the extra body of a create-job request for ``provider``.

    ``values`` maps ``training_type``, ``lora``, ``lora_r``, ``lora_alpha`` and
    ``lora_dropout`` to what the user gave (None when not given). Azure also
    gets its suffix limit checked by the caller.

    Raises
    ------
    FtError
        When a field is given for a provider that does not read it, or a value
        is out of range, in plain words.
    """
    preset = get(provider)
    given = {k: v for k, v in values.items() if v is not None and v is not False}
    body: dict[str, Any] = {}
    for key, value in given.items():
        field = _FIELD_OF[key]
        if field not in preset.job_fields:
            takers = [
                p for p in ("azure", "nebius", "local") if field in get(p).job_fields
            ]
            msg = f"{_OPTION[key]} is for {' and '.join(takers)} only, not {preset.label}."
            raise FtError(ErrorKind.INPUT, msg)
        body[field] = value
    if "trainingType" in body:
        from ftstudio.core.providers.azure import check_tier

        body["trainingType"] = check_tier(str(body["trainingType"]))
    lora_keys = ("lora_r", "lora_alpha", "lora_dropout")
    if preset.name == "nebius" and any(k in body for k in lora_keys):
        body["lora"] = True
    for key in ("lora_r", "lora_alpha"):
        if key in body and int(body[key]) < 1:
            raise FtError(ErrorKind.INPUT, f"{_OPTION[key]} must be 1 or more.")
    if "lora_dropout" in body and not 0.0 <= float(body["lora_dropout"]) < 1.0:
        raise FtError(
            ErrorKind.INPUT, "--lora-dropout must be from 0 up to (not including) 1."
        )
    return body
