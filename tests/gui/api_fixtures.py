"""Fixtures for the API tabs: a fast sandbox on loopback and a manager pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.sandbox.server import SandboxServer
from tests.keyrings import MemoryKeyring
from tests.sandbox_data import FAST, KEY, chat_rows, write_jsonl  # noqa: F401 - re-exported for the tests here


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
