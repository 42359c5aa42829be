"""The rules one example must pass, in plain words (no line numbers: the caller adds them).

Each ``check_*`` function looks at one parsed line and returns findings whose
``line`` is None; :mod:`ftstudio.core.validation.linecheck` puts them together.
"""

from __future__ import annotations

from typing import Any

from ftstudio.core.validation.findings import Finding, Severity

E, W = Severity.ERROR, Severity.WARNING

MESSAGE_KEYS = frozenset(
    {
        "role",
        "content",
        "name",
        "weight",
        "tool_calls",
        "tool_call_id",
        "function_call",
        "refusal",
    }
)
ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})


def finding(
    code: str, severity: Severity, message: str, fixable: bool = False
) -> Finding:
    """Return a finding not yet tied to a line."""
    return Finding(None, code, severity, message, fixable)


def plain(text: str) -> str:
    """Return ``text`` safe to print: lone surrogates (valid in JSON) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def short(value: Any, limit: int = 40) -> str:
    """Return a short printable form of a value from the dataset."""
    text = plain(repr(value))
    return text if len(text) <= limit else text[: limit - 3] + "…"


def _content_problem(content: Any) -> str | None:
    """Say what is wrong with a message's content, or None when it is fine."""
    if isinstance(content, str):
        return None if content.strip() else "is empty"
    if isinstance(content, list):
        if not content:
            return "is an empty list"
        for part in content:
            if not isinstance(part, dict) or not isinstance(part.get("type"), str):
                return "has a part without a type"
            if part["type"] == "text" and not (
                isinstance(part.get("text"), str) and part["text"].strip()
            ):
                return "has an empty text part"
        return None
    return f"is {short(content)}, which is neither text nor a list of parts"


def check_message(message: Any, number: int, out: list[Finding]) -> None:
    """Check one message (``number`` is 1-based) and append what is wrong."""
    where = f"Message {number}"
    if not isinstance(message, dict):
        out.append(
            finding(
                "data_type",
                E,
                f"{where} is {short(message)}, not an object with a role and content.",
            )
        )
        return
    role = message.get("role")
    calls = (
        message.get("tool_calls") is not None
        or message.get("function_call") is not None
    )
    if "role" not in message:
        out.append(
            finding(
                "message_missing_key",
                E,
                f'{where} has no role: add "role" (system, user or assistant).',
            )
        )
    elif not isinstance(role, str) or role not in ROLES:
        out.append(
            finding(
                "unrecognized_role",
                E,
                f"{where} has the role {short(role)}; use system, developer, user, "
                "assistant, tool or function.",
            )
        )
    content = message.get("content")
    if content is None:
        if not (role == "assistant" and calls):
            out.append(
                finding(
                    "message_missing_key",
                    E,
                    f'{where} has no content: add "content" with the message text.',
                )
            )
    else:
        problem = _content_problem(content)
        if problem and not (calls and role == "assistant" and content == ""):
            out.append(
                finding(
                    "missing_content",
                    E,
                    f"The content of {where.lower()} {problem}: write the message "
                    "text or delete the message.",
                )
            )
    unknown = sorted(str(k) for k in message if k not in MESSAGE_KEYS)
    if unknown:
        names = ", ".join(f'"{plain(k)}"' for k in unknown)
        out.append(
            finding(
                "message_unrecognized_key",
                E,
                f"{where} has a field OpenAI does not accept ({names}): remove it.",
            )
        )
    if "weight" in message:
        weight = message["weight"]
        if role != "assistant":
            out.append(
                finding(
                    "invalid_weight",
                    E,
                    f"{where} has a weight, but only assistant messages may have one: "
                    "remove it.",
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


def check_messages(messages: list[Any], out: list[Finding]) -> None:
    """Check every message of a list."""
    for number, message in enumerate(messages, 1):
        check_message(message, number, out)


def check_chat(value: dict[str, Any]) -> list[Finding]:
    """Check a chat example (``{"messages": [...]}``)."""
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
    check_messages(messages, out)
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


def _output_problem(output: Any) -> str | None:
    if not isinstance(output, list) or len(output) != 1:
        return "must be a list of exactly one assistant message"
    message = output[0]
    if not isinstance(message, dict) or message.get("role") != "assistant":
        return "must be a list of exactly one assistant message"
    if message.get("content") is None and message.get("tool_calls") is None:
        return "has an assistant message without content"
    return None


def check_preference(value: dict[str, Any]) -> list[Finding]:
    """Check a preference (DPO) example."""
    out: list[Finding] = []
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
        check_messages(messages, out)
    for key in ("preferred_output", "non_preferred_output"):
        alias = key.replace("output", "completion")
        output = value.get(key, value.get(alias))
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
    return merge_same_code(out)


def check_completion(value: dict[str, Any]) -> list[Finding]:
    """Check a legacy prompt/completion example."""
    bad = [k for k in ("prompt", "completion") if not isinstance(value.get(k), str)]
    if not bad:
        return []
    names = " and ".join(f'"{k}"' for k in bad)
    verb = "is" if len(bad) == 1 else "are"
    return [
        finding(
            "invalid_completion_example",
            E,
            f"In this prompt/completion example {names} {verb} missing or not text.",
        )
    ]
