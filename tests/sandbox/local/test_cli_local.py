"""The command line trains on this computer: ``ftstudio jobs create --provider local``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ftstudio.cli.main import run_cli
from tests.sandbox_data import KEY

pytestmark = pytest.mark.slow


def test_jobs_create_with_the_local_provider_trains_with_lora_settings(
    local_server: Any,
    local_client: Any,
    qa_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", local_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setattr("ftstudio.core.api.jobs.POLL_SECONDS", 0.2)
    code = run_cli(
        [
            "jobs",
            "create",
            str(qa_file),
            "--provider",
            "local",
            "--model",
            "tiny-llama",
            "--epochs",
            "1",
            "--batch-size",
            "10",
            "--lora-r",
            "8",
            "--wait",
            "--json",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    job = local_client.fine_tuning.jobs.list().data[0]
    assert job.status == "succeeded"
    hyper = job.method.supervised.hyperparameters.model_extra
    assert (hyper["lora_r"], hyper["lora_alpha"]) == (8, 16)
    assert job.fine_tuned_model in out  # the command says what it made
