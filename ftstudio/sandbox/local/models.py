"""Local base models: Hugging Face model folders under a directory and in the HF cache.

A usable folder has ``config.json``, safetensors weights and a tokenizer with a
chat template. Sizes come from the safetensors headers (a few KB read per file),
so listing a 40 GB model costs milliseconds and loads nothing.
"""

from __future__ import annotations

import json
import logging
import os
import struct
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
GB = 1024**3
_DTYPE_BYTES = {
    "F64": 8, "I64": 8, "U64": 8, "F32": 4, "I32": 4, "U32": 4, "F16": 2,
    "BF16": 2, "I16": 2, "U16": 2, "F8_E4M3": 1, "F8_E5M2": 1, "I8": 1, "U8": 1,
    "BOOL": 1,
}  # fmt: skip
# Quantised checkpoints (gpt-oss ships MXFP4 experts as packed U8 blocks) are
# counted by their bytes; training dequantises them to bf16, as OpenAI's recipe does.
TRAIN_BYTES_PER_PARAM_LORA = 2.4  # bf16 weights plus ~20% for LoRA and buffers
TRAIN_BYTES_PER_PARAM_FULL = 16.0  # weights, gradients and two Adam moments
ACTIVATIONS = 2 * GB


@dataclass(frozen=True)
class LocalModel:
    """One base model folder."""

    name: str
    path: Path
    parameters: int
    size_bytes: int

    def need_bytes(self, *, lora: bool, cpu: bool = False) -> int:
        """Return about how much memory training needs (see README: local training)."""
        per = TRAIN_BYTES_PER_PARAM_LORA if lora else TRAIN_BYTES_PER_PARAM_FULL
        if cpu:
            per *= 2  # float32 on the CPU
        return int(self.parameters * per + ACTIVATIONS)


def _parameters(files: list[Path]) -> tuple[int, int]:
    params = size = 0
    for f in files:
        size += f.stat().st_size
        with f.open("rb") as fh:
            (length,) = struct.unpack("<Q", fh.read(8))
            if length > 100_000_000:
                msg = f"{f.name} does not look like a safetensors file"
                raise ValueError(msg)
            header = json.loads(fh.read(length))
        for key, info in header.items():
            if key == "__metadata__":
                continue
            count = 1
            for dim in info["shape"]:
                count *= dim
            if info["dtype"] == "U8" and ("blocks" in key or "scales" in key):
                count *= 2  # MXFP4: two 4-bit weights a byte
            params += count
    return params, size


def _has_chat_template(folder: Path) -> bool:
    if (folder / "chat_template.jinja").is_file() or (
        folder / "chat_template.json"
    ).is_file():
        return True
    config = folder / "tokenizer_config.json"
    if config.is_file():
        try:
            return bool(json.loads(config.read_text("utf-8")).get("chat_template"))
        except (OSError, ValueError):
            return False
    return False


def why_unusable(folder: Path) -> str | None:
    """Return why ``folder`` is not a usable chat model folder, or None."""
    if not (folder / "config.json").is_file():
        return "no config.json"
    if not list(folder.glob("*.safetensors")):
        return "no .safetensors weights"
    if not (
        (folder / "tokenizer.json").is_file()
        or (folder / "tokenizer_config.json").is_file()
    ):
        return "no tokenizer"
    if not _has_chat_template(folder):
        return "its tokenizer has no chat template"
    return None


def read_model(name: str, folder: Path) -> LocalModel | None:
    """Return the model in ``folder`` or None (with a log line saying why)."""
    reason = why_unusable(folder)
    if reason is None:
        try:
            params, size = _parameters(sorted(folder.glob("*.safetensors")))
        except (OSError, ValueError, KeyError, struct.error) as exc:
            reason = f"its weights could not be read ({exc})"
        else:
            return LocalModel(name, folder, params, size)
    log.info("skipped model folder %s: %s", folder, reason)
    return None


def hf_cache_dir() -> Path:
    """Return the Hugging Face hub cache folder (``HF_HUB_CACHE``, ``HF_HOME``)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or Path.home() / ".cache" / "huggingface"
    return Path(home) / "hub"


def _cached(cache: Path) -> list[tuple[str, Path]]:
    found = []
    for repo in sorted(cache.glob("models--*")):
        name = repo.name.removeprefix("models--").replace("--", "/")
        ref = repo / "refs" / "main"
        snapshot = None
        if ref.is_file():
            snapshot = repo / "snapshots" / ref.read_text().strip()
        else:
            snaps = sorted(
                (repo / "snapshots").glob("*"), key=lambda p: p.stat().st_mtime
            )
            snapshot = snaps[-1] if snaps else None
        if snapshot is not None and snapshot.is_dir():
            found.append((name, snapshot))
    return found


def discover(models_dir: Path | None, cache: Path | None) -> list[LocalModel]:
    """Return the base models under ``models_dir`` (one or two levels) and in ``cache``."""
    candidates: list[tuple[str, Path]] = []
    if models_dir is not None and models_dir.is_dir():
        for child in sorted(models_dir.iterdir()):
            if not child.is_dir():
                continue
            if (child / "config.json").is_file():
                candidates.append((child.name, child))
                continue
            for inner in sorted(child.iterdir()):  # org/name layouts
                if inner.is_dir() and (inner / "config.json").is_file():
                    candidates.append((f"{child.name}/{inner.name}", inner))
    if cache is not None and cache.is_dir():
        candidates += _cached(cache)
    seen: set[str] = set()
    out = []
    for name, folder in candidates:
        if name in seen:
            continue
        model = read_model(name, folder)
        if model is not None:
            seen.add(name)
            out.append(model)
    return out
