"""Watching a sandbox job: every metrics point once, checkpoints, results, lost answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.api import jobs
from ftstudio.core.api.connection import Connection, make_client
from ftstudio.core.api.retry import RetryNotice, run_to_end
from ftstudio.core.cancel import CancelToken
from ftstudio.core.monitor.metrics import MetricSeries, reconcile
from ftstudio.core.monitor.watch import WatchUpdate, recent_jobs, watch_job
from ftstudio.sandbox.faults import FaultConfig
from ftstudio.sandbox.server import SandboxServer
from tests.core.monitor_jobs import start_job
from tests.sandbox_data import KEY


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=60) as srv:
        yield srv


def drive(gen: Any) -> tuple[list[WatchUpdate], int, Any]:
    updates: list[WatchUpdate] = []
    retries = 0
    while True:
        try:
            item = next(gen)
        except StopIteration as stop:
            return updates, retries, stop.value
        if isinstance(item, RetryNotice):
            retries += 1
        else:
            updates.append(item)


def all_metric_steps(client: Any, job_id: str) -> list[dict[str, Any]]:
    history = run_to_end(jobs.new_events(client, job_id, None))
    return [e.data for e in history if e.type == "metrics"]


@pytest.mark.parametrize(
    "faults", [None, FaultConfig(drop=0.15, server_error=0.1, seed=5)]
)
def test_watch_sees_every_metrics_point_once(
    closing: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    faults: FaultConfig | None,
) -> None:
    monkeypatch.setattr(jobs, "PAGE_SIZE", 7)  # many pages per poll
    with SandboxServer(tmp_path / "sb", api_key=KEY, speed=60, faults=faults) as srv:
        client = make_client(Connection(base_url=srv.base_url, api_key=KEY))
        closing(client)
        job = run_to_end(_retry(lambda: start_job(client, tmp_path)))
        updates, retries, final = drive(watch_job(client, job.id, interval=0.05))
        expected = run_to_end(_retry(lambda: all_metric_steps(client, job.id)))
    series = MetricSeries()
    received = [
        m for u in updates for e in u.events if e.type == "metrics" for m in [e.data]
    ]
    for data in received:
        assert data is not None
        series.add(data)
    assert final.status == "succeeded"
    assert [d["step"] for d in received] == [d["step"] for d in expected]
    assert series.steps == list(range(1, series.total_steps + 1))
    _steps, losses = series.arrays("train_loss")
    assert losses.tolist() == [d["train_loss"] for d in expected]
    assert series.has("valid_loss")
    assert series.has("full_valid_loss")
    if faults:
        assert retries, "no fault hit the watch: the test proved nothing"
    checkpoints = [u.checkpoints for u in updates if u.checkpoints is not None][-1]
    assert [c.step for c in checkpoints] == [
        series.total_steps // 3 * k for k in (1, 2, 3)
    ]
    assert all(":ckpt-step-" in c.model for c in checkpoints)
    assert checkpoints[-1].metrics["train_loss"] == series.value(
        "train_loss", checkpoints[-1].step
    )
    results = [u.results_csv for u in updates if u.results_csv is not None]
    assert len(results) == 1
    outcome = reconcile(series, results[0])
    assert outcome.added == 0
    assert outcome.filled == 0
    assert updates[-1].job.n_epochs == 3
    assert updates[-1].job.trained_tokens


def _retry(fn: Any) -> Any:
    # set-up calls go through the same retries the studio uses
    from ftstudio.core.api.retry import with_retries

    return with_retries(fn)


def test_resume_after_the_last_seen_event_repeats_nothing(
    closing: Any, server: SandboxServer, tmp_path: Path
) -> None:
    client = make_client(Connection(base_url=server.base_url, api_key=KEY))
    closing(client)
    job = start_job(client, tmp_path)
    token = CancelToken()
    gen = watch_job(client, job.id, token, interval=0.05)
    first = next(gen)
    assert isinstance(first, WatchUpdate)
    token.cancel()
    gen.close()
    seen = [e.id for e in first.events]
    updates, _, _ = drive(watch_job(client, job.id, interval=0.05, last_seen=seen[-1]))
    later = [e.id for u in updates for e in u.events]
    history = [e.id for e in run_to_end(jobs.new_events(client, job.id, None))]
    assert seen + later == history


def test_recent_jobs_lists_newest_first(
    closing: Any, server: SandboxServer, tmp_path: Path
) -> None:
    client = make_client(Connection(base_url=server.base_url, api_key=KEY))
    closing(client)
    one = start_job(client, tmp_path)
    two = start_job(client, tmp_path)
    listed = run_to_end(recent_jobs(client))
    assert [j.id for j in listed[:2]] == [two.id, one.id]
    assert "gpt-4o-mini · monitor" in listed[0].title
