"""Which device trains, and how much memory it has (torch is imported only here, lazily)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

DEVICES = ("auto", "cuda", "mps", "cpu")


@dataclass(frozen=True)
class Device:
    """The device jobs train on."""

    kind: str  # cuda, mps or cpu
    name: str
    memory_bytes: int


def _system_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


@lru_cache(maxsize=4)
def pick_device(wanted: str) -> Device:
    """Return the device for ``wanted`` (``auto`` takes CUDA, then MPS, then the CPU).

    Raises ``ValueError`` with a plain sentence when the wanted device is absent.
    """
    import torch

    if wanted not in DEVICES:
        msg = f"Unknown device {wanted!r}: choose one of {', '.join(DEVICES)}."
        raise ValueError(msg)
    cuda = torch.cuda.is_available()
    mps = hasattr(torch.backends, "mps") and torch.backends.mps.is_available()
    if wanted == "cuda" and not cuda:
        msg = "No CUDA GPU is available to PyTorch on this computer (is the NVIDIA driver installed, and is torch a CUDA build?)."
        raise ValueError(msg)
    if wanted == "mps" and not mps:
        msg = "Apple's GPU (MPS) is not available on this computer."
        raise ValueError(msg)
    if wanted == "cuda" or (wanted == "auto" and cuda):
        props = torch.cuda.get_device_properties(0)
        return Device("cuda", props.name, int(props.total_memory))
    if wanted == "mps" or (wanted == "auto" and mps):
        return Device("mps", "Apple GPU (MPS)", _system_memory())
    return Device("cpu", "CPU", _system_memory())
