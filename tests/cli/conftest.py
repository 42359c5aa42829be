"""Helpers for running ``ftstudio`` in-process, as a user would type it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import orjson
import pytest

from ftstudio.cli.main import run_cli

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """Run ``ftstudio ARGS…`` in-process; return exit code, stdout and stderr."""

    def run(*args: str) -> Outcome:
        try:
            code = run_cli([str(a) for a in args])
        except SystemExit as exc:  # argparse exits on bad arguments
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


def example(i: int, *, weight: int | None = None) -> dict[str, object]:
    assistant: dict[str, object] = {
        "role": "assistant",
        "content": f"Answer number {i}.",
    }
    if weight is not None:
        assistant["weight"] = weight
    return {
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": f"Question number {i}?"},
            assistant,
        ]
    }


def write_jsonl(path: Path, values: list[dict[str, object]], tail: bytes = b"") -> Path:
    path.write_bytes(b"".join(orjson.dumps(v) + b"\n" for v in values) + tail)
    return path


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    """A clean chat dataset of 60 examples."""
    return write_jsonl(tmp_path / "train.jsonl", [example(i) for i in range(60)])
