"""The sandbox stays up: idle connections time out, bad bodies get a 400, logs are bounded."""

from __future__ import annotations

import json
import logging
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from ftstudio.sandbox import limits
from ftstudio.sandbox.server import SandboxServer
from tests.sandbox_data import FAST, KEY


def test_connections_that_never_send_a_request_do_not_stop_the_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx2

    monkeypatch.setattr(limits, "CONNECTION_LIMIT", 20)
    monkeypatch.setattr(limits, "IDLE_SECONDS", 0.5)
    srv = SandboxServer(tmp_path / "s", api_key=KEY, speed=FAST)
    srv.start()
    idle = [socket.create_connection(("127.0.0.1", srv.port)) for _ in range(40)]
    try:
        time.sleep(1.5)  # past the idle timeout: the service closed them
        with httpx2.Client(
            base_url=srv.base_url, headers={"Authorization": f"Bearer {KEY}"}
        ) as client:
            assert client.get("/models").status_code == 200
        idle[0].settimeout(2)
        assert idle[0].recv(1) == b""  # closed by the service
    finally:
        for s in idle:
            s.close()
        srv.stop()


def test_malformed_upload_bodies_get_a_400(tmp_path: Path) -> None:
    import httpx2

    srv = SandboxServer(tmp_path / "s", api_key=KEY, speed=FAST)
    srv.start()
    good = {
        "purpose": "fine-tune",
        "filename": "a.jsonl",
        "bytes": 10,
        "mime_type": "application/jsonl",
    }
    try:
        with httpx2.Client(
            base_url=srv.base_url, headers={"Authorization": f"Bearer {KEY}"}
        ) as client:
            for key, bad in (
                ("purpose", ["fine-tune"]),
                ("purpose", {"a": 1}),
                ("filename", 5),
                ("mime_type", []),
            ):
                answer = client.post("/uploads", json=good | {key: bad})
                assert answer.status_code == 400, (key, bad, answer.text)
                assert answer.json()["error"]["param"] == key
    finally:
        srv.stop()


def test_a_stored_impossible_speed_no_longer_breaks_the_sandbox(
    tmp_path: Path, train_file: Path
) -> None:
    from openai import OpenAI

    srv = SandboxServer(tmp_path / "s", api_key=KEY, speed=FAST)
    srv.start()
    client = OpenAI(base_url=srv.base_url, api_key=KEY, max_retries=0)
    with train_file.open("rb") as fh:
        file_id = client.files.create(file=fh, purpose="fine-tune").id
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id)
    client.close()
    srv.stop()
    state_path = tmp_path / "s" / "state.json"
    state = json.loads(state_path.read_text())
    state["jobs"][job.id]["speed"] = 1e-320  # what an older version let through
    state_path.write_text(json.dumps(state))
    srv = SandboxServer(tmp_path / "s", api_key=KEY, speed=FAST)
    srv.start()
    client = OpenAI(base_url=srv.base_url, api_key=KEY, max_retries=0)
    try:
        assert client.fine_tuning.jobs.retrieve(job.id).status in {
            "validating_files",
            "queued",
            "running",
        }
        assert list(client.fine_tuning.jobs.list_events(job.id))
    finally:
        client.close()
        srv.stop()


def test_repeated_log_lines_are_rate_limited() -> None:
    flood = limits.RateLimit(burst=20, window=60)
    records = [
        logging.LogRecord(
            "uvicorn.error",
            logging.WARNING,
            __file__,
            1,
            "Exceeded concurrency limit.",
            None,
            None,
        )
        for _ in range(10_000)
    ]
    passed: list[Any] = [r for r in records if flood.filter(r)]
    assert len(passed) == 20


def test_deep_nesting_is_a_finding_or_a_400_never_a_500(
    tmp_path: Path, train_file: Path
) -> None:
    import httpx2
    from openai import OpenAI

    deep = b'{"messages": ' + b"[" * 3000 + b"]" * 3000 + b"}\n"
    path = tmp_path / "deep.jsonl"
    path.write_bytes(train_file.read_bytes() + deep)
    srv = SandboxServer(tmp_path / "s", api_key=KEY, speed=FAST)
    srv.start()
    client = OpenAI(base_url=srv.base_url, api_key=KEY, max_retries=0)
    try:
        with path.open("rb") as fh:
            file_id = client.files.create(file=fh, purpose="fine-tune").id
        job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id)
        deadline = time.monotonic() + 30
        while (job := client.fine_tuning.jobs.retrieve(job.id)).status != "failed":
            assert time.monotonic() < deadline, job.status
            time.sleep(0.1)
        assert "Line 13" in job.error.message
        with httpx2.Client(
            base_url=srv.base_url, headers={"Authorization": f"Bearer {KEY}"}
        ) as raw:
            answer = raw.post(
                "/chat/completions",
                content=b'{"model": "gpt-4o-mini", "messages": '
                + b"[" * 3000
                + b"]" * 3000
                + b"}",
                headers={"content-type": "application/json"},
            )
            assert answer.status_code == 400
    finally:
        client.close()
        srv.stop()
