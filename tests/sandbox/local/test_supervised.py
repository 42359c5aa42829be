"""A supervised job trains for real through the official SDK, and its model has learned."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.local_fixtures import QA
from tests.sandbox.local.jobs import ask, create, metrics, wait

pytestmark = pytest.mark.slow
EPOCHS = 40


def test_full_fine_tuning_memorises_the_answers(
    local_client: Any, qa_file: Any
) -> None:
    # Four layers and a plain learning rate: two-layer models plateau before they
    # learn to look back at the question (measured: loss stuck at ln(10)/5).
    job = create(
        local_client,
        qa_file,
        n_epochs=EPOCHS,
        batch_size=5,
        learning_rate=2e-3,
        lora=False,
    )
    assert job.status == "queued"
    done = wait(local_client, job.id)
    assert done.status == "succeeded", done.error
    assert done.fine_tuned_model == f"ft:tiny-llama:local:t:{job.id[6:14]}"
    assert done.trained_tokens > 0
    steps = metrics(local_client, job.id)
    assert len(steps) == EPOCHS * 2
    assert steps[-1]["train_loss"] < steps[0]["train_loss"] / 3
    assert steps[-1]["tokens_per_second"] > 0
    assert {"train_mean_token_accuracy", "device"} <= set(steps[-1])

    learned = sum(ask(local_client, done.fine_tuned_model, q) == a for q, a in QA)
    base = sum(ask(local_client, "tiny-llama", q) == a for q, a in QA)
    assert learned >= 8, f"only {learned} of 10 answers were learned"
    assert base == 0

    stream = local_client.chat.completions.create(
        model=done.fine_tuned_model,
        messages=[{"role": "user", "content": QA[1][0]}],
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    pieces = [
        c.choices[0].delta.content
        for c in chunks
        if c.choices and c.choices[0].delta.content
    ]
    assert "".join(pieces) == QA[1][1]
    assert len(pieces) >= 3  # token by token: "The", " falcon", "."
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].usage.completion_tokens >= len(pieces)

    checkpoints = list(
        local_client.fine_tuning.jobs.checkpoints.list(job.id, limit=100)
    )
    # Full fine-tuning keeps the last three epochs' checkpoints, as OpenAI does.
    assert [c.step_number for c in checkpoints] == [
        2 * e for e in range(EPOCHS, EPOCHS - 3, -1)
    ]
    # A checkpoint is a model too: the last one answers like the final model.
    last = checkpoints[0].fine_tuned_model_checkpoint
    assert ask(local_client, last, QA[0][0]) == ask(
        local_client, done.fine_tuned_model, QA[0][0]
    )

    rows = list(
        csv.DictReader(
            io.StringIO(local_client.files.content(done.result_files[0]).text)
        )
    )
    assert list(rows[0]) == [
        "step",
        "train_loss",
        "train_accuracy",
        "valid_loss",
        "valid_mean_token_accuracy",
    ]
    assert len(rows) == EPOCHS * 2

    names = [m.id for m in local_client.models.list()]
    assert names == ["tiny-llama", done.fine_tuned_model]


def test_lora_job_with_validation_reports_validation_loss(
    local_client: Any, qa_file: Any
) -> None:
    job = create(local_client, qa_file, validation=qa_file, n_epochs=2, batch_size=5)
    done = wait(local_client, job.id)
    assert done.status == "succeeded", done.error
    hyper = done.method.supervised.hyperparameters
    assert hyper.model_extra["lora"] is True
    assert hyper.model_extra["learning_rate"] == pytest.approx(1.8e-4)
    steps = metrics(local_client, job.id)
    assert len(steps) == 4
    assert all("valid_loss" in s for s in steps)
    assert [("full_valid_loss" in s) for s in steps] == [False, True, False, True]
