"""Fixtures: a sandbox on a real loopback socket, the official SDK pointed at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ftstudio.sandbox.server import SandboxServer

KEY = "sk-test-not-a-real-key"
# At speed 60 a default job (about a minute at speed 1) takes about a second.
FAST = 60.0


def chat_rows(n: int, reply: str = "Arr, {i} it be, matey!") -> list[dict[str, object]]:
    return [
        {
            "messages": [
                {"role": "system", "content": "You are a pirate."},
                {"role": "user", "content": f"Tell me about topic number {i} please"},
                {"role": "assistant", "content": reply.format(i=i)},
            ]
        }
        for i in range(n)
    ]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def train_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "train.jsonl", chat_rows(12))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    srv = SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=FAST)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def client(server: SandboxServer):  # type: ignore[no-untyped-def]
    from openai import OpenAI

    c = OpenAI(base_url=server.base_url, api_key=KEY, max_retries=0, timeout=10)
    yield c
    c.close()
