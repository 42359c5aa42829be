"""The installed ``ftstudio`` command: bad input never shows a user a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import example, write_jsonl


def test_installed_command_exits_cleanly_on_bad_and_good_files(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("ftstudio")
    if not exe.exists():  # e.g. a user-site install puts scripts elsewhere
        found = shutil.which("ftstudio")
        assert found, "the package is not installed with its ftstudio command"
        exe = Path(found)
    blob = tmp_path / "blob.jsonl"
    blob.write_bytes(b"\x00\x01binary\xff")
    good = write_jsonl(tmp_path / "good.jsonl", [example(i) for i in range(12)])
    script = (
        f"{exe} validate {blob}; echo rc=$?; "
        f"{exe} convert {tmp_path} {tmp_path / 'x.jsonl'}; echo rc=$?; "
        f"{exe} validate {good} --json"
    )
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    done = subprocess.run(
        ["/bin/sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["rc=2", "rc=2"]
    assert json.loads(lines[2])["errors"] == 0
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"ftstudio: {blob.name} is binary data, not text. A training file is text "
        "with one example per line (JSONL).",
        f"ftstudio: {tmp_path} is a folder, not a file. Choose a file inside it.",
    ]
