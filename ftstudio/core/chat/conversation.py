"""A playground conversation (system prompt, turns, one or two models, settings) as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ftstudio.core.chat.stream import ChatSettings
from ftstudio.core.dataset.atomic import write_atomic
from ftstudio.core.errors import ErrorKind, FtError

FORMAT = "ftstudio-conversation"
VERSION = 1


@dataclass
class Turn:
    """What the user said and each model's reply to it (one reply per model)."""

    user: str
    replies: list[str] = field(default_factory=list)


@dataclass
class Conversation:
    """A multi-turn chat with one model, or the same chat with two models side by side.

    Each model keeps its own replies: model B never sees what model A said, so
    the two columns are two honest conversations that share the user's words.
    """

    models: list[str] = field(default_factory=lambda: [""])
    system: str = ""
    turns: list[Turn] = field(default_factory=list)
    settings: ChatSettings = field(default_factory=ChatSettings)

    @property
    def compare(self) -> bool:
        """Whether two models answer."""
        return len(self.models) > 1

    def messages(self, side: int = 0, *, pending: bool = True) -> list[dict[str, str]]:
        """Return the API messages that model ``side`` sees.

        With ``pending`` a last turn without that model's reply ends the list with
        the user's message (what is sent to get the reply); without it such a
        turn is left out.
        """
        out: list[dict[str, str]] = []
        if self.system.strip():
            out.append({"role": "system", "content": self.system})
        for turn in self.turns:
            reply = turn.replies[side] if side < len(turn.replies) else None
            if reply is None and not pending:
                break
            out.append({"role": "user", "content": turn.user})
            if reply is None:
                break
            out.append({"role": "assistant", "content": reply})
        return out

    def ask(self, text: str) -> None:
        """Add the user's next message (the replies come later)."""
        self.turns.append(Turn(text))

    def set_reply(self, side: int, text: str) -> None:
        """Set (or replace, after an edit) model ``side``'s reply to the last turn."""
        if not self.turns:
            raise FtError(ErrorKind.INPUT, "There is no message to reply to yet.")
        replies = self.turns[-1].replies
        while len(replies) <= side:
            replies.append("")
        replies[side] = text

    # JSON -------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Return the conversation as a JSON-ready dict."""
        s = self.settings
        return {
            "format": FORMAT,
            "version": VERSION,
            "models": list(self.models),
            "system": self.system,
            "settings": {
                "temperature": s.temperature,
                "max_tokens": s.max_tokens,
                "top_p": s.top_p,
            },
            "turns": [{"user": t.user, "replies": list(t.replies)} for t in self.turns],
        }

    @classmethod
    def from_json(cls, raw: Any) -> Conversation:
        """Build a conversation from :meth:`to_json` output; raise a plain error otherwise."""
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise FtError(
                ErrorKind.FORMAT, "This file is not a conversation saved by ftstudio."
            )
        try:
            models = [str(m) for m in raw.get("models") or [""]][:2]
            settings = raw.get("settings") or {}
            turns = [
                Turn(str(t["user"]), [str(r) for r in t.get("replies") or []])
                for t in raw.get("turns") or []
            ]
            return cls(
                models=models,
                system=str(raw.get("system") or ""),
                turns=turns,
                settings=ChatSettings(
                    temperature=_number(settings.get("temperature"), float),
                    max_tokens=_number(settings.get("max_tokens"), int),
                    top_p=_number(settings.get("top_p"), float),
                ),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise FtError(
                ErrorKind.FORMAT,
                "This conversation file is damaged: some of its turns cannot be read.",
                str(exc),
            ) from exc

    def save(self, path: Path) -> None:
        """Write the conversation to ``path`` (atomically: a crash keeps the old file)."""
        data = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        write_atomic(path, data.encode("utf-8"))

    @classmethod
    def open(cls, path: Path) -> Conversation:
        """Read a conversation saved by :meth:`save`."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise FtError(
                ErrorKind.IO, f"{path.name} could not be read.", str(exc)
            ) from exc
        except ValueError as exc:
            raise FtError(
                ErrorKind.FORMAT,
                f"{path.name} is not a conversation file (not JSON).",
                str(exc),
            ) from exc
        return cls.from_json(raw)


def _number(value: Any, kind: type[float] | type[int]) -> Any:
    if value is None or isinstance(value, bool):
        return None
    return kind(value)
