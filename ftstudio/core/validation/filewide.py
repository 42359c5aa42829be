"""Findings over every line's result: images, estimates, formats, legacy checks.

Images the target model cannot train on, token counts that are estimates,
files in another tool's format, and the legacy tool's all-identical checks.
They read the per-key arrays (:class:`KeyResults`), so they stay vectorised
and cheap after every edit, and they depend on the target model without any
line being checked again.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ftstudio.core.dataset.formats import Foreign, Format
from ftstudio.core.models import ModelInfo
from ftstudio.core.validation.cache import KeyResults
from ftstudio.core.validation.findings import Finding, Severity
from ftstudio.core.validation.linecheck import (
    ESTIMATED,
    FOREIGN_KINDS,
    FOREIGN_SHIFT,
    IMAGES,
    UNKNOWN_IMAGES,
)

Rows = npt.NDArray[np.int64]
_TARGET = {
    Foreign.TRL_PREFERENCE: "preference",
    Foreign.CAPITALISED: "prompt/completion",
}


def images_not_supported(line: int, model: str) -> Finding:
    """Return the finding for an example with images that ``model`` cannot train on."""
    return Finding(
        line,
        "images_not_supported",
        Severity.ERROR,
        f"This example has images, but OpenAI fine-tunes {model} on text only: "
        "pick gpt-4o-2024-08-06 or gpt-4.1-2025-04-14, or remove the images.",
    )


def image_rows(res: KeyResults, keys: Rows, objects: Rows, info: ModelInfo) -> Rows:
    """Return the rows with images when ``info`` cannot train on them."""
    if info.vision:
        return objects[:0]
    flags = res.flags[keys][objects]
    rows: Rows = objects[(flags & IMAGES) != 0]
    return rows


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def estimate_findings(res: KeyResults, keys: Rows, objects: Rows) -> list[Finding]:
    """Say how many token counts are estimates, and why."""
    flags = res.flags[keys][objects]
    estimated = int(np.count_nonzero(flags & ESTIMATED))
    out = []
    if estimated:
        out.append(
            Finding(
                None,
                "estimated_tokens",
                Severity.INFO,
                f"The token counts of {_plural(estimated, 'example')} are estimates: "
                "they hold tools, tool calls or images, which ftstudio counts by "
                "OpenAI's published method; OpenAI's own count may differ a little.",
            )
        )
    unknown = int(np.count_nonzero(flags & UNKNOWN_IMAGES))
    if unknown:
        out.append(
            Finding(
                None,
                "image_size_unknown",
                Severity.INFO,
                f"{_plural(unknown, 'example')} {'links' if unknown == 1 else 'link'} "
                "to images on the web. ftstudio "
                "works offline and cannot know their size without downloading "
                "them, so each is counted as a 1024 × 1024 picture (765 tokens).",
            )
        )
    return out


def foreign_findings(res: KeyResults, keys: Rows, objects: Rows) -> list[Finding]:
    """Return "this looks like an Alpaca file: convert it" when most lines are."""
    if not len(objects):
        return []
    kinds = (res.flags[keys][objects].astype(np.int64) >> FOREIGN_SHIFT) & 7
    counts = np.bincount(kinds, minlength=len(FOREIGN_KINDS) + 1)
    top = int(np.argmax(counts[1:])) + 1
    if counts[top] * 2 < len(objects):
        return []
    kind = FOREIGN_KINDS[top - 1]
    target = _TARGET.get(kind, "chat")
    return [
        Finding(
            None,
            "foreign_file",
            Severity.ERROR,
            f"This looks like {'a' if kind is not Foreign.ALPACA else 'an'} "
            f"{kind.value} file, not one of OpenAI's formats: convert it to "
            f"OpenAI's {target} format.",
        )
    ]


def legacy_findings(
    res: KeyResults, keys: Rows, objects: Rows, fmt: Format
) -> list[Finding]:
    """Return the legacy ``prepare_data`` tool's file checks for completion data."""
    if fmt is not Format.COMPLETION or len(objects) < 2:
        return []
    out = []
    for name, column, why in (
        ("prompts", res.prompt, "the model cannot learn to tell the inputs apart"),
        ("completions", res.completion, "the model would learn to always give it"),
    ):
        values = column[keys][objects]
        values = values[values != 0]
        if len(values) >= 2 and np.all(values == values[0]):
            out.append(
                Finding(
                    None,
                    f"identical_{name}",
                    Severity.WARNING,
                    f"All {name} in the file are the same, so {why}: check that the "
                    f"{name} were filled in correctly.",
                )
            )
    return out
