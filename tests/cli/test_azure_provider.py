"""Azure end to end: the sandbox behind an Azure-shaped front, driven by ``--provider azure``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import pytest

from ftstudio.core.monitor.metrics import MetricSeries, reconcile
from ftstudio.sandbox.azure_front import AzureFront
from ftstudio.sandbox.server import SandboxServer
from tests.cli.conftest import Outcome
from tests.sandbox_data import KEY, chat_rows, write_jsonl


@pytest.fixture
def azure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An Azure-shaped sandbox; returns its endpoint (AZURE_OPENAI_ENDPOINT is set)."""
    srv = SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=60.0)
    srv.app = AzureFront(srv.app, KEY)
    srv.start()
    endpoint = f"http://127.0.0.1:{srv.port}/openai/v1"
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FTSTUDIO_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", endpoint)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
    monkeypatch.setattr("ftstudio.core.api.jobs.POLL_SECONDS", 0.1)
    yield endpoint
    srv.stop()


def test_the_front_takes_the_key_only_in_api_key(azure: str) -> None:
    with httpx2.Client(timeout=10) as http:
        bare = http.get(f"{azure}/models", headers={"Authorization": f"Bearer {KEY}"})
        assert bare.status_code == 401
        assert "api-key" in bare.json()["error"]["message"]
        assert http.get(f"{azure}/models", headers={"api-key": KEY}).status_code == 200
        outside = azure.removesuffix("/openai/v1") + "/v1/models"
        assert http.get(outside, headers={"api-key": KEY}).status_code == 404


def _job_id(created: Outcome) -> str:
    return created.out.split("Started ")[1].split()[0]


def test_launch_follow_results_and_archive_on_azure(
    cli: Callable[..., Outcome], azure: str, tmp_path: Path
) -> None:
    train = write_jsonl(tmp_path / "train.jsonl", chat_rows(12))
    valid = write_jsonl(tmp_path / "valid.jsonl", chat_rows(10, start=50))
    too_long = cli(
        "jobs",
        "create",
        train,
        "--model",
        "gpt-4.1-mini",
        "--provider",
        "azure",
        "--suffix",
        "a-suffix-of-19-char",
    )
    assert too_long.code == 2
    assert "at most 18 characters" in too_long.err
    bad_tier = cli(
        "jobs",
        "create",
        train,
        "--model",
        "gpt-4.1-mini",
        "--provider",
        "azure",
        "--training-type",
        "premium",
    )
    assert bad_tier.code == 2
    assert "GlobalStandard" in bad_tier.err

    created = cli(
        "jobs",
        "create",
        train,
        "--validation-file",
        valid,
        "--model",
        "gpt-4.1-mini",
        "--provider",
        "azure",
        "--suffix",
        "pirate",
        "--training-type",
        "GlobalStandard",
    )
    assert created.code == 0, created.err
    job_id = _job_id(created)
    followed = cli("jobs", "follow", job_id, "--provider", "azure", "--json")
    assert followed.code == 0, followed.err
    events = [json.loads(line) for line in followed.out.splitlines()]
    assert events
    assert (
        events[-1]["message"].lower().startswith("the job has successfully completed")
    )

    results = tmp_path / "results.csv"
    got = cli("jobs", "results", job_id, "--provider", "azure", "-o", results)
    assert got.code == 0, got.err
    header = results.read_text().splitlines()[0].split(",")
    assert "train_mean_token_accuracy" in header  # Azure's names
    assert "validation_mean_token_accuracy" in header
    series = MetricSeries()
    reconcile(series, results.read_bytes())
    assert series.has("valid_mean_token_accuracy")  # the monitor reads Azure's CSV

    out = tmp_path / "archive"
    prompts = write_jsonl(tmp_path / "held.jsonl", chat_rows(3, start=90))
    archived = cli("archive", "--out", out, "--provider", "azure", "--prompts", prompts)
    assert archived.code == 0, archived.err
    folder = out / job_id
    assert (folder / "training.jsonl").read_bytes() == train.read_bytes()
    assert (folder / "validation.jsonl").read_bytes() == valid.read_bytes()
    kept = (folder / "events.jsonl").read_text().splitlines()
    assert len(kept) == len(events)
    assert [json.loads(line)["id"] for line in kept] == [e["id"] for e in events]
    assert (folder / "results.csv").read_bytes() == results.read_bytes()
    job = json.loads((folder / "job.json").read_text())
    assert job["id"] == job_id
    assert json.loads((folder / "checkpoints.json").read_text())
    model = job["fine_tuned_model"]
    inventory = json.loads((out / "models.json").read_text())
    assert [m["model"] for m in inventory] == [model]
    assert inventory[0]["base"] == job["model"]
    page = (out / "index.html").read_text()
    assert "<svg" in page
    assert model in page
    golden = [
        json.loads(x) for x in next((out / "golden").iterdir()).read_text().splitlines()
    ]
    assert len(golden) == 3
    assert golden[0]["messages"][-1]["role"] == "assistant"
    assert golden[0]["messages"][-1]["content"]

    again = cli("archive", "--out", out, "--provider", "azure", "--prompts", prompts)
    assert again.code == 0, again.err
    assert "nothing was new" in again.out
    assert len((folder / "events.jsonl").read_text().splitlines()) == len(events)
    assert len(next((out / "golden").iterdir()).read_text().splitlines()) == 3


def test_openai_launch_says_how_many_days_are_left(
    cli: Callable[..., Outcome], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OPENAI_API_KEY", "FTSTUDIO_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    train = write_jsonl(tmp_path / "train.jsonl", chat_rows(12))
    out = cli("jobs", "create", train, "--model", "gpt-4.1-mini")
    assert out.code == 4  # no key: nothing was sent
    assert "OpenAI: Clos" in out.err
    assert "job creation end" in out.err
    assert "2027-01-06" in out.err
    assert "No API key is set for OpenAI" in out.err
    wrong = cli("jobs", "create", train, "--model", "m", "--lora-r", "8")
    assert wrong.code == 2
    assert "--lora-r is for nebius and local only" in wrong.err
