"""The models a user can chat with: base models, their fine-tuned models and checkpoints."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.cancel import NEVER, CancelToken

if TYPE_CHECKING:
    import openai

RECENT_JOBS = 20
"""Checkpoints are looked up for this many recent successful jobs (one request each)."""


@dataclass(frozen=True)
class ModelChoices:
    """Model names for a picker, in three groups."""

    base: tuple[str, ...]
    tuned: tuple[str, ...]
    checkpoints: tuple[str, ...]


def available_models(
    client: openai.OpenAI, cancel: CancelToken = NEVER
) -> Generator[RetryNotice, None, ModelChoices]:
    """Ask the service which models there are; yield a notice before each retry.

    Base models are the chat models the service lists (``gpt-…``, ``o…``, and
    any model folder of the local trainer),
    fine-tuned ones start with ``ft:``; checkpoints come from the most recent
    successful fine-tuning jobs, newest first.
    """
    listed = yield from with_retries(lambda: list(client.models.list()), cancel)
    names = sorted({m.id for m in listed})
    # the local trainer's base models are folders with any name: all chat models
    local = {m.id for m in listed if getattr(m, "owned_by", "") == "local"}
    tuned = [n for n in names if n.startswith("ft:")]
    base = [
        n
        for n in names
        if not n.startswith("ft:") and (_is_chat_model(n) or n in local)
    ]
    jobs = yield from with_retries(
        lambda: list(client.fine_tuning.jobs.list(limit=RECENT_JOBS)), cancel
    )
    checkpoints: list[str] = []
    for job in jobs:
        cancel.check()
        if job.status != "succeeded":
            continue
        found = yield from with_retries(partial(_checkpoints, client, job.id), cancel)
        checkpoints += [
            c.fine_tuned_model_checkpoint
            for c in found
            if c.fine_tuned_model_checkpoint not in tuned
        ]
    return ModelChoices(tuple(base), tuple(tuned), tuple(checkpoints))


def _checkpoints(client: openai.OpenAI, job_id: str) -> list[Any]:
    return list(client.fine_tuning.jobs.checkpoints.list(job_id))


def _is_chat_model(name: str) -> bool:
    # The real service also lists embedding, image and audio models: not for chat.
    unfit = (
        "embedding",
        "whisper",
        "tts",
        "dall-e",
        "moderation",
        "babbage",
        "davinci",
    )
    return name.startswith(("gpt-", "o1", "o3", "o4", "chatgpt")) and not any(
        word in name for word in unfit
    )
