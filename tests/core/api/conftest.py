"""Fixtures for API tests: the real sandbox on loopback, and small training files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ftstudio.sandbox.server import SandboxServer

KEY = "sk-test-not-a-real-key"
FAST = 60.0  # a default job takes about a second


def chat_rows(n: int) -> list[dict[str, object]]:
    return [
        {
            "messages": [
                {"role": "system", "content": "You are a pirate."},
                {"role": "user", "content": f"Tell me about topic number {i} please"},
                {"role": "assistant", "content": f"Arr, {i} it be, matey!"},
            ]
        }
        for i in range(n)
    ]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    srv = SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=FAST)
    srv.start()
    yield srv
    srv.stop()
