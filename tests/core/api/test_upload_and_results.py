"""Uploads report byte progress (also in parts), and result files decode from base64."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from ftstudio.core.api.connection import Connection, make_client
from ftstudio.core.api.results import decode_result_file
from ftstudio.core.api.upload import upload_file
from ftstudio.core.progress import Progress
from ftstudio.sandbox.server import SandboxServer
from tests.sandbox_data import KEY, chat_rows, write_jsonl


def drive(gen):  # type: ignore[no-untyped-def]
    seen = []
    while True:
        try:
            seen.append(next(gen))
        except StopIteration as stop:
            return stop.value, seen


def test_single_request_upload_reports_bytes(
    closing: Any, server: SandboxServer, tmp_path: Path
) -> None:
    client = make_client(Connection(base_url=server.base_url, api_key=KEY))
    closing(client)
    path = write_jsonl(tmp_path / "train.jsonl", chat_rows(30))
    uploaded, seen = drive(upload_file(client, path))
    size = path.stat().st_size
    assert uploaded.bytes == size
    assert uploaded.filename == "train.jsonl"
    progress = [p for p in seen if isinstance(p, Progress)]
    assert progress[-1].done == progress[-1].total == size
    assert client.files.content(uploaded.id).read() == path.read_bytes()


def test_large_files_go_up_in_parts(
    closing: Any, server: SandboxServer, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from ftstudio.core.api import upload

    monkeypatch.setattr(upload, "PART_SIZE", 1024)
    client = make_client(Connection(base_url=server.base_url, api_key=KEY))
    closing(client)
    path = write_jsonl(tmp_path / "big.jsonl", chat_rows(40))
    uploaded, seen = drive(upload_file(client, path, single_request_limit=2048))
    parts = [p for p in seen if isinstance(p, Progress) and p.done < p.total]
    assert len(parts) >= path.stat().st_size // 1024  # one step per part
    assert client.files.content(uploaded.id).read() == path.read_bytes()


def test_result_file_decodes_plain_and_base64() -> None:
    csv = b"step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,2.5,0.4,,\n"
    assert decode_result_file(csv) == csv
    assert decode_result_file(base64.b64encode(csv)) == csv
    assert decode_result_file(b"not a csv at all") == b"not a csv at all"
