"""Findings about the dataset as a whole: its size, its formats, the target model."""

from __future__ import annotations

from ftstudio.core.dataset.formats import Format
from ftstudio.core.models import ModelInfo
from ftstudio.core.validation.findings import Finding, Severity

MIN_EXAMPLES = 10
RECOMMENDED_EXAMPLES = 50
_FORMAT_WORDS = {
    Format.CHAT: "chat (messages)",
    Format.PREFERENCE: "preference (preferred and non-preferred answers)",
    Format.COMPLETION: "prompt/completion",
}


def _file(code: str, severity: Severity, message: str) -> Finding:
    return Finding(None, code, severity, message)


def size_findings(examples: int) -> list[Finding]:
    """Return the too-few or few-examples finding, if any."""
    if examples < MIN_EXAMPLES:
        return [
            _file(
                "too_few_examples",
                Severity.ERROR,
                f"The file has {examples} example{'s' if examples != 1 else ''}; "
                f"OpenAI needs at least {MIN_EXAMPLES} to start training.",
            )
        ]
    if examples < RECOMMENDED_EXAMPLES:
        return [
            _file(
                "few_examples",
                Severity.WARNING,
                f"The file has {examples} examples. Training works, but results "
                f"usually improve clearly with {RECOMMENDED_EXAMPLES} to 100 good "
                "examples.",
            )
        ]
    return []


def format_findings(
    fmt: Format, counts: dict[Format, int], info: ModelInfo
) -> list[Finding]:
    """Return mixed formats, or a format the target model does not train on."""
    if fmt is Format.MIXED:
        parts = ", ".join(
            f"{n:,} {_FORMAT_WORDS[f]}"
            for f, n in counts.items()
            if n and f in _FORMAT_WORDS
        )
        return [
            _file(
                "mixed_formats",
                Severity.ERROR,
                f"The file mixes example formats ({parts}). All examples must use "
                "the same format: convert or remove the odd ones.",
            )
        ]
    if fmt is Format.COMPLETION and not info.is_completion_model:
        return [
            _file(
                "format_model_mismatch",
                Severity.ERROR,
                f"The examples are prompt/completion pairs, but {info.name} trains "
                "on chat messages. Convert them to chat, or pick babbage-002 or "
                "davinci-002.",
            )
        ]
    if fmt in (Format.CHAT, Format.PREFERENCE) and info.is_completion_model:
        return [
            _file(
                "format_model_mismatch",
                Severity.ERROR,
                f"{info.name} trains on prompt/completion pairs, but these examples "
                f"are {_FORMAT_WORDS[fmt]}. Pick a chat model such as gpt-4o-mini.",
            )
        ]
    return []


def model_findings(info: ModelInfo) -> list[Finding]:
    """Return what ftstudio does not know about the target model."""
    out = []
    if not {"supervised", "dpo"}.intersection(info.methods):
        methods = " and ".join(info.methods) or "no method"
        out.append(
            _file(
                "model_not_trainable",
                Severity.ERROR,
                f"OpenAI fine-tunes {info.name} only with {methods} fine-tuning, "
                "which needs a different kind of file (with a grader) that ftstudio "
                "does not prepare: pick another model, such as gpt-4.1-mini.",
            )
        )
    if not info.known:
        out.append(
            _file(
                "unknown_model",
                Severity.WARNING,
                f"ftstudio does not know the model {info.name}: check the name. Token "
                "counts assume its tokenizer is "
                + ("cl100k_base." if info.encoding == "cl100k_base" else "o200k_base."),
            )
        )
    if info.training_context is None:
        out.append(
            _file(
                "unknown_token_limit",
                Severity.INFO,
                f"ftstudio does not know how many tokens {info.name} trains on per "
                "example, so it cannot warn about examples that will be cut short.",
            )
        )
    if info.price_per_1m is None:
        out.append(
            _file(
                "unknown_price",
                Severity.INFO,
                f"The training price of {info.name} is unknown, so there is no cost "
                "estimate. You can add it to your own models.json.",
            )
        )
    return out


def file_findings(
    fmt: Format, counts: dict[Format, int], examples: int, info: ModelInfo
) -> list[Finding]:
    """Return every file-level finding that does not depend on the file's bytes."""
    return [
        *format_findings(fmt, counts, info),
        *size_findings(examples),
        *model_findings(info),
    ]
