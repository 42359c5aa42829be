"""``ftstudio jobs …`` and ``ftstudio models …`` against the sandbox, with env-only configuration."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ftstudio.core.api.launch import LAUNCH_TAG
from ftstudio.core.monitor.launches import launched_billing_tokens
from ftstudio.sandbox.faults import FaultConfig
from ftstudio.sandbox.server import SandboxServer
from tests.cli.conftest import Outcome
from tests.sandbox_data import KEY, chat_rows, write_jsonl


def _serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, faults: FaultConfig | None
) -> Iterator[SandboxServer]:
    srv = SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=60.0, faults=faults)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", srv.start())
    monkeypatch.setattr("ftstudio.core.api.jobs.POLL_SECONDS", 0.1)
    yield srv
    srv.stop()


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    yield from _serve(tmp_path, monkeypatch, None)


@pytest.fixture
def stormy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    faults = FaultConfig(
        rate_limit=0.15, server_error=0.1, drop=0.15, retry_after=0.05, seed=3
    )
    yield from _serve(tmp_path, monkeypatch, faults)


@pytest.fixture
def train(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "train.jsonl", chat_rows(12))


def test_create_wait_results_and_delete(
    cli: Callable[..., Outcome], sandbox: SandboxServer, train: Path, tmp_path: Path
) -> None:
    created = cli(
        "jobs",
        "create",
        train,
        "--model",
        "gpt-4o-mini",
        "--suffix",
        "pirate",
        "--epochs",
        "3",
        "--wait",
    )
    assert created.code == 0, created.err
    assert "Started ftjob-" in created.out
    assert "Job succeeded. Model: ft:gpt-4o-mini:sandbox:pirate:" in created.out
    job_id = created.out.split("Started ")[1].split()[0]

    listed = cli("jobs", "list", "--json")
    jobs = json.loads(listed.out)
    assert [j["id"] for j in jobs] == [job_id]
    # the launch is remembered; its estimate is what the service billed in the end
    billing = launched_billing_tokens(job_id)
    assert billing is not None
    assert billing * 3 == jobs[0]["trained_tokens"]
    assert (
        jobs[0]["hyperparameters"]["n_epochs"] == 3
        or jobs[0]["method"]["supervised"]["hyperparameters"]["n_epochs"] == 3
    )

    out = tmp_path / "results.csv"
    results = cli("jobs", "results", job_id, "-o", out)
    assert results.code == 0, results.err
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("step,train_loss")

    model = (
        jobs[0]["fine_tuned_model"]
        or json.loads(cli("jobs", "get", job_id, "--json").out)["fine_tuned_model"]
    )
    assert cli("models", "delete", model, "--yes").code == 0
    assert model not in cli("models", "list").out


def test_follow_prints_every_event_once_in_order(
    cli: Callable[..., Outcome], sandbox: SandboxServer, train: Path
) -> None:
    job_id = (
        cli("jobs", "create", train, "--model", "gpt-4o-mini")
        .out.split("Started ")[1]
        .split()[0]
    )
    followed = cli("jobs", "follow", job_id, "--json")
    assert followed.code == 0
    printed = [json.loads(line)["id"] for line in followed.out.splitlines()]
    server_side = [
        e["id"] for e in sandbox.sandbox.jobs.list_page(None, 100, {})["data"]
    ][:0]  # jobs, not events
    assert not server_side
    assert len(printed) == len(set(printed)), "an event was printed twice"
    everything = cli(
        "jobs", "follow", job_id, "--json"
    ).out.splitlines()  # a finished job: whole history
    assert [json.loads(line)["id"] for line in everything] == printed


def test_invalid_file_is_not_uploaded(
    cli: Callable[..., Outcome], sandbox: SandboxServer, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"messages": [{"role": "user", "content": "hi"}]}\n' * 12, encoding="utf-8"
    )
    outcome = cli("jobs", "create", bad, "--model", "gpt-4o-mini")
    assert outcome.code == 2
    assert "nothing was uploaded" in outcome.err
    assert sandbox.sandbox.jobs.list_page(None, 100, {})["data"] == []


def test_out_of_range_hyperparameters_are_refused_before_upload(
    cli: Callable[..., Outcome], sandbox: SandboxServer, train: Path
) -> None:
    outcome = cli("jobs", "create", train, "--model", "gpt-4o-mini", "--epochs", "80")
    assert outcome.code == 2
    assert "Epochs must be a whole number from 1 to 50" in outcome.err


def test_wrong_key_is_a_plain_service_error(
    cli: Callable[..., Outcome], sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-wrong-key-000000")
    outcome = cli("jobs", "list")
    assert outcome.code == 4
    assert "API key was refused" in outcome.err
    assert "Traceback" not in outcome.err


def test_fault_storm_loses_nothing_and_duplicates_nothing(
    cli: Callable[..., Outcome], stormy: SandboxServer, train: Path
) -> None:
    ids, retried = [], 0
    for _ in range(3):
        outcome = cli("jobs", "create", train, "--model", "gpt-4o-mini", "--wait")
        assert outcome.code == 0, outcome.err
        ids.append(outcome.out.split("Started ")[1].split()[0])
        retried += outcome.err.count("Trying again")
    assert retried, "the storm never hit: the test proved nothing"
    jobs = stormy.sandbox.jobs.list_page(None, 100, {})["data"]
    assert sorted(j["id"] for j in jobs) == sorted(ids), (
        "a lost answer created an extra job"
    )
    assert len({j["metadata"][LAUNCH_TAG] for j in jobs}) == 3
