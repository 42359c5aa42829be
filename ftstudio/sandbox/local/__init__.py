"""Local training: real fine-tuning with Hugging Face TRL and PEFT behind the service.

Needs the ``train`` extra (``pip install 'ftstudio[train]'``): torch,
transformers, peft, trl, accelerate, datasets. Nothing here imports them until a
job or a chat needs them, so the studio starts without the extra.
"""

from __future__ import annotations

import importlib.util
import sys

TRAIN_PACKAGES = ("torch", "transformers", "peft", "trl", "accelerate", "datasets")
INSTALL_HINT = "pip install 'ftstudio[train]'"


def available() -> str | None:
    """Return None when local training can run, else a plain sentence saying why not."""
    if getattr(sys, "frozen", False):
        return (
            "The packaged app does not include local training (PyTorch alone is "
            f"several GB). Install ftstudio with pip and run: {INSTALL_HINT}, then "
            "'ftstudio serve --trainer local', and point Settings at it."
        )
    missing = [p for p in TRAIN_PACKAGES if importlib.util.find_spec(p) is None]
    if not missing:
        return None
    return (
        f"Local training needs {', '.join(missing)}, which this installation does not "
        f"have. Add them with: {INSTALL_HINT} (a GPU build of PyTorch is best; see the "
        "README's local training section)."
    )
