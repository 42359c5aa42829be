"""A data folder written by an earlier version loads, answers as before and saves unchanged."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ftstudio.sandbox.job import JobStatus
from ftstudio.sandbox.simulated import SimulatedTrainer
from ftstudio.sandbox.state import State

if TYPE_CHECKING:
    from pathlib import Path

CREATED = 1_760_000_000.5
# A state.json as the version before the Job dataclass wrote it (one simulated
# job, paused once and finished; one local job that failed in training).
OLD_STATE: dict[str, Any] = {
    "schema": 1,
    "files": {},
    "uploads": {},
    "jobs": {
        "ftjob-AAAAAAAAAAAAAAAAAAAAAAAA": {
            "id": "ftjob-AAAAAAAAAAAAAAAAAAAAAAAA",
            "created_at_f": CREATED,
            "model": "gpt-4o-mini",
            "training_file": "file-TTTTTTTTTTTTTTTTTTTTTTTT",
            "validation_file": None,
            "method": "supervised",
            "hyperparameters": {
                "n_epochs": 3,
                "batch_size": 1,
                "learning_rate_multiplier": 1.8,
            },
            "learning_rate_multiplier": 1.8,
            "epochs": 3,
            "steps_per_epoch": 10,
            "examples": 10,
            "billing_tokens": 250,
            "suffix": "faq",
            "seed": 42,
            "metadata": {"batch": "a"},
            "failure": None,
            "pauses": [[CREATED + 20.0, CREATED + 30.0]],
            "cancelled_at": None,
            "notes": [
                {
                    "t": CREATED + 20.0,
                    "level": "info",
                    "message": "Fine-tuning job paused",
                },
                {
                    "t": CREATED + 30.0,
                    "level": "info",
                    "message": "Fine-tuning job resumed",
                },
            ],
            "result_file_id": "file-RRRRRRRRRRRRRRRRRRRRRRRR",
            "finalized": True,
            "speed": 1.0,
        },
        "ftjob-BBBBBBBBBBBBBBBBBBBBBBBB": {
            "id": "ftjob-BBBBBBBBBBBBBBBBBBBBBBBB",
            "created_at_f": CREATED,
            "model": "tiny-chat",
            "training_file": "file-TTTTTTTTTTTTTTTTTTTTTTTT",
            "validation_file": None,
            "method": "supervised",
            "hyperparameters": {
                "n_epochs": 2,
                "batch_size": 1,
                "learning_rate_multiplier": 1.8,
                "lora": True,
                "lora_r": 16,
                "lora_alpha": 32,
                "learning_rate": 0.00018,
            },
            "learning_rate_multiplier": 1.8,
            "epochs": 2,
            "steps_per_epoch": 10,
            "examples": 10,
            "billing_tokens": 250,
            "suffix": None,
            "seed": 7,
            "metadata": None,
            "failure": None,
            "pauses": [],
            "cancelled_at": None,
            "notes": [],
            "result_file_id": "file-SSSSSSSSSSSSSSSSSSSSSSSS",
            "finalized": False,
            "local": {
                "status": "failed",
                "runs": 1,
                "pid": 4242,
                "resume": False,
                "finished_at": CREATED + 99.0,
                "error": {
                    "code": "training_failed",
                    "message": "Out of memory.",
                    "param": None,
                },
            },
        },
    },
    "deleted_models": [],
}


def _old_folder(tmp_path: Path) -> Path:
    (tmp_path / "state.json").write_text(json.dumps(OLD_STATE))
    return tmp_path


def test_an_earlier_data_folder_answers_its_jobs_as_before(tmp_path: Path) -> None:
    state = State(_old_folder(tmp_path))
    trainer = SimulatedTrainer(state, speed=1.0)
    job = trainer.record("ftjob-AAAAAAAAAAAAAAAAAAAAAAAA")
    assert job.pauses[0].end == CREATED + 30.0
    assert job.local is None
    assert job.speed == 1.0
    shown = trainer.to_json(job, now=CREATED + 1000)
    assert json.dumps(shown) == json.dumps(
        {
            "id": "ftjob-AAAAAAAAAAAAAAAAAAAAAAAA",
            "object": "fine_tuning.job",
            "created_at": int(CREATED),
            "hyperparameters": {
                "batch_size": 1,
                "learning_rate_multiplier": 1.8,
                "n_epochs": 3,
            },
            "model": "gpt-4o-mini",
            "organization_id": "org-sandbox",
            "seed": 42,
            "training_file": "file-TTTTTTTTTTTTTTTTTTTTTTTT",
            "validation_file": None,
            "integrations": [],
            "metadata": {"batch": "a"},
            "method": {
                "type": "supervised",
                "supervised": {
                    "hyperparameters": {
                        "n_epochs": 3,
                        "batch_size": 1,
                        "learning_rate_multiplier": 1.8,
                    }
                },
            },
            "user_provided_suffix": "faq",
            "status": "succeeded",
            "error": None,
            "fine_tuned_model": "ft:gpt-4o-mini:sandbox:faq:AAAAAAAA",
            # a minute of run plus the ten-second pause
            "finished_at": int(CREATED + 60.0 + 10.0),
            "result_files": ["file-RRRRRRRRRRRRRRRRRRRRRRRR"],
            "trained_tokens": 750,
            "estimated_finish": None,
        }
    )
    events = trainer.events_page(job.id, None, 100)["data"]
    assert [e["message"] for e in events if e["type"] == "message"][:2] == [
        "The job has successfully completed",
        "Usage policy evaluations completed, model is now enabled for sampling",
    ]


def test_a_local_job_of_an_earlier_version_keeps_its_run_state(tmp_path: Path) -> None:
    state = State(_old_folder(tmp_path))
    job = state.jobs["ftjob-BBBBBBBBBBBBBBBBBBBBBBBB"]
    assert job.local is not None
    assert job.local.status is JobStatus.FAILED
    assert job.local.error is not None
    assert job.local.error.message == "Out of memory."


def test_saving_an_earlier_data_folder_writes_its_jobs_back_unchanged(
    tmp_path: Path,
) -> None:
    state = State(_old_folder(tmp_path))
    state.save()
    saved = json.loads((tmp_path / "state.json").read_text())
    assert saved["jobs"] == OLD_STATE["jobs"]


def test_an_unreadable_job_is_left_out_but_not_lost(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(OLD_STATE))
    del doc["jobs"]["ftjob-BBBBBBBBBBBBBBBBBBBBBBBB"]["model"]
    (tmp_path / "state.json").write_text(json.dumps(doc))
    state = State(tmp_path)
    assert list(state.jobs) == ["ftjob-AAAAAAAAAAAAAAAAAAAAAAAA"]
    state.save()
    saved = json.loads((tmp_path / "state.json").read_text())
    assert saved["jobs"] == doc["jobs"]
