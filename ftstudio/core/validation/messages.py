"""One message of a supervised or DPO example against OpenAI's message schemas.

The fields each role may have come from the spec's ``ChatCompletionRequest*
Message`` schemas as ``FineTuneChatRequestInput`` references them: system and
user messages take content and name; assistant messages also weight, tool
calls, a function call, a refusal and audio; tool messages content and
``tool_call_id``; function messages content and name. ``developer`` belongs to
reinforcement data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.parts import Seen, check_parts
from ftstudio.core.validation.rolekeys import MESSAGE_KEYS, ROLE_KEYS, ROLES
from ftstudio.core.validation.strays import (
    misspelling_of,
    removable_fields,
    unknown_fields,
)
from ftstudio.core.validation.tools import (
    Calls,
    check_function_call,
    check_tool_answer,
    check_tool_calls,
)
from ftstudio.core.validation.words import E, finding, names, plain, short


@dataclass
class Example:
    """What the messages of one example share while they are checked."""

    calls: Calls = field(default_factory=Calls)
    seen: Seen = field(default_factory=Seen)
    output: bool = False
    """Checking a preference answer: it may not have a weight."""


def _content(
    message: dict[str, Any], role: Any, where: str, ex: Example, out: list[Finding]
) -> None:
    content = message.get("content")
    calls = (
        message.get("tool_calls") is not None
        or message.get("function_call") is not None
    )
    if content is None:
        if role == "function" and "content" in message:
            return  # the spec lets a function's result be null
        if not (role == "assistant" and (calls or message.get("refusal"))):
            out.append(
                finding(
                    "message_missing_key",
                    E,
                    f'{where} has no content: add "content" with the message text.',
                )
            )
        return
    if isinstance(content, str):
        if (not content or content.isspace()) and not (calls and role == "assistant"):
            out.append(
                finding(
                    "missing_content",
                    E,
                    f"The content of {where.lower()} is empty: write the message "
                    "text or delete the message.",
                )
            )
        return
    if isinstance(content, list) and role != "function":
        if not content:
            out.append(
                finding(
                    "missing_content",
                    E,
                    f"The content of {where.lower()} is an empty list: write the "
                    "message text or delete the message.",
                )
            )
            return
        check_parts(content, role if isinstance(role, str) else "", where, ex.seen, out)
        return
    kind = "not text" if role == "function" else "neither text nor a list of parts"
    out.append(
        finding(
            "missing_content",
            E,
            f"The content of {where.lower()} is {short(content)}, which is {kind}: "
            "write the message text.",
        )
    )


def _weight(
    message: dict[str, Any], role: Any, where: str, ex: Example, out: list[Finding]
) -> None:
    weight = message["weight"]
    if ex.output:
        out.append(
            finding(
                "invalid_weight",
                E,
                f"{where} has a weight; OpenAI does not accept weights in "
                "preferred or non-preferred answers: remove it (the fix does).",
                fixable=True,
            )
        )
    elif role != "assistant":
        fixable = "weight" in removable_fields(message)
        out.append(
            finding(
                "invalid_weight",
                E,
                f"{where} has a weight, but only assistant messages may have one: "
                + ("remove it (the fix does)." if fixable else "remove it."),
                fixable=fixable,
            )
        )
    elif isinstance(weight, bool) or weight not in (0, 1):
        out.append(
            finding(
                "invalid_weight",
                E,
                f"{where} has the weight {short(weight)}. OpenAI accepts only 0 "
                "(do not learn from this reply) or 1 (learn from it); tutorials "
                "that suggest other values such as 0.5 are wrong.",
            )
        )


def _unknown_finding(
    message: dict[str, Any], role: Any, unknown: list[str], where: str, ex: Example
) -> Finding:
    whose = f"{role} messages" if isinstance(role, str) and role in ROLES else "it"
    allowed = (
        ROLE_KEYS.get(role, MESSAGE_KEYS) if isinstance(role, str) else MESSAGE_KEYS
    )
    meant = {k: misspelling_of(k, message, allowed) for k in unknown}
    renames = [f'"{plain(k)}" to "{m}"' for k, m in sorted(meant.items()) if m]
    if renames:
        advice = f"rename {', '.join(renames)}"
        if len(renames) < len(unknown):
            advice += " and remove the rest"
        return finding(
            "message_unrecognized_key",
            E,
            f"{where} has a field OpenAI does not accept for {whose} "
            f"({names(unknown)}): {advice}.",
        )
    fixable = set(unknown) <= set(removable_fields(message, ex.output))
    return finding(
        "message_unrecognized_key",
        E,
        f"{where} has a field OpenAI does not accept for {whose} "
        f"({names(unknown)}): remove it" + (" (the fix does)." if fixable else "."),
        fixable=fixable,
    )


def _role(message: dict[str, Any], where: str, out: list[Finding]) -> Any:
    role = message.get("role")
    if "role" not in message:
        out.append(
            finding(
                "message_missing_key",
                E,
                f'{where} has no role: add "role" (system, user or assistant).',
            )
        )
    elif role == "developer":
        out.append(
            finding(
                "developer_role",
                E,
                f'{where} has the role "developer", which OpenAI accepts only in '
                'reinforcement fine-tuning data: use "system" (the fix renames it).',
                fixable=True,
            )
        )
    elif not isinstance(role, str) or role not in ROLES:
        out.append(
            finding(
                "unrecognized_role",
                E,
                f"{where} has the role {short(role)}; use system, user, assistant, "
                "tool or function.",
            )
        )
    return role


def check_message(
    message: Any, number: int, ex: Example, out: list[Finding], where: str = ""
) -> None:
    """Check one message (``number`` is 1-based) and append what is wrong.

    ``where`` names the message in findings (default "Message <number>").
    """
    where = where or f"Message {number}"
    if not isinstance(message, dict):
        out.append(
            finding(
                "data_type",
                E,
                f"{where} is {short(message)}, not an object with a role and content.",
            )
        )
        return
    role = _role(message, where, out)
    _content(message, role, where, ex, out)
    unknown = unknown_fields(message, role)
    if unknown:
        out.append(_unknown_finding(message, role, unknown, where, ex))
    if "weight" in message:
        _weight(message, role, where, ex, out)
    if "name" in message and not isinstance(message["name"], str):
        out.append(
            finding("invalid_name", E, f'The "name" of {where.lower()} must be text.')
        )
    if role == "assistant":
        if message.get("tool_calls") is not None:
            check_tool_calls(message["tool_calls"], where, ex.calls, out)
        if message.get("function_call") is not None:
            check_function_call(message["function_call"], where, ex.calls, out)
        refusal = message.get("refusal")
        if refusal is not None and not isinstance(refusal, str):
            out.append(
                finding(
                    "invalid_refusal",
                    E,
                    f'The "refusal" of {where.lower()} must be text.',
                )
            )
    elif role == "tool":
        check_tool_answer(message, where, ex.calls, out)
    elif role == "function" and not isinstance(message.get("name"), str):
        out.append(
            finding(
                "missing_function_name",
                E,
                f'{where} is a function result without "name": add the name of '
                "the function it answers.",
            )
        )


__all__ = ["MESSAGE_KEYS", "ROLES", "Example", "check_message", "plain"]
