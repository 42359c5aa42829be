"""Test setup: Qt runs offscreen; user folders are throwaway per test session."""

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
