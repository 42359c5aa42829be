"""Check a create-job request and resolve its ``auto`` hyperparameters as OpenAI does."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from typing import Any

from ftstudio.core.cost import auto_epochs
from ftstudio.core.errors import FtError
from ftstudio.core.hyperparams import BOUNDS, METHOD_PARAMS
from ftstudio.sandbox.errors import ApiError, bad_request
from ftstudio.sandbox.job import HyperValue

# One source of truth for the documented bounds: the studio's form uses them too.
METHOD_KEYS = METHOD_PARAMS
MAX_SUFFIX = 64
MAX_METADATA = 16


@dataclass(frozen=True)
class JobRequest:
    """A checked create-job request (hyperparameters may still be ``"auto"``)."""

    model: str
    training_file: str
    validation_file: str | None
    method: str
    hyperparameters: dict[str, Any]
    suffix: str | None
    seed: int
    metadata: dict[str, str] | None


def _check_value(name: str, value: Any, where: str) -> Any:
    if name == "lora":
        if value is None or value == "auto" or isinstance(value, bool):
            return "auto" if value is None else value
        raise bad_request(
            "Invalid lora: must be true or false, or 'auto'.",
            param=where,
            code="invalid_hyperparameter",
        )
    bound = BOUNDS[name]
    try:
        bound.check(value)
    except FtError as exc:
        raise bad_request(
            f"Invalid {name}: must be {bound.describe()}, or 'auto'.",
            param=where,
            code="invalid_hyperparameter",
        ) from exc
    return "auto" if value is None else value


def _string(body: dict[str, Any], key: str, *, required: bool) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise bad_request(f"Missing required parameter: '{key}'.", param=key)
        return None
    if not isinstance(value, str) or not value:
        raise bad_request(f"Invalid '{key}': expected a non-empty string.", param=key)
    return value


def _metadata(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) > MAX_METADATA:
        raise bad_request(
            f"Invalid 'metadata': expected an object with at most {MAX_METADATA} keys.",
            param="metadata",
        )
    for key, val in value.items():
        if not isinstance(val, str) or len(key) > 64 or len(val) > 512:
            raise bad_request(
                "Invalid 'metadata': keys are strings of at most 64 characters and values strings of at most 512.",
                param="metadata",
            )
    return dict(value)


def parse_job_request(body: Any, extra: tuple[str, ...] = ()) -> JobRequest:
    """Check ``body`` of ``POST /fine_tuning/jobs``; raise a 400 :class:`ApiError`.

    ``extra`` names hyperparameters the trainer accepts beyond OpenAI's (the
    local trainer's LoRA settings), in the method's or the top-level object.
    """
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    model = _string(body, "model", required=True)
    training = _string(body, "training_file", required=True)
    validation = _string(body, "validation_file", required=False)
    suffix = body.get("suffix")
    if suffix is not None and (
        not isinstance(suffix, str) or not 1 <= len(suffix) <= MAX_SUFFIX
    ):
        raise bad_request(
            f"Invalid 'suffix': a string of 1 to {MAX_SUFFIX} characters.",
            param="suffix",
        )
    seed = body.get("seed")
    if seed is None:
        seed = secrets.randbelow(2**31)
    elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**31:
        raise bad_request(
            "Invalid 'seed': an integer from 0 to 2147483647.", param="seed"
        )
    method_obj = body.get("method") or {"type": "supervised"}
    method = method_obj.get("type") if isinstance(method_obj, dict) else None
    if method == "reinforcement":
        raise bad_request(
            "The sandbox simulates supervised and dpo fine-tuning, not reinforcement.",
            param="method.type",
        )
    if method not in METHOD_KEYS:
        raise bad_request(
            "Invalid 'method.type': expected 'supervised' or 'dpo'.",
            param="method.type",
        )
    legacy = body.get("hyperparameters") or {}
    inner = method_obj.get(method) or {}
    given = (inner.get("hyperparameters") or {}) if isinstance(inner, dict) else None
    if not isinstance(legacy, dict) or not isinstance(given, dict):
        raise bad_request(
            "Invalid 'hyperparameters': expected an object.", param="hyperparameters"
        )
    hyper: dict[str, Any] = {}
    names = (*METHOD_KEYS[method], *extra)
    for name in names:
        where = f"method.{method}.hyperparameters.{name}"
        raw = given.get(name, legacy.get(name))
        if raw is None and name in extra:  # Nebius-style: beside the method
            raw = body.get(name)
        hyper[name] = _check_value(name, raw, where)
    unknown = set(given) - set(names)
    if unknown:
        name = sorted(unknown)[0]
        raise bad_request(
            f"Unknown hyperparameter '{name}' for method '{method}'.",
            param=f"method.{method}.hyperparameters.{name}",
        )
    assert model is not None
    assert training is not None
    return JobRequest(
        model,
        training,
        validation,
        method,
        hyper,
        suffix,
        seed,
        _metadata(body.get("metadata")),
    )


def resolve(request: JobRequest, examples: int) -> dict[str, HyperValue]:
    """Return the hyperparameters with every ``auto`` replaced by its value."""
    hyper: dict[str, HyperValue] = dict(request.hyperparameters)
    if hyper["n_epochs"] == "auto":
        hyper["n_epochs"] = auto_epochs(examples)
    if hyper["batch_size"] == "auto":
        # OpenAI picks about 0.2% of the examples, at least 1, at most 256.
        hyper["batch_size"] = max(1, min(256, math.ceil(examples * 0.002)))
    if hyper["learning_rate_multiplier"] == "auto":
        hyper["learning_rate_multiplier"] = (
            1.8 if request.method == "supervised" else 0.1
        )
    if hyper.get("beta") == "auto":
        hyper["beta"] = 0.1
    return hyper


def model_unavailable(model: str) -> ApiError:
    """Return the 400 OpenAI answers for a model that cannot be fine-tuned."""
    return bad_request(
        f"Model {model} is not available for fine-tuning or does not exist.",
        param="model",
        code="model_not_available",
    )
