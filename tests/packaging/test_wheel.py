"""An installed wheel carries resources/ as ftstudio/_resources and finds it there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), "."],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("ftstudio-*.whl")
    return built


def test_wheel_holds_every_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "ftstudio/_resources/" + p.relative_to(REPO / "resources").as_posix()
        for p in (REPO / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert "ftstudio/_resources/tokenizers/o200k_base.tiktoken" in expected
    assert "ftstudio/_resources/samples/customer_support.jsonl" in expected
    assert expected <= names, sorted(expected - names)


def test_unpacked_wheel_finds_its_resources(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # a pure wheel unpacks as installed
    code = (
        "from ftstudio.core.resources import resources_dir; "
        "from ftstudio.core.tokens.encodings import get_encoding; "
        "print(resources_dir()); print(len(get_encoding('o200k_base').encode('hi')))"
    )
    # -P keeps the checkout (the current folder) off sys.path; PYTHONPATH puts the
    # unpacked wheel before the editable install.
    result = subprocess.run(
        [sys.executable, "-P", "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    where, tokens = result.stdout.split()
    assert Path(where) == site / "ftstudio" / "_resources"
    assert int(tokens) >= 1
