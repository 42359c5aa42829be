"""Where ftstudio keeps per-user files (settings overrides, recovery copies, logs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ftstudio"


def user_config_dir() -> Path:
    """Return the per-user configuration folder (``FTSTUDIO_CONFIG_DIR`` overrides)."""
    override = os.environ.get("FTSTUDIO_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_data_dir() -> Path:
    """Return the per-user data folder (``FTSTUDIO_DATA_DIR`` overrides)."""
    override = os.environ.get("FTSTUDIO_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
