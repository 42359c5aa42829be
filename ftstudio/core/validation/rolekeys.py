"""The fields each message role may have, from OpenAI's message schemas."""

from __future__ import annotations

_COMMON = frozenset({"role", "content", "name"})
ROLE_KEYS = {
    "system": _COMMON,
    "developer": _COMMON,
    "user": _COMMON,
    "assistant": _COMMON
    | {"weight", "tool_calls", "function_call", "refusal", "audio"},
    "tool": frozenset({"role", "content", "tool_call_id"}),
    "function": _COMMON,
}
"""Role → the fields a message with that role may have."""
ROLES = frozenset(ROLE_KEYS)
"""Every role a supervised or preference example may use."""
MESSAGE_KEYS = frozenset().union(*ROLE_KEYS.values())
"""Every field some role may have."""
