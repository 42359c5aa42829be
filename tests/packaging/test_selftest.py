"""``ftstudio --self-test`` passes on a sound install and names what is broken."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ftstudio
from ftstudio import selftest
from ftstudio.core import resources

REPO = Path(__file__).resolve().parents[2]


def test_self_test_passes_in_process() -> None:
    out = io.StringIO()
    assert selftest.main([], out=out) == 0
    line = out.getvalue()
    assert line.count("\n") == 1
    assert line.startswith(f"ftstudio {ftstudio.__version__} self-test passed")
    assert "28 icons" in line
    assert "2 tokenizers" in line
    assert "6 errors found in the mistakes sample" in line
    assert "sandbox job succeeded (ft:gpt-4o-mini" in line


@pytest.fixture
def fake_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of resources/ that the app uses instead of the real one."""
    fake = tmp_path / "resources"
    shutil.copytree(resources.resources_dir(), fake)
    monkeypatch.setattr(resources, "resources_dir", lambda: fake)
    return fake


def test_self_test_names_a_missing_icon(fake_resources: Path) -> None:
    (fake_resources / "icons" / "undo.svg").unlink()
    result = selftest.run_self_test()
    assert result.failure == f"resources: missing from {fake_resources}: icons/undo.svg"


def test_self_test_names_a_dirty_sample(fake_resources: Path) -> None:
    clean = fake_resources / "samples" / selftest.CLEAN
    lines = clean.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2][:40] + "\n"
    clean.write_text("".join(lines), encoding="utf-8")
    out = io.StringIO()
    assert selftest.main([], out=out) == 1
    line = out.getvalue().strip()
    assert line.startswith(
        f"ftstudio {ftstudio.__version__} self-test FAILED: samples:"
    )
    assert "customer_support.jsonl should be clean" in line
    assert "line 3" in line


def test_self_test_names_missing_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Path:
        raise FileNotFoundError(f"ftstudio's resources folder is missing ({tmp_path})")

    monkeypatch.setattr(resources, "resources_dir", missing)
    result = selftest.run_self_test()
    assert not result.ok
    assert result.failure is not None
    assert result.failure.startswith("resources: FileNotFoundError")


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-m", "ftstudio", "--self-test", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=180,
        check=False,
    )


def test_self_test_command_exits_zero_with_one_line() -> None:
    result = _run()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ftstudio {ftstudio.__version__} self-test passed")
    assert result.stdout.count("\n") == 1
    assert "certificates ok" in result.stdout or "certificates missing" in result.stdout


def test_missing_certificates_are_reported_not_fatal(tmp_path: Path) -> None:
    result = _run(SSL_CERT_FILE=str(tmp_path / "no-such-bundle.pem"))
    assert result.returncode == 0, result.stderr
    assert "WARNING certificates missing" in result.stdout
    assert "ca-certificates" in result.stdout


def test_self_test_says_when_keys_cannot_be_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    assert selftest.check_key_store() == "key store: this session only (memory)"


def test_self_test_runs_without_qt() -> None:
    # It must work where Qt cannot load (no display, no OpenGL libraries).
    code = (
        "import sys\n"
        "from ftstudio.selftest import run_self_test\n"
        "result = run_self_test()\n"
        "assert result.ok, result.failure\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
