"""Tool definitions (``tools``, ``functions``, ``parallel_tool_calls``) per the spec.

``ChatCompletionTool`` is ``type`` "function" and a ``function``
(``FunctionObject``: a ``name`` of letters, digits, _ and -, at most 64; an
optional text ``description``, object ``parameters`` and boolean ``strict``);
the deprecated ``functions`` list holds 1 to 128 ``ChatCompletionFunctions``.
"""

from __future__ import annotations

import re
from typing import Any

from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.tools import Calls
from ftstudio.core.validation.words import E, finding, plain, short

NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
"""What the spec allows as a function name (``FunctionObject.name``)."""
MAX_FUNCTIONS = 128


def definition_problem(tool: Any, legacy: bool) -> tuple[str | None, str | None]:
    """Return (problem, name) of one entry of ``tools`` (or ``functions``)."""
    if not isinstance(tool, dict):
        return f"is {short(tool)}, not an object", None
    if legacy:
        function: Any = tool
    else:
        if tool.get("type") != "function":
            return f'has the type {short(tool.get("type"))}: use "function"', None
        function = tool.get("function")
        if not isinstance(function, dict):
            return 'has no "function" object with the name and parameters', None
    name = function.get("name")
    if not isinstance(name, str) or not name.strip():
        return 'has no name: give "name" as text', None
    if NAME.fullmatch(name) is None:
        return (
            f'is named "{plain(name)[:70]}": a name may only hold letters a-z and '
            "A-Z, digits, _ and -, at most 64 of them",
            name,
        )
    description = function.get("description")
    if description is not None and not isinstance(description, str):
        return f'("{plain(name)}") has a description that is not text', name
    params = function.get("parameters")
    if params is not None and not isinstance(params, dict):
        return (
            f'("{plain(name)}") has parameters that are not a JSON schema object',
            name,
        )
    strict = function.get("strict")
    if strict is not None and not isinstance(strict, bool):
        return f'("{plain(name)}") has "strict" that is not true or false', name
    return None, name


def check_definitions(value: dict[str, Any], calls: Calls, out: list[Finding]) -> None:
    """Check ``tools``, ``functions`` and ``parallel_tool_calls`` of an example."""
    declared: set[str] = set()
    any_list = False
    for key, legacy in (("tools", False), ("functions", True)):
        if key not in value:
            continue
        given = value[key]
        if not isinstance(given, list) or (legacy and not given):
            out.append(
                finding(
                    "invalid_tools",
                    E,
                    f'"{key}" must be a list of tool definitions, not {short(given)}.',
                )
            )
            continue
        if legacy and len(given) > MAX_FUNCTIONS:
            out.append(
                finding(
                    "invalid_tools",
                    E,
                    f'"functions" lists {len(given)} functions; OpenAI takes at most '
                    f"{MAX_FUNCTIONS}: keep the ones this example needs.",
                )
            )
        any_list = True
        for number, tool in enumerate(given, 1):
            problem, name = definition_problem(tool, legacy)
            if name:
                declared.add(name)
            if problem:
                out.append(
                    finding(
                        "invalid_tool_definition",
                        E,
                        f'Tool {number} in "{key}" {problem}.',
                    )
                )
    calls.declared = frozenset(declared) if any_list else None
    if "parallel_tool_calls" in value:
        flag = value["parallel_tool_calls"]
        if not isinstance(flag, bool):
            out.append(
                finding(
                    "invalid_parallel_tool_calls",
                    E,
                    f'"parallel_tool_calls" is {short(flag)}: it must be true or '
                    "false (without quotes).",
                )
            )
        else:
            calls.parallel = flag
