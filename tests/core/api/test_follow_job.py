"""Following a job: every event exactly once, in order, across pages and lost answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.api import jobs
from ftstudio.core.api.connection import Connection, make_client
from ftstudio.core.api.jobs import JobUpdate, follow_job, new_events
from ftstudio.core.api.retry import RetryNotice, run_to_end
from ftstudio.core.api.upload import upload_file
from ftstudio.core.errors import FtError
from ftstudio.core.hyperparams import BOUNDS, check_suffix, method_payload
from ftstudio.sandbox.faults import FaultConfig
from ftstudio.sandbox.server import SandboxServer
from tests.sandbox_data import KEY, chat_rows, write_jsonl


def test_follow_sees_each_event_once_despite_lost_answers(
    closing: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "PAGE_SIZE", 3)  # force many pages
    faults = FaultConfig(drop=0.25, seed=11)
    with SandboxServer(tmp_path / "sb", api_key=KEY, speed=60.0, faults=faults) as srv:
        client = make_client(Connection(base_url=srv.base_url, api_key=KEY))
        closing(client)
        uploaded = run_to_end(
            upload_file(client, write_jsonl(tmp_path / "t.jsonl", chat_rows(12)))
        )
        job = run_to_end(client_create(client, uploaded.id))
        seen: list[str] = []
        retries = 0
        gen = follow_job(client, job.id, interval=0.05)
        while True:
            try:
                item = next(gen)
            except StopIteration as stop:
                final = stop.value
                break
            if isinstance(item, RetryNotice):
                retries += 1
            else:
                assert isinstance(item, JobUpdate)
                seen += [e.id for e in item.events]
        history = [e.id for e in new_events_after_restart(client, job.id)]
    assert final.status == "succeeded"
    assert retries, "no answer was lost: the test proved nothing"
    assert len(seen) == len(set(seen)), "an event arrived twice"
    assert seen == history, "an event is missing or out of order"


def client_create(client, training_file):  # type: ignore[no-untyped-def]
    from ftstudio.core.api.launch import create_job_once

    return create_job_once(
        client, {"model": "gpt-4o-mini", "training_file": training_file}
    )


def new_events_after_restart(client, job_id):  # type: ignore[no-untyped-def]
    # the whole history, as a monitor opened on a finished job loads it
    return run_to_end(new_events(client, job_id, None))


def test_new_events_starts_after_the_last_seen(
    closing: Any, server: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "PAGE_SIZE", 2)
    client = make_client(Connection(base_url=server.base_url, api_key=KEY))
    closing(client)
    uploaded = run_to_end(
        upload_file(client, write_jsonl(tmp_path / "t.jsonl", chat_rows(12)))
    )
    job = run_to_end(client_create(client, uploaded.id))
    run_to_end(follow_job(client, job.id, interval=0.05))
    history = run_to_end(new_events(client, job.id, None))
    assert len(history) > 4
    middle = history[len(history) // 2]
    assert (
        run_to_end(new_events(client, job.id, middle.id))
        == history[len(history) // 2 + 1 :]
    )
    assert run_to_end(new_events(client, job.id, history[-1].id)) == []


def test_hyperparameter_bounds_in_plain_words() -> None:
    assert BOUNDS["n_epochs"].check(50) == 50
    assert BOUNDS["n_epochs"].check("auto") == "auto"
    with pytest.raises(FtError, match="whole number from 1 to 50"):
        BOUNDS["n_epochs"].check(51)
    with pytest.raises(FtError, match="more than 0"):
        BOUNDS["learning_rate_multiplier"].check(0)
    with pytest.raises(FtError, match="at most 2"):
        BOUNDS["beta"].check(2.5)
    with pytest.raises(FtError, match="at most 64"):
        check_suffix("x" * 65)
    payload = method_payload("dpo", {"beta": 0.1})
    assert payload == {
        "type": "dpo",
        "dpo": {
            "hyperparameters": {
                "n_epochs": "auto",
                "batch_size": "auto",
                "learning_rate_multiplier": "auto",
                "beta": 0.1,
            }
        },
    }
