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
    env = {**os.environ, "PYTHONWARNINGS": "default"}

    def run(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(exe), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )

    binary = run("validate", blob)
    folder = run("convert", tmp_path, tmp_path / "x.jsonl")
    fine = run("validate", good, "--json")
    for done in (binary, folder, fine):
        assert "Traceback" not in done.stderr
    assert (binary.returncode, folder.returncode, fine.returncode) == (2, 2, 0)
    assert binary.stderr == (
        f"ftstudio: {blob.name} is binary data, not text. A training file is text "
        "with one example per line (JSONL).\n"
    )
    assert folder.stderr == (
        f"ftstudio: {tmp_path} is a folder, not a file. Choose a file inside it.\n"
    )
    assert json.loads(fine.stdout)["errors"] == 0
