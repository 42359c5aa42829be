"""Test data shared by every test that talks to the sandbox: a fake key, a fast speed, pirate examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

KEY = "sk-test-not-a-real-key"
FAST = 60.0  # a default job takes about a second


def chat_rows(
    n: int, start: int = 0, reply: str = "Arr, {i} it be, matey!"
) -> list[dict[str, Any]]:
    """Return ``n`` distinct, valid chat examples (a fine-tuned model learns the replies)."""
    return [
        {
            "messages": [
                {"role": "system", "content": "You are a pirate."},
                {"role": "user", "content": f"Tell me about topic number {i} please"},
                {"role": "assistant", "content": reply.format(i=i)},
            ]
        }
        for i in range(start, start + n)
    ]


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    """Write ``rows`` as a JSONL file and return its path."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
