"""The rules one example must pass, in plain words (no line numbers: the caller adds them).

Each ``check_*`` function looks at one parsed line and returns findings whose
``line`` is None; :mod:`ftstudio.core.validation.linecheck` puts them together.
Supervised lines follow the spec's ``FineTuneChatRequestInput``, preference
lines ``FineTunePreferenceRequestInput`` (with OpenAI's documented
``preferred_output`` names; the spec's ``*_completion`` names are accepted
too), prompt/completion lines the legacy ``prepare_data`` tool's checks.
"""

from __future__ import annotations

from typing import Any

from ftstudio.core.dataset.formats import Foreign, foreign_format
from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.messages import (
    MESSAGE_KEYS,
    ROLES,
    Example,
    check_message,
)
from ftstudio.core.validation.parts import too_many_images
from ftstudio.core.validation.tooldefs import check_definitions
from ftstudio.core.validation.tools import undeclared_finding
from ftstudio.core.validation.words import E, W, finding, names, plain, short

CHAT_KEYS = frozenset({"messages", "tools", "parallel_tool_calls", "functions"})
INPUT_KEYS = frozenset({"messages", "tools", "parallel_tool_calls"})
PREFERENCE_TOP = frozenset(
    {
        "input",
        "preferred_output",
        "non_preferred_output",
        "preferred_completion",
        "non_preferred_completion",
    }
)
COMPLETION_KEYS = frozenset({"prompt", "completion"})
_CONVERT = {
    Foreign.ALPACA: "an Alpaca example (instruction/input/output)",
    Foreign.SHAREGPT: "a ShareGPT example (conversations of from/value turns)",
    Foreign.TRL_PREFERENCE: "a TRL preference example (prompt/chosen/rejected)",
}


def merge_same_code(found: list[Finding]) -> list[Finding]:
    """Keep one finding per code, noting how many more of the same kind there are."""
    first: dict[str, Finding] = {}
    extra: dict[str, int] = {}
    for f in found:
        if f.code in first:
            extra[f.code] = extra.get(f.code, 0) + 1
        else:
            first[f.code] = f
    out = []
    for code, kept in first.items():
        more = extra.get(code)
        f = kept
        if more:
            f = Finding(
                None,
                code,
                f.severity,
                f"{f.message} ({more} more like this.)",
                f.fixable,
            )
        out.append(f)
    return out


def _extra_keys(
    value: dict[str, Any], allowed: frozenset[str], what: str
) -> Finding | None:
    unknown = [k for k in value if k not in allowed]
    if not unknown:
        return None
    return finding(
        "unrecognized_example_key",
        W,
        f"This {what} has a field that is not part of OpenAI's format "
        f"({names(unknown)}); training does not use it: remove it to keep the "
        "file to what OpenAI reads.",
    )


def check_foreign(value: Any) -> list[Finding]:
    """Return the convert-it finding for a line in another tool's format, or []."""
    kind = foreign_format(value)
    if kind is None:
        return []
    if kind is Foreign.CAPITALISED:
        return [
            finding(
                "capitalised_keys",
                E,
                "This example writes Prompt/Completion with capital letters; OpenAI "
                'needs "prompt" and "completion" in lower case (the fix renames them).',
                fixable=True,
            )
        ]
    target = "preference" if kind is Foreign.TRL_PREFERENCE else "chat"
    return [
        finding(
            "foreign_format",
            E,
            f"This looks like {_CONVERT[kind]}, not one of OpenAI's formats: convert "
            f"it to OpenAI's {target} format.",
        )
    ]


def _messages(messages: list[Any], ex: Example, out: list[Finding]) -> None:
    for number, message in enumerate(messages, 1):
        check_message(message, number, ex, out)


def _closing(ex: Example, out: list[Finding]) -> None:
    for extra in (undeclared_finding(ex.calls), too_many_images(ex.seen)):
        if extra is not None:
            out.append(extra)


def check_chat(value: dict[str, Any]) -> list[Finding]:
    """Check a supervised chat example (``{"messages": [...]}``)."""
    foreign = check_foreign(value)
    if foreign:
        return foreign
    messages = value.get("messages")
    if not isinstance(messages, list) or not messages:
        return [
            finding(
                "missing_messages_list",
                E,
                'This example has no list of messages: it needs "messages": '
                "[ ... ] with at least one user and one assistant message.",
            )
        ]
    out: list[Finding] = []
    ex = Example()
    check_definitions(value, ex.calls, out)
    _messages(messages, ex, out)
    _closing(ex, out)
    extra = _extra_keys(value, CHAT_KEYS, "example")
    if extra is not None:
        out.append(extra)
    out = merge_same_code(out)
    replies = [
        m for m in messages if isinstance(m, dict) and m.get("role") == "assistant"
    ]
    if not replies:
        out.append(
            finding(
                "example_missing_assistant_message",
                E,
                "This example has no assistant message, so there is nothing for the "
                "model to learn: add the reply you want.",
            )
        )
    elif all(m.get("weight", 1) == 0 for m in replies):
        out.append(
            finding(
                "no_trainable_messages",
                E,
                "Every assistant message here has weight 0, so the model learns "
                "nothing from this example: set at least one weight to 1.",
            )
        )
    return out


def _output(value: dict[str, Any], key: str) -> Any:
    output = value.get(key)
    return value.get(key.replace("output", "completion")) if output is None else output


def check_preference(value: dict[str, Any]) -> list[Finding]:
    """Check a preference (DPO) example."""
    foreign = check_foreign(value)
    if foreign:
        return foreign
    out: list[Finding] = []
    ex = Example()
    given = value.get("input")
    messages = given.get("messages") if isinstance(given, dict) else None
    if not isinstance(messages, list) or not messages:
        out.append(
            finding(
                "invalid_preference_example",
                E,
                'This preference example has no "input" with a list of "messages": '
                "add the conversation the two answers reply to.",
            )
        )
    else:
        assert isinstance(given, dict)
        check_definitions(given, ex.calls, out)
        _messages(messages, ex, out)
        extra = _extra_keys(given, INPUT_KEYS, 'example\'s "input"')
        if extra is not None:
            out.append(extra)
    answers: list[Any] = []
    ex.output = True
    for key in ("preferred_output", "non_preferred_output"):
        output = _output(value, key)
        label = "preferred" if key.startswith("preferred") else "non-preferred"
        problem = "is missing" if output is None else _output_problem(output)
        if problem:
            out.append(
                finding(
                    "invalid_preference_example",
                    E,
                    f'The {label} answer ("{key}") {problem}.',
                )
            )
            continue
        where = f"The {label} answer"
        check_message(output[0], len(answers) + 1, ex, out, where)
        answers.append(output[0])
    _closing(ex, out)
    extra = _extra_keys(value, PREFERENCE_TOP, "preference example")
    if extra is not None:
        out.append(extra)
    if len(answers) == 2 and answers[0] == answers[1]:
        out.append(
            finding(
                "identical_preference_outputs",
                W,
                "The preferred and non-preferred answers are the same, so the model "
                "cannot learn which one is better: change one of them.",
            )
        )
    return merge_same_code(out)


def _output_problem(output: Any) -> str | None:
    if not isinstance(output, list) or len(output) != 1:
        return "must be a list of exactly one assistant message"
    message = output[0]
    if not isinstance(message, dict) or message.get("role") != "assistant":
        return "must be a list of exactly one assistant message"
    if message.get("content") is None and message.get("tool_calls") is None:
        return "has an assistant message without content"
    return None


def check_completion(value: dict[str, Any]) -> list[Finding]:
    """Check a legacy prompt/completion example (the ``prepare_data`` line checks)."""
    foreign = check_foreign(value)
    if foreign:
        return foreign
    bad = [k for k in ("prompt", "completion") if not isinstance(value.get(k), str)]
    out: list[Finding] = []
    if bad:
        keys = " and ".join(f'"{k}"' for k in bad)
        verb = "is" if len(bad) == 1 else "are"
        out.append(
            finding(
                "invalid_completion_example",
                E,
                f"In this prompt/completion example {keys} {verb} missing or not text.",
            )
        )
    elif not value["completion"].strip():
        out.append(
            finding(
                "empty_completion",
                E,
                "The completion of this example is empty, so there is nothing to "
                "learn: write the completion or delete the example.",
            )
        )
    extra = _extra_keys(value, COMPLETION_KEYS, "prompt/completion example")
    if extra is not None:
        out.append(extra)
    return out


__all__ = [
    "MESSAGE_KEYS",
    "ROLES",
    "check_chat",
    "check_completion",
    "check_preference",
    "finding",
    "plain",
    "short",
]
