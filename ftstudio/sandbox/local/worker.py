"""The trainer process: ``python -m ftstudio.sandbox.local.worker JOB_FOLDER``.

Reads ``spec.json``, trains, and writes ``outcome.json`` last. A failure becomes
an outcome with a plain reason; a crash leaves no outcome, and the service reads
the end of ``trainer.log`` instead.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import orjson

from ftstudio.sandbox.local.spec import JobFiles, TrainSpec, append_line, event


def plain_reason(exc: BaseException) -> str:
    """Return what went wrong in words a user can act on."""
    text = f"{type(exc).__name__}: {exc}".strip()
    low = text.lower()
    if "out of memory" in low:
        return "The GPU ran out of memory. Lower the batch size, keep LoRA on, or pick a smaller model."
    if isinstance(exc, FileNotFoundError | OSError) and "safetensors" not in low:
        return f"A file the trainer needs could not be read: {exc}"
    if "safetensors" in low or "header" in low or "deserializ" in low:
        return f"The model's weights could not be loaded (the model folder may be damaged or incomplete): {text[:300]}"
    return f"The trainer stopped with an error: {text[:400]}"


def main(argv: list[str]) -> int:
    """Run one training run; return the process's exit code."""
    if len(argv) != 1:
        sys.stderr.write("usage: python -m ftstudio.sandbox.local.worker JOB_FOLDER\n")
        return 2
    files = JobFiles(Path(argv[0]))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download at run time
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    spec = TrainSpec.read(files.folder)
    try:
        from ftstudio.sandbox.local.run import train

        outcome = train(spec, files)
    except Exception as exc:
        logging.getLogger(__name__).exception("training failed")
        reason = plain_reason(exc)
        append_line(files.events, event("error", reason))
        outcome = {"status": "failed", "reason": reason}
    if os.environ.get("RANK", "0") != "0":
        return 0  # several GPUs (accelerate launch): the first process reports
    outcome["finished_at"] = time.time()
    tmp = files.outcome.with_suffix(".tmp")
    tmp.write_bytes(orjson.dumps(outcome))
    tmp.replace(files.outcome)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
