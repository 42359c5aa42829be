"""What the local service can train: its base models, the device, and whether they fit."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ftstudio.sandbox.local.device import Device
    from ftstudio.sandbox.local.models import LocalModel

GB = 1024**3
FRESH_S = 3.0  # how long a look at the model folders is reused


class Catalog:
    """Base models under a folder and in the Hugging Face cache, looked at every few seconds."""

    def __init__(
        self, models_dir: Path | None, hf_cache: Path | None, device: str
    ) -> None:
        self.models_dir = models_dir
        self.hf_cache = hf_cache
        self.wanted_device = device
        self._found: (
            tuple[float, tuple[Path | None, Path | None], list[LocalModel]] | None
        ) = None

    @property
    def device(self) -> Device:
        """Return the device jobs train on (raises ValueError in plain words)."""
        from ftstudio.sandbox.local.device import pick_device

        return pick_device(self.wanted_device)

    def models(self) -> list[LocalModel]:
        """Return the base models found (a folder added meanwhile is listed within seconds).

        Every chat request and job looks its model up here; reading the folders
        and every weight file's header each time cost disk reads per request, so
        what was found is kept for a few seconds.
        """
        from ftstudio.sandbox.local.models import discover

        where = (self.models_dir, self.hf_cache)
        now = time.monotonic()
        if (
            self._found is None
            or self._found[1] != where
            or now - self._found[0] > FRESH_S
        ):
            self._found = (now, where, discover(self.models_dir, self.hf_cache))
        return self._found[2]

    def model(self, name: str) -> LocalModel | None:
        """Return the base model called ``name``, if it is there."""
        return next((m for m in self.models() if m.name == name), None)

    def fits(self, model: LocalModel, *, lora: bool) -> tuple[bool, str]:
        """Return whether training ``model`` fits the device, and why not in words."""
        device = self.device
        need = model.need_bytes(lora=lora, cpu=device.kind == "cpu")
        if device.memory_bytes == 0 or need <= device.memory_bytes:
            return True, ""
        how = "with LoRA" if lora else "with full fine-tuning"
        return False, (
            f"{model.name} needs about {need / GB:.0f} GB of memory to train {how}, "
            f"but {device.name} has {device.memory_bytes / GB:.0f} GB. "
            "Pick a smaller model or a computer with a bigger GPU "
            "(see the README's local training section)."
        )

    def model_objects(self) -> list[dict[str, Any]]:
        """Return ``GET /v1/models`` objects, with size and fit under ``ftstudio``."""
        device = self.device
        out = []
        for model in self.models():
            fits, reason = self.fits(model, lora=True)
            out.append(
                {
                    "id": model.name,
                    "object": "model",
                    "created": int(model.path.stat().st_mtime),
                    "owned_by": "local",
                    "ftstudio": {
                        "kind": "base",
                        "path": str(model.path),
                        "parameters": model.parameters,
                        "size_bytes": model.size_bytes,
                        "fits": fits,
                        "need_bytes": model.need_bytes(
                            lora=True, cpu=device.kind == "cpu"
                        ),
                        "device": device.kind,
                        "device_name": device.name,
                        "device_bytes": device.memory_bytes,
                        "reason": reason,
                    },
                }
            )
        return out
