"""N launches whose answers get lost still give exactly N jobs (against the real sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.api.connection import Connection, make_client
from ftstudio.core.api.launch import LAUNCH_TAG, create_job_once
from ftstudio.core.api.retry import run_to_end
from ftstudio.core.api.upload import upload_file
from ftstudio.sandbox.faults import FaultConfig
from ftstudio.sandbox.server import SandboxServer
from tests.sandbox_data import FAST, KEY, chat_rows, write_jsonl


@pytest.fixture
def flaky_server(tmp_path: Path) -> Iterator[SandboxServer]:
    # Half of all answers are lost after the server did the work: a blind retry
    # would create a duplicate job almost every time.
    faults = FaultConfig(drop=0.4, seed=7)
    srv = SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=FAST, faults=faults)
    srv.start()
    yield srv
    srv.stop()


def test_lost_answers_never_duplicate_a_job(
    closing: Any, flaky_server: SandboxServer, tmp_path: Path
) -> None:
    client = make_client(Connection(base_url=flaky_server.base_url, api_key=KEY))
    closing(client)
    path = write_jsonl(tmp_path / "train.jsonl", chat_rows(12))
    uploaded = run_to_end(upload_file(client, path))
    launches = 4
    retries: list[object] = []
    jobs = [
        run_to_end(
            create_job_once(
                client,
                {
                    "model": "gpt-4o-mini",
                    "training_file": uploaded.id,
                    "suffix": f"n{i}",
                },
            ),
            retries.append,
        )
        for i in range(launches)
    ]
    assert retries, "no answer was lost: the test proved nothing"
    assert len({job.id for job in jobs}) == launches
    server_jobs = flaky_server.sandbox.jobs.list_page(None, 100, {})["data"]
    tags = [job["metadata"][LAUNCH_TAG] for job in server_jobs]
    assert len(server_jobs) == launches, "a lost answer created a second job"
    assert len(set(tags)) == launches
