"""End to end with the official SDK over HTTP: the flows a studio user goes through."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openai
import pytest

from tests.sandbox.helpers import wait_for
from tests.sandbox_data import chat_rows, write_jsonl


def test_upload_train_watch_chat_delete(client, train_file: Path) -> None:
    uploaded = client.files.create(file=train_file, purpose="fine-tune")
    assert uploaded.status == "processed"
    assert client.files.content(uploaded.id).read() == train_file.read_bytes()

    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini",
        training_file=uploaded.id,
        validation_file=uploaded.id,
        suffix="pirate",
        method={
            "type": "supervised",
            "supervised": {"hyperparameters": {"n_epochs": 4}},
        },
        metadata={"project": "demo"},
    )
    assert job.status == "validating_files"
    assert job.estimated_finish is not None
    done = wait_for(client, job.id, {"succeeded", "failed", "cancelled"})
    assert done.status == "succeeded"
    assert done.fine_tuned_model == f"ft:gpt-4o-mini:sandbox:pirate:{job.id[6:14]}"
    assert done.trained_tokens
    assert done.trained_tokens > 0
    assert done.hyperparameters.n_epochs == 4
    assert done.metadata == {"project": "demo"}

    events = list(client.fine_tuning.jobs.list_events(job.id, limit=50))
    metrics = [e for e in events if e.type == "metrics"]
    assert len(metrics) == 4 * 12  # batch size 1: one step per example per epoch
    assert [m.data["step"] for m in metrics] == list(range(48, 0, -1))  # newest first
    assert all("train_loss" in m.data and "total_steps" in m.data for m in metrics)
    assert any("full_valid_loss" in m.data for m in metrics)
    assert events[0].message == "The job has successfully completed"

    checkpoints = list(client.fine_tuning.jobs.checkpoints.list(job.id))
    assert [c.step_number for c in checkpoints] == [48, 36, 24]

    for model in (done.fine_tuned_model, checkpoints[-1].fine_tuned_model_checkpoint):
        reply = client.chat.completions.create(
            model=model,
            messages=[{"role": "user", "content": "Tell me about topic number 7"}],
        )
        assert reply.choices[0].message.content == "Arr, 7 it be, matey!"
        assert reply.usage.completion_tokens > 0
    base = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Tell me about topic number 7"}],
    )
    assert "matey" not in base.choices[0].message.content

    result = client.files.content(done.result_files[0]).text
    rows = list(csv.DictReader(io.StringIO(result)))
    assert list(rows[0]) == [
        "step",
        "train_loss",
        "train_accuracy",
        "valid_loss",
        "valid_mean_token_accuracy",
    ]
    assert len(rows) == 48

    assert done.fine_tuned_model in {m.id for m in client.models.list()}
    assert client.models.delete(done.fine_tuned_model).deleted
    assert done.fine_tuned_model not in {m.id for m in client.models.list()}
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(
            model=done.fine_tuned_model, messages=[{"role": "user", "content": "hi"}]
        )
    assert err.value.code == "model_not_found"


def test_job_on_an_invalid_file_fails_with_openai_error(client, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    lines = list(
        write_jsonl(tmp_path / "x.jsonl", chat_rows(12)).read_text().splitlines()
    )
    lines[2] = '{"messages": [{"role": "user", "content": "no reply"'
    bad.write_text("\n".join(lines) + "\n")
    uploaded = client.files.create(file=bad, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=uploaded.id)
    done = wait_for(client, job.id, {"succeeded", "failed", "cancelled"})
    assert done.status == "failed"
    assert done.error.code == "invalid_training_file"
    assert done.error.param == "training_file"
    assert "Line 3" in done.error.message
    assert done.fine_tuned_model is None
    assert list(client.fine_tuning.jobs.checkpoints.list(job.id)) == []


def test_too_few_examples_fail(client, tmp_path: Path) -> None:
    small = write_jsonl(tmp_path / "small.jsonl", chat_rows(3))
    uploaded = client.files.create(file=small, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=uploaded.id)
    done = wait_for(client, job.id, {"succeeded", "failed", "cancelled"})
    assert done.status == "failed"
    assert "at least 10" in done.error.message


def test_dpo_needs_preference_examples(client, train_file: Path) -> None:
    uploaded = client.files.create(file=train_file, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini",
        training_file=uploaded.id,
        method={"type": "dpo", "dpo": {"hyperparameters": {"beta": 0.2}}},
    )
    assert job.method.dpo.hyperparameters.beta == 0.2
    done = wait_for(client, job.id, {"succeeded", "failed", "cancelled"})
    assert done.status == "failed"
    assert "preference" in done.error.message


def test_cancel_stops_the_job(client, train_file: Path) -> None:
    uploaded = client.files.create(file=train_file, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=uploaded.id)
    cancelled = client.fine_tuning.jobs.cancel(job.id)
    assert cancelled.status == "cancelled"
    again = client.fine_tuning.jobs.retrieve(job.id)
    assert again.status == "cancelled"
    assert again.fine_tuned_model is None
    assert (
        client.fine_tuning.jobs.list_events(job.id).data[0].message
        == "Fine-tuning job cancelled"
    )
    with pytest.raises(openai.BadRequestError):
        client.fine_tuning.jobs.cancel(job.id)


def test_pause_holds_progress_until_resume(client, train_file: Path) -> None:
    uploaded = client.files.create(file=train_file, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini",
        training_file=uploaded.id,
        hyperparameters={"n_epochs": 10},
    )
    with pytest.raises(openai.BadRequestError):
        client.fine_tuning.jobs.resume(job.id)  # not paused
    wait_for(client, job.id, {"running"})
    paused = client.fine_tuning.jobs.pause(job.id)
    assert paused.status == "paused"
    steps = [
        e
        for e in client.fine_tuning.jobs.list_events(job.id, limit=100)
        if e.type == "metrics"
    ]
    import time

    time.sleep(0.6)  # the whole run takes about 0.9 s at this speed
    later = [
        e
        for e in client.fine_tuning.jobs.list_events(job.id, limit=100)
        if e.type == "metrics"
    ]
    assert len(later) == len(steps) < 120
    assert client.fine_tuning.jobs.retrieve(job.id).status == "paused"
    resumed = client.fine_tuning.jobs.resume(job.id)
    assert resumed.status == "running"
    done = wait_for(client, job.id, {"succeeded", "failed", "cancelled"})
    assert done.status == "succeeded"
    messages = [
        e.message for e in client.fine_tuning.jobs.list_events(job.id, limit=100)
    ]
    assert "Fine-tuning job paused" in messages
    assert "Fine-tuning job resumed" in messages


def test_pagination_is_complete(client, train_file: Path) -> None:
    uploaded = client.files.create(file=train_file, purpose="fine-tune")
    ids = [
        client.fine_tuning.jobs.create(
            model="gpt-4o-mini",
            training_file=uploaded.id,
            metadata={"batch": "a" if i % 2 else "b"},
        ).id
        for i in range(7)
    ]
    listed = [j.id for j in client.fine_tuning.jobs.list(limit=2)]  # auto-paginates
    assert listed == ids[::-1]
    first = client.fine_tuning.jobs.list(limit=3)
    assert first.has_more
    only_a = [j.id for j in client.fine_tuning.jobs.list(metadata={"batch": "a"})]
    assert only_a == [i for n, i in enumerate(ids) if n % 2][::-1]

    wait_for(client, ids[-1], {"succeeded"})
    all_events = list(client.fine_tuning.jobs.list_events(ids[-1], limit=100))
    paged = list(client.fine_tuning.jobs.list_events(ids[-1], limit=7))
    assert [e.id for e in paged] == [e.id for e in all_events]
    assert len({e.id for e in paged}) == len(paged)

    files = [
        client.files.create(file=train_file, purpose="fine-tune").id for _ in range(4)
    ]
    listed_files = [f.id for f in client.files.list(limit=2, purpose="fine-tune")]
    assert {*files, uploaded.id} <= set(listed_files)
    assert len(listed_files) == len(set(listed_files))


def test_uploads_api_assembles_parts(client, train_file: Path) -> None:
    data = train_file.read_bytes()
    upload = client.uploads.upload_file_chunked(
        file=data,
        filename="big.jsonl",
        bytes=len(data),
        mime_type="application/jsonl",
        purpose="fine-tune",
        part_size=500,
    )
    assert upload.status == "completed"
    assert client.files.content(upload.file.id).read() == data

    pending = client.uploads.create(
        bytes=10, filename="x.jsonl", mime_type="text/plain", purpose="fine-tune"
    )
    part = client.uploads.parts.create(pending.id, data=b"12345")
    with pytest.raises(openai.BadRequestError) as err:
        client.uploads.complete(pending.id, part_ids=[part.id])  # 5 of 10 bytes
    assert "10" in err.value.message
    assert client.uploads.cancel(pending.id).status == "cancelled"


def test_dpo_job_on_preference_data_succeeds(client, tmp_path: Path) -> None:
    rows = [
        {
            "input": {"messages": [{"role": "user", "content": f"Greet person {i}"}]},
            "preferred_output": [
                {"role": "assistant", "content": f"Ahoy, person {i}!"}
            ],
            "non_preferred_output": [{"role": "assistant", "content": "Hello."}],
        }
        for i in range(12)
    ]
    path = write_jsonl(tmp_path / "prefs.jsonl", rows)
    uploaded = client.files.create(file=path, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini", training_file=uploaded.id, method={"type": "dpo"}
    )
    hyper = job.method.dpo.hyperparameters
    assert hyper.beta == 0.1
    assert hyper.n_epochs == 8  # auto: 12 examples × 3 < 100, so 100 // 12
    done = wait_for(client, job.id, {"succeeded", "failed", "cancelled"})
    assert done.status == "succeeded", done.error
    reply = client.chat.completions.create(
        model=done.fine_tuned_model,
        messages=[{"role": "user", "content": "Greet person 4"}],
    )
    assert reply.choices[0].message.content == "Ahoy, person 4!"


def test_event_pages_stay_complete_around_pause_and_cancel(
    client, train_file: Path
) -> None:
    uploaded = client.files.create(file=train_file, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini", training_file=uploaded.id, hyperparameters={"n_epochs": 10}
    )
    wait_for(client, job.id, {"running"})
    client.fine_tuning.jobs.pause(job.id)
    client.fine_tuning.jobs.resume(job.id)
    client.fine_tuning.jobs.cancel(job.id)
    whole = client.fine_tuning.jobs.list_events(job.id, limit=100).data
    paged = list(client.fine_tuning.jobs.list_events(job.id, limit=3))
    assert [e.id for e in paged] == [e.id for e in whole]
    times = [e.created_at for e in whole]
    assert times == sorted(times, reverse=True)
    messages = [e.message for e in whole]
    assert (
        messages.index("Fine-tuning job cancelled")
        < messages.index("Fine-tuning job resumed")
        < messages.index("Fine-tuning job paused")
    )
