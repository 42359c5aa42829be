"""What the trainer process is asked to do, and the files it writes, in one job folder.

The service writes ``spec.json``; the trainer process writes ``events.jsonl``
(metrics and messages, one JSON object a line, appended as training runs),
``checkpoints.jsonl`` (one line per epoch-end checkpoint), ``results.csv`` and,
last, ``outcome.json``. A file named ``pause`` asks the trainer to save a
checkpoint and stop. Files are the whole interface, so a restarted service
reads everything a trainer left behind.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson


@dataclass
class TrainSpec:
    """One training run of a job (a resume is a new run with ``resume_from``)."""

    model_path: str
    method: str
    training_file: str
    validation_file: str | None
    n_epochs: int
    batch_size: int
    learning_rate: float
    seed: int
    device: str
    lora: bool = True
    lora_r: int = 16
    lora_alpha: int = 32
    beta: float = 0.1
    resume_from: str | None = None
    max_length: int = 4096
    extra: dict[str, Any] = field(default_factory=dict)

    def write(self, folder: Path) -> None:
        """Write ``spec.json`` into ``folder``."""
        (folder / "spec.json").write_bytes(orjson.dumps(asdict(self)))

    @classmethod
    def read(cls, folder: Path) -> TrainSpec:
        """Read ``spec.json`` from ``folder``."""
        return cls(**orjson.loads((folder / "spec.json").read_bytes()))


class JobFiles:
    """The paths of one job folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.events = folder / "events.jsonl"
        self.checkpoints = folder / "checkpoints.jsonl"
        self.outcome = folder / "outcome.json"
        self.results = folder / "results.csv"
        self.pause = folder / "pause"
        self.log = folder / "trainer.log"
        self.run_dir = folder / "run"
        self.model_dir = folder / "model"


def append_line(path: Path, value: dict[str, Any]) -> None:
    """Append one JSON line and flush it (readers poll the file)."""
    with path.open("ab") as fh:
        fh.write(orjson.dumps(value) + b"\n")


# path -> (inode, bytes read, lines so far): the Monitor polls a job's events
# every second; a long job's log is read once, then only what was appended.
_READ: dict[Path, tuple[int, int, list[dict[str, Any]]]] = {}
_READ_LOCK = threading.Lock()


def read_lines(path: Path) -> list[dict[str, Any]]:
    """Return the complete JSON lines of ``path`` (a half-written last line waits).

    Files here are only ever appended to; one replaced or shortened is read again.
    """
    try:
        with path.open("rb") as fh:
            inode, size = os.fstat(fh.fileno()).st_ino, os.fstat(fh.fileno()).st_size
            with _READ_LOCK:
                known, offset, lines = _READ.get(path, (inode, 0, []))
                if known != inode or size < offset:
                    offset, lines = 0, []
                fh.seek(offset)
                chunk = fh.read(size - offset)
                complete = chunk.rfind(b"\n") + 1  # a half-written line waits
                for line in chunk[:complete].split(b"\n")[:-1]:
                    try:
                        lines.append(orjson.loads(line))
                    except orjson.JSONDecodeError:
                        continue
                _READ[path] = (inode, offset + complete, lines)
                return list(lines)
    except FileNotFoundError:
        return []


def event(
    level: str, message: str, kind: str = "message", data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return one event as the trainer writes it."""
    return {
        "t": time.time(),
        "level": level,
        "message": message,
        "type": kind,
        "data": data or {},
    }
