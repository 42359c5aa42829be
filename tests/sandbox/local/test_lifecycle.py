"""Local jobs: weight 0, DPO, cancel, pause and resume, a failing trainer, a restart."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.local_fixtures import QA, qa_rows, start_local
from tests.sandbox.local.jobs import create, metrics, wait, wait_for_metrics
from tests.sandbox_data import KEY, write_jsonl

pytestmark = pytest.mark.slow


def _with_extra_turn(weight: int) -> list[dict[str, Any]]:
    rows = qa_rows()
    for row in rows:
        row["messages"] += [
            {"role": "user", "content": "And gate Z?"},
            {
                "role": "assistant",
                "content": "The moose, the otter and the lynx.",
                "weight": weight,
            },
        ]
    return rows


def test_weight_zero_replies_carry_no_loss(local_client: Any, tmp_path: Path) -> None:
    files = {
        "plain": write_jsonl(tmp_path / "plain.jsonl", qa_rows()),
        "weight 0": write_jsonl(tmp_path / "w0.jsonl", _with_extra_turn(0)),
        "weight 1": write_jsonl(tmp_path / "w1.jsonl", _with_extra_turn(1)),
    }
    # One step over all ten examples: the loss is the mean over trained tokens.
    jobs = {
        k: create(local_client, p, n_epochs=1, batch_size=10) for k, p in files.items()
    }
    loss = {}
    for name, job in jobs.items():
        assert wait(local_client, job.id).status == "succeeded"
        loss[name] = metrics(local_client, job.id)[0]["train_loss"]
    # Same to the last logged digit; the control shows the test can see a change.
    assert abs(loss["weight 0"] - loss["plain"]) <= 2e-4, loss
    assert abs(loss["weight 1"] - loss["plain"]) > 2e-3, loss


def test_dpo_job_trains(local_client: Any, tmp_path: Path) -> None:
    rows = [
        {
            "input": {"messages": [{"role": "user", "content": q}]},
            "preferred_output": [{"role": "assistant", "content": a}],
            "non_preferred_output": [{"role": "assistant", "content": wrong}],
        }
        for (q, a), (_, wrong) in zip(QA, QA[1:] + QA[:1], strict=True)
    ]
    job = create(
        local_client,
        write_jsonl(tmp_path / "dpo.jsonl", rows),
        method="dpo",
        n_epochs=2,
        batch_size=3,
        beta=0.2,
    )
    done = wait(local_client, job.id)
    assert done.status == "succeeded", done.error
    steps = metrics(local_client, job.id)
    assert len(steps) == 8
    assert all(s["train_loss"] > 0 for s in steps)
    reply = local_client.chat.completions.create(
        model=done.fine_tuned_model,
        messages=[{"role": "user", "content": QA[0][0]}],
        max_tokens=4,
    )
    assert reply.usage.completion_tokens >= 1  # the DPO adapter loads and answers


def test_cancel_stops_the_trainer_within_seconds(
    local_client: Any, local_server: Any, qa_file: Path
) -> None:
    job = create(local_client, qa_file, n_epochs=50, batch_size=1)
    wait_for_metrics(local_client, job.id)
    process = local_server.sandbox.jobs._process
    started = time.monotonic()
    assert local_client.fine_tuning.jobs.cancel(job.id).status == "cancelled"
    assert time.monotonic() - started < 10
    assert process.poll() is not None  # the trainer process is gone
    assert wait(local_client, job.id).status == "cancelled"
    messages = [
        e.message for e in local_client.fine_tuning.jobs.list_events(job.id, limit=100)
    ]
    assert messages[0] == "Fine-tuning job cancelled"


def test_pause_keeps_a_checkpoint_and_resume_continues(
    local_client: Any, qa_file: Path
) -> None:
    job = create(local_client, qa_file, n_epochs=6, batch_size=1)
    wait_for_metrics(local_client, job.id, count=3)
    assert local_client.fine_tuning.jobs.pause(job.id).status == "paused"
    wait(local_client, job.id, until={"paused"})
    deadline = time.monotonic() + 60
    while "Fine-tuning job paused" not in [
        e.message for e in local_client.fine_tuning.jobs.list_events(job.id, limit=100)
    ]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    paused_at = metrics(local_client, job.id)[-1]["step"]
    assert paused_at < 60
    assert local_client.fine_tuning.jobs.resume(job.id).status == "queued"
    done = wait(local_client, job.id)
    assert done.status == "succeeded", done.error
    steps = [m["step"] for m in metrics(local_client, job.id)]
    assert steps[-1] == 60
    assert set(range(paused_at + 1, 61)) <= set(steps)  # continued, not restarted
    assert steps.count(1) == 1


def test_a_broken_model_fails_the_job_in_plain_words(
    local_client: Any, local_server: Any, tiny_models_dir: Path, qa_file: Path
) -> None:
    broken = tiny_models_dir.parent / "broken-models" / "tiny-broken"
    broken.mkdir(parents=True, exist_ok=True)
    for f in (tiny_models_dir / "tiny-llama").iterdir():
        data = f.read_bytes()
        if f.suffix == ".safetensors":
            data = data[: len(data) // 2]  # a download that stopped half way
        (broken / f.name).write_bytes(data)
    local_server.sandbox.jobs.catalog.models_dir = broken.parent
    with qa_file.open("rb") as fh:
        training = local_client.files.create(file=fh, purpose="fine-tune")
    job = local_client.fine_tuning.jobs.create(
        model="tiny-broken", training_file=training.id
    )
    done = wait(local_client, job.id)
    assert done.status == "failed"
    assert "could not be loaded" in done.error.message
    assert "Traceback" not in done.error.message


def test_jobs_and_models_survive_a_restart(
    tmp_path: Path, tiny_models_dir: Path, qa_file: Path
) -> None:
    from openai import OpenAI

    srv = start_local(tmp_path / "svc", tiny_models_dir)
    client = OpenAI(base_url=srv.base_url, api_key=KEY, max_retries=0, timeout=60)
    job = create(client, qa_file, n_epochs=4, batch_size=1)
    wait_for_metrics(client, job.id, count=12)  # past the first epoch's checkpoint
    srv.stop()  # the service stops while the job trains
    client.close()

    srv = start_local(tmp_path / "svc", tiny_models_dir)
    client = OpenAI(base_url=srv.base_url, api_key=KEY, max_retries=0, timeout=60)
    try:
        done = wait(client, job.id)
        assert done.status == "succeeded", done.error
        events = [
            e.message for e in client.fine_tuning.jobs.list_events(job.id, limit=100)
        ]
        assert any("restarted while this job was training" in m for m in events)
        assert "Fine-tuning job resumed from its last checkpoint" in events
        assert metrics(client, job.id)[-1]["step"] == 40
        reply = client.chat.completions.create(
            model=done.fine_tuned_model,
            messages=[{"role": "user", "content": QA[1][0]}],
            max_tokens=4,
        )
        assert (
            reply.usage.completion_tokens >= 1
        )  # the adapter saved after the restart loads and answers
        assert [m.id for m in client.models.list()][-1] == done.fine_tuned_model
    finally:
        client.close()
        srv.stop()
    assert (
        json.loads((tmp_path / "svc" / "state.json").read_text())["jobs"][job.id][
            "local"
        ]["runs"]
        == 2
    )


def test_a_killed_trainer_fails_the_job_with_its_reason(
    local_client: Any, local_server: Any, qa_file: Path
) -> None:
    import os
    import signal

    job = create(local_client, qa_file, n_epochs=50, batch_size=1)
    wait_for_metrics(local_client, job.id)
    os.killpg(
        local_server.sandbox.jobs._process.pid, signal.SIGKILL
    )  # as the OOM killer would
    done = wait(local_client, job.id)
    assert done.status == "failed"
    assert done.error.message.startswith(
        "The trainer process stopped unexpectedly: it was killed (SIGKILL)"
    )
    assert "memory" in done.error.message


def test_cancelled_is_the_last_event_even_if_a_step_lands_meanwhile(
    local_client: Any, local_server: Any, qa_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftstudio.sandbox.local import trainer as trainer_module
    from ftstudio.sandbox.local.spec import append_line, event
    from ftstudio.sandbox.local.supervise import stop_child

    job = create(local_client, qa_file, n_epochs=50, batch_size=1)
    wait_for_metrics(local_client, job.id)
    jobs = local_server.sandbox.jobs

    def stop_after_one_more_step(process: Any) -> None:
        # the trainer logs a step just as the cancel request arrives
        record = jobs.record(job.id)
        append_line(jobs.files(record).events, event("info", "Step 99/500: late"))
        stop_child(process)

    monkeypatch.setattr(trainer_module, "stop_child", stop_after_one_more_step)
    local_client.fine_tuning.jobs.cancel(job.id)
    assert wait(local_client, job.id).status == "cancelled"
    newest = local_client.fine_tuning.jobs.list_events(job.id, limit=3).data
    assert newest[0].message == "Fine-tuning job cancelled"
    assert newest[1].message == "Step 99/500: late"
