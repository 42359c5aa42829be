"""Fixtures for the API tabs: a fast sandbox on loopback and a manager pointed at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.sandbox.server import SandboxServer
from tests.keyrings import MemoryKeyring

KEY = "sk-test-not-a-real-key"
FAST = 60.0  # a default job takes about a second


def chat_rows(n: int, start: int = 0) -> list[dict[str, Any]]:
    """Return ``n`` distinct, valid chat examples."""
    return [
        {
            "messages": [
                {"role": "system", "content": "You are a pirate."},
                {"role": "user", "content": f"Tell me about topic number {i} please"},
                {"role": "assistant", "content": f"Arr, {i} it be, matey!"},
            ]
        }
        for i in range(start, start + n)
    ]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write ``rows`` as a JSONL file and return its path."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(name="sandbox")
def sandbox_fixture(tmp_path: Path) -> Iterator[SandboxServer]:
    """A sandbox on a free loopback port, stopped after the test."""
    server = SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=FAST)
    server.start()
    yield server
    server.stop()


@pytest.fixture(name="manager")
def manager_fixture(qtbot: Any, sandbox: SandboxServer) -> Iterator[ConnectionManager]:
    """A connection manager with an in-memory key store, pointed at the sandbox."""
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    mgr.use_endpoint(sandbox.base_url, KEY)
    yield mgr
    mgr.shutdown()
