"""What the table shows of one line, computed once per line and cached by key."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from ftstudio.core.dataset.formats import Format, detect_format
from ftstudio.core.dataset.parse import LineKind, parse_line

PREVIEW_CHARS = 160
"""The view elides further; a longer preview only costs memory and paint time."""


@dataclass(frozen=True, slots=True)
class LineSummary:
    """The display strings of one line."""

    format: str
    messages: int | None
    first_user: str
    last_assistant: str


def _text(content: Any) -> str:
    if isinstance(content, str):
        text = content
    elif isinstance(content, list):  # content parts: keep the text ones
        text = " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    elif content is None:
        text = ""
    else:
        text = str(content)
    return " ".join(text[: PREVIEW_CHARS * 2].split())[:PREVIEW_CHARS]


def _messages(value: dict[str, Any]) -> list[Any]:
    msgs = value.get("messages")
    if msgs is None and isinstance(value.get("input"), dict):
        msgs = value["input"].get("messages")
    return msgs if isinstance(msgs, list) else []


def summarize(raw: bytes) -> LineSummary:
    """Summarise one raw line (never raises)."""
    parsed = parse_line(raw)
    if parsed.kind is LineKind.BLANK:
        return LineSummary("blank line", None, "", "")
    if parsed.kind is not LineKind.JSON:
        return LineSummary("not JSON", None, parsed.error, "")
    value = parsed.value
    fmt = detect_format(value)
    if not isinstance(value, dict):
        return LineSummary("not an object", None, "", "")
    if fmt is Format.COMPLETION:
        return LineSummary(
            fmt.value, None, _text(value.get("prompt")), _text(value.get("completion"))
        )
    msgs = [m for m in _messages(value) if isinstance(m, dict)]
    user = next((m for m in msgs if m.get("role") == "user"), None)
    if fmt is Format.PREFERENCE:
        preferred = value.get("preferred_output")
        reply = preferred[-1] if isinstance(preferred, list) and preferred else {}
        reply_text = _text(reply.get("content") if isinstance(reply, dict) else reply)
    else:
        reply_msg = next(
            (m for m in reversed(msgs) if m.get("role") == "assistant"), None
        )
        reply_text = _text(reply_msg.get("content")) if reply_msg else ""
        if reply_msg and not reply_text and reply_msg.get("tool_calls"):
            reply_text = "(calls a tool)"
    return LineSummary(
        fmt.value, len(msgs), _text(user.get("content")) if user else "", reply_text
    )


class SummaryCache:
    """Least-recently-used summaries by store key (a key's bytes never change)."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._items: OrderedDict[int, LineSummary] = OrderedDict()

    def get(self, key: int, raw_for_key: Any) -> LineSummary:
        """Return the summary of line ``key``, reading it with ``raw_for_key``."""
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            return hit
        summary = summarize(raw_for_key(key))
        self._items[key] = summary
        if len(self._items) > self._size:
            self._items.popitem(last=False)
        return summary
