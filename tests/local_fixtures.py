"""A real local training service with a tiny random model built in the tests (no download).

The model is a 2-layer Llama whose tokenizer learned the training texts, so a
few seconds of training on this CPU make it answer them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sandbox_data import KEY, write_jsonl

# Ten questions with distinct one-word answers: memorised in well under a minute.
ANIMALS = (
    "otter",
    "falcon",
    "badger",
    "walrus",
    "gecko",
    "lynx",
    "heron",
    "bison",
    "koala",
    "moose",
)
QA = [
    (f"Which animal guards gate {n}?", f"The {a}.")
    for n, a in zip("ABCDEFGHIJ", ANIMALS, strict=True)
]


def qa_rows(pairs: list[tuple[str, str]] = QA) -> list[dict[str, Any]]:
    """Return chat examples, one per question and answer."""
    return [
        {
            "messages": [
                {"role": "user", "content": q},
                {"role": "assistant", "content": a},
            ]
        }
        for q, a in pairs
    ]


def tiny_texts() -> list[str]:
    """Return every text the tiny model's tokenizer should know."""
    return [t for pair in QA for t in pair] + [
        "a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 . , ? !"
    ]


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a models folder holding ``tiny-llama`` (built once per test run)."""
    pytest.importorskip(
        "trl", reason="needs the train extra: pip install 'ftstudio[train]'"
    )
    from ftstudio.sandbox.local.tiny import make_tiny_model

    root = tmp_path_factory.mktemp("models")
    make_tiny_model(root / "tiny-llama", tiny_texts(), hidden=128, layers=4)
    return root


@pytest.fixture
def qa_file(tmp_path: Path) -> Path:
    """Return a training file of the ten questions."""
    return write_jsonl(tmp_path / "qa.jsonl", qa_rows())


def start_local(data: Path, models: Path) -> Any:
    """Start a local training service (CPU) over ``models``, keeping state in ``data``."""
    from ftstudio.sandbox.server import SandboxServer

    srv = SandboxServer(
        data,
        api_key=KEY,
        trainer="local",
        models_dir=models,
        device="cpu",
        use_hf_cache=False,
    )
    srv.start()
    return srv


@pytest.fixture
def local_server(tmp_path: Path, tiny_models_dir: Path) -> Iterator[Any]:
    """Return a running local training service (CPU) over the tiny models."""
    srv = start_local(tmp_path / "service", tiny_models_dir)
    yield srv
    srv.stop()


@pytest.fixture
def local_client(local_server: Any) -> Iterator[Any]:
    """Return the official SDK pointed at the local service."""
    from openai import OpenAI

    client = OpenAI(
        base_url=local_server.base_url, api_key=KEY, max_retries=0, timeout=60
    )
    yield client
    client.close()
