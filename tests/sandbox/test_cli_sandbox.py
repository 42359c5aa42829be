"""``ftstudio sandbox``: prints where it listens and its key, stops on Ctrl+C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx2


def test_foreground_sandbox_prints_url_and_key_and_serves(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ftstudio",
            "sandbox",
            "--port",
            "0",
            "--data",
            str(tmp_path),
            "--key",
            "sk-test-not-a-real-key",
            "--speed",
            "5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(4)]
        url = next(line.split()[-1] for line in lines if "Base URL" in line)
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/v1")
        assert any("sk-test-not-a-real-key" in line for line in lines)
        r = httpx2.get(
            f"{url}/models",
            headers={"Authorization": "Bearer sk-test-not-a-real-key"},
            timeout=5,
        )
        assert r.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "stopped" in out


def test_port_in_use_is_a_plain_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "ftstudio",
                "sandbox",
                "--port",
                str(port),
                "--data",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == 2
    assert "in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_fault_share_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ftstudio",
            "sandbox",
            "--fail-429",
            "1.5",
            "--data",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "between 0 and 1" in result.stderr
