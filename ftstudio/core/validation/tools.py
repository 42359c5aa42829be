"""Tool calls in assistant messages, and the tool messages that answer them.

Structure follows OpenAI's spec (definitions: :mod:`.tooldefs`):
``ChatCompletionMessageToolCall`` (``id``, ``type``
"function", ``function`` with string ``name`` and ``arguments``) and the
boolean ``parallel_tool_calls``. Quality warnings go beyond the schema:
arguments that are not JSON, calls to a tool the example does not declare, and
tool answers that reply to no call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import orjson

from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.words import E, W, finding, plain, short


@dataclass
class Calls:
    """The tools one example declares and the calls its messages make."""

    declared: frozenset[str] | None = None
    """Names from ``tools`` and ``functions`` (None: the example declares none)."""
    ids: set[str] = field(default_factory=set)
    parallel: bool = True
    undeclared: set[str] = field(default_factory=set)


def _arguments(args: Any, where: str, out: list[Finding]) -> None:
    if isinstance(args, dict | list):
        out.append(
            finding(
                "tool_arguments_not_string",
                E,
                f"{where} gives its arguments as a JSON object; OpenAI needs them as "
                "text holding JSON. The fix writes them as text.",
                fixable=True,
            )
        )
        return
    if not isinstance(args, str):
        out.append(
            finding(
                "invalid_tool_call",
                E,
                f'{where} has no "arguments" text: give the arguments as JSON text, '
                'such as "{}".',
            )
        )
        return
    if not is_json(args):
        out.append(
            finding(
                "tool_arguments_not_json",
                W,
                f"The arguments of {where.lower()} are not valid JSON "
                f"({short(args)}): the model would learn to write broken calls.",
            )
        )


def is_json(text: str) -> bool:
    """Whether ``text`` is JSON as Python's json reads it (NaN included).

    orjson first (several times faster): whatever it reads, the stdlib reads
    too; only what it refuses is asked of the stdlib.
    """
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        try:
            json.loads(text)
        except ValueError:
            return False
    return True


def _called(name: Any, calls: Calls) -> None:
    if isinstance(name, str) and calls.declared is not None:
        if name not in calls.declared:
            calls.undeclared.add(name)
    elif isinstance(name, str):
        calls.undeclared.add(name)


def check_tool_calls(
    tool_calls: Any, where: str, calls: Calls, out: list[Finding]
) -> None:
    """Check the ``tool_calls`` of an assistant message."""
    if not isinstance(tool_calls, list):
        out.append(
            finding(
                "invalid_tool_call",
                E,
                f'The "tool_calls" of {where.lower()} must be a list of calls, not '
                f"{short(tool_calls)}.",
            )
        )
        return
    if len(tool_calls) > 1 and not calls.parallel:
        out.append(
            finding(
                "parallel_calls_disabled",
                W,
                f"{where} makes {len(tool_calls)} tool calls at once although "
                '"parallel_tool_calls" is false: set it to true or make one call '
                "per message.",
            )
        )
    for number, call in enumerate(tool_calls, 1):
        at = f"Tool call {number} of {where.lower()}"
        if not isinstance(call, dict):
            out.append(
                finding(
                    "invalid_tool_call", E, f"{at} is {short(call)}, not an object."
                )
            )
            continue
        missing = [k for k in ("id", "type", "function") if k not in call]
        if missing:
            out.append(
                finding(
                    "invalid_tool_call",
                    E,
                    f"{at} has no {' and no '.join(missing)}: each call needs an "
                    '"id", "type": "function" and a "function" with name and '
                    "arguments.",
                )
            )
        if "id" in call and not isinstance(call["id"], str):
            out.append(
                finding("invalid_tool_call", E, f'{at} has an "id" that is not text.')
            )
        elif isinstance(call.get("id"), str):
            calls.ids.add(call["id"])
        if "type" in call and call["type"] != "function":
            out.append(
                finding(
                    "invalid_tool_call",
                    E,
                    f'{at} has the type {short(call["type"])}: use "function".',
                )
            )
        function = call.get("function")
        if "function" in call and not isinstance(function, dict):
            out.append(
                finding(
                    "invalid_tool_call",
                    E,
                    f'{at} has a "function" that is not an object.',
                )
            )
        elif isinstance(function, dict):
            _function_body(function, at, calls, out)


def _function_body(
    function: dict[str, Any], at: str, calls: Calls, out: list[Finding]
) -> None:
    name = function.get("name")
    if not isinstance(name, str) or not name.strip():
        out.append(
            finding("invalid_tool_call", E, f'{at} names no function: add its "name".')
        )
    _called(name, calls)
    _arguments(function.get("arguments"), at, out)


def check_function_call(
    value: Any, where: str, calls: Calls, out: list[Finding]
) -> None:
    """Check the legacy ``function_call`` of an assistant message."""
    if not isinstance(value, dict):
        out.append(
            finding(
                "invalid_function_call",
                E,
                f'The "function_call" of {where.lower()} must be an object with '
                '"name" and "arguments".',
            )
        )
        return
    _function_body(value, f"The function call of {where.lower()}", calls, out)


def check_tool_answer(
    message: dict[str, Any], where: str, calls: Calls, out: list[Finding]
) -> None:
    """Check a ``tool`` message: it must name the call it answers."""
    call_id = message.get("tool_call_id")
    if not isinstance(call_id, str) or not call_id:
        out.append(
            finding(
                "missing_tool_call_id",
                E,
                f'{where} is a tool answer without "tool_call_id": add the id of '
                "the tool call it answers.",
            )
        )
    elif call_id not in calls.ids:
        out.append(
            finding(
                "unknown_tool_call_id",
                W,
                f"{where} answers the tool call {short(call_id)}, but no earlier "
                "assistant message made a call with that id: check the id.",
            )
        )


def undeclared_finding(calls: Calls) -> Finding | None:
    """Return the warning for calls to tools the example does not declare."""
    if not calls.undeclared:
        return None
    shown = ", ".join(f'"{plain(n)}"' for n in sorted(calls.undeclared)[:3])
    if calls.declared is None:
        return finding(
            "undeclared_tool",
            W,
            f'This example calls {shown} but declares no tools: add a "tools" list '
            "so the model learns when the tool is there.",
        )
    return finding(
        "undeclared_tool",
        W,
        f'This example calls {shown}, which its "tools" list does not declare: '
        "add the definition or fix the name.",
    )
