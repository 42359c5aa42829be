"""Start sandbox jobs for the Monitor tests (core and GUI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.sandbox_data import chat_rows, write_jsonl


def start_job(client: Any, folder: Path, *, examples: int = 12, epochs: int = 3) -> Any:
    """Upload a small pirate dataset and start a job with validation; return it."""
    path = write_jsonl(folder / "monitor-train.jsonl", chat_rows(examples))
    uploaded = client.files.create(file=path, purpose="fine-tune")
    return client.fine_tuning.jobs.create(
        model="gpt-4o-mini",
        training_file=uploaded.id,
        validation_file=uploaded.id,
        suffix="monitor",
        method={
            "type": "supervised",
            "supervised": {"hyperparameters": {"n_epochs": epochs}},
        },
    )
