"""Test setup: Qt runs offscreen; every test gets its own throwaway user folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Must happen before anything imports Qt: without a display Qt aborts the process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_tmp = Path(tempfile.mkdtemp(prefix="ftstudio-tests-"))
os.environ["FTSTUDIO_CONFIG_DIR"] = str(_tmp / "config")
os.environ["FTSTUDIO_DATA_DIR"] = str(_tmp / "data")
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("OPENAI_BASE_URL", None)

import pytest  # noqa: E402 - the environment above must be set before any import


@pytest.fixture(autouse=True)
def _private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Give every test its own config and data folders: nothing saved leaks into the next."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("FTSTUDIO_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("FTSTUDIO_DATA_DIR", str(base / "data"))
    return base


@pytest.fixture(scope="session")
def qapp_cls() -> type:
    """pytest-qt starts the studio's own application (GUI-thread garbage collection)."""
    from ftstudio.gui.application import StudioApplication

    return StudioApplication
