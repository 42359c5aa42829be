"""Golden outputs: every fine-tuned model's answers to held-out prompts, kept for later."""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.dataset.atomic import write_atomic
from ftstudio.core.errors import FtError
from ftstudio.core.progress import Progress

if TYPE_CHECKING:
    import openai

    from ftstudio.core.evaluation.testfile import Case


def golden_path(out: Path, model: str) -> Path:
    """Return the file holding ``model``'s golden answers (a chat test file)."""
    return out / "golden" / (re.sub(r"[^A-Za-z0-9._-]+", "_", model) + ".jsonl")


def _recorded(path: Path) -> int:
    try:
        return sum(1 for line in path.read_bytes().splitlines() if line.strip())
    except OSError:
        return 0


def _ask(client: openai.OpenAI, model: str, messages: list[dict[str, str]]) -> Any:
    return client.chat.completions.create(
        model=model,
        messages=messages,  # type: ignore[arg-type]
        temperature=0,
    )


def record_golden(
    client: openai.OpenAI,
    out: Path,
    models: Sequence[str],
    cases: Sequence[Case],
    cancel: CancelToken = NEVER,
) -> Generator[Progress | RetryNotice, None, list[str]]:
    """Ask each model every prompt once (temperature 0) and keep the answers.

    Each model's file is a chat test file: the prompt's messages and the model's
    reply as the assistant's, so the Evaluation view can later score a
    replacement against it. Prompts already recorded are not asked again.
    Returns the problems met, one line each (a model that no longer answers
    does not stop the others).
    """
    problems: list[str] = []
    total = len(models) * len(cases)
    for m, model in enumerate(models):
        path = golden_path(out, model)
        have = _recorded(path)
        lines: list[bytes] = []
        for i, case in enumerate(cases[have:], start=have):
            cancel.check()
            yield Progress(m * len(cases) + i, total, f"Asking {model}")
            messages = [dict(x) for x in case.messages]
            try:
                reply = yield from with_retries(
                    partial(_ask, client, model, messages), cancel
                )
            except FtError as error:
                problems.append(f"{model}: {error.message}")
                break
            answer = reply.choices[0].message.content or ""
            record = {"messages": [*messages, {"role": "assistant", "content": answer}]}
            lines.append(json.dumps(record, ensure_ascii=False).encode() + b"\n")
        if lines:
            path.parent.mkdir(parents=True, exist_ok=True)
            old = path.read_bytes() if path.is_file() else b""
            write_atomic(path, old + b"".join(lines))
    return problems
