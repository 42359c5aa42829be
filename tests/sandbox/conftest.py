"""Fixtures: a sandbox on a real loopback socket, the official SDK pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ftstudio.sandbox.server import SandboxServer
from tests.sandbox_data import FAST, KEY, chat_rows, write_jsonl

# At speed 60 a default job (about a minute at speed 1) takes about a second.


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
