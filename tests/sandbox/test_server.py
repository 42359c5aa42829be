"""The in-process server the studio's "Use offline sandbox" button starts."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import httpx2
import pytest

from ftstudio.core.errors import FtError
from ftstudio.sandbox.server import SandboxServer


def test_start_returns_a_loopback_url_and_stop_is_idempotent(tmp_path: Path) -> None:
    srv = SandboxServer(tmp_path, api_key="k")
    url = srv.start()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", url)
    assert srv.start() == url  # already running: same server
    r = httpx2.get(f"{url}/models", headers={"Authorization": "Bearer k"})
    assert r.status_code == 200
    srv.stop()
    srv.stop()
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"{url}/models", headers={"Authorization": "Bearer k"})


def test_context_manager_and_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(FtError, match="in use"):
            SandboxServer(tmp_path, port=port).start()
    with SandboxServer(tmp_path) as srv:
        assert srv.base_url.startswith("http://127.0.0.1:")
    assert srv.base_url  # stays readable after stop


@pytest.mark.parametrize("speed", [0, -1, float("nan"), 1e-320, float("inf")])
def test_speed_must_be_sensible(tmp_path: Path, speed: float) -> None:
    with pytest.raises(ValueError, match=r"speed must be from 0\.01"):
        SandboxServer(tmp_path, speed=speed)
