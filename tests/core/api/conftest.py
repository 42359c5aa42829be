"""Fixtures for API tests: the real sandbox on loopback, and small training files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ftstudio.sandbox.server import SandboxServer
from tests.sandbox_data import FAST, KEY


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    srv = SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=FAST)
    srv.start()
    yield srv
    srv.stop()
