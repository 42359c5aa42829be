"""Fixtures for chat and evaluation tests: a sandbox on loopback with one fine-tuned model.

``tests/core/conftest.py`` registers the fixtures ``chat_sandbox``, ``chat_client``
and ``tuned_model``.
The fine-tuned model learned 12 pirate answers: asked "Tell me about topic number 3
please" it answers exactly "Arr, 3 it be, matey!"; a base model answers plainly
("You wrote: ..."), so evaluation scores are known in advance.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ftstudio.sandbox.server import SandboxServer
from tests.sandbox_data import FAST, KEY, chat_rows, write_jsonl

BASE = "gpt-4o-mini"


def train_model(client: Any, tmp_path: Path) -> str:
    """Fine-tune the base model on the pirate rows in the sandbox; return the model name."""
    path = write_jsonl(tmp_path / "pirate.jsonl", chat_rows(12))
    uploaded = client.files.create(file=path, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(
        model=BASE, training_file=uploaded.id, suffix="pirate"
    )
    deadline = time.monotonic() + 20
    while True:
        job = client.fine_tuning.jobs.retrieve(job.id)
        if job.status == "succeeded":
            return str(job.fine_tuned_model)
        assert job.status not in {"failed", "cancelled"}, job.status
        assert time.monotonic() < deadline, f"job still {job.status}"
        time.sleep(0.05)


@pytest.fixture
def chat_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    srv = SandboxServer(tmp_path / "sandbox", api_key=KEY, speed=FAST)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def chat_client(chat_sandbox: SandboxServer) -> Iterator[Any]:
    from openai import OpenAI

    c = OpenAI(base_url=chat_sandbox.base_url, api_key=KEY, max_retries=0, timeout=10)
    yield c
    c.close()


@pytest.fixture
def tuned_model(chat_client: Any, tmp_path: Path) -> str:
    return train_model(chat_client, tmp_path)
