"""The frozen bundle: builds within its size budget, passes its self-test, opens."""

from __future__ import annotations

import faulthandler
import os
import re
import select
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

import ftstudio

REPO = Path(__file__).resolve().parents[2]
# Qt logs this line when a window's show() has run (see bench/startup_bench.py).
SHOWN = re.compile(r"qt\.widgets\.showhide: Showing children of MainWindow")
LEFT_OUT = re.compile(r"Qt6?(Quick|Qml|Pdf|WebEngine|VirtualKeyboard|3D|Multimedia)")

pytestmark = pytest.mark.slow
BUILD_TIMEOUT_S = 1800


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    env = {**os.environ, "DIST": str(out), "PYTHON": sys.executable}
    # The build takes 1.5-2.5 minutes on a busy machine, longer than the suite's
    # faulthandler_timeout: re-arm the hang report with the build's own limit.
    faulthandler.dump_traceback_later(BUILD_TIMEOUT_S + 60, file=sys.__stderr__)
    result = subprocess.run(
        ["bash", str(REPO / "packaging" / "build.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    # Exit code 3 means the bundle is over its size budget.
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "build time:" in result.stdout
    return out


def _app_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "FTSTUDIO_CONFIG_DIR": str(tmp_path / "config"),
        "FTSTUDIO_DATA_DIR": str(tmp_path / "data"),
    }


def test_frozen_self_test_passes(dist: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(dist / "ftstudio" / "ftstudio"), "--self-test"],
        env=_app_env(tmp_path),
        cwd=tmp_path,  # nothing from the checkout may leak in
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"ftstudio {ftstudio.__version__} self-test passed")
    assert "/_internal/resources" in result.stdout


def test_bundle_leaves_out_unused_qt(dist: Path) -> None:
    bundled = [p.name for p in (dist / "ftstudio").rglob("*")]
    assert not [name for name in bundled if LEFT_OUT.search(name)]
    assert "libqpdf.so" not in bundled


def test_tarball_holds_app_resources_and_desktop_files(dist: Path) -> None:
    (tarball,) = dist.glob(f"ftstudio-{ftstudio.__version__}-linux-*.tar.gz")
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
    for name in (
        "ftstudio/ftstudio",
        "ftstudio/_internal/resources/tokenizers/o200k_base.tiktoken",
        "ftstudio/_internal/resources/samples/customer_support.jsonl",
        "ftstudio/_internal/resources/icons/ftstudio.svg",
        "ftstudio/desktop/install-desktop.sh",
        "ftstudio/desktop/ftstudio.desktop",
        "ftstudio/desktop/ftstudio-jsonl.xml",
        "ftstudio/desktop/icons/ftstudio-256.png",
    ):
        assert name in names


def test_frozen_window_opens_offscreen(dist: Path, tmp_path: Path) -> None:
    env = {**_app_env(tmp_path), "QT_LOGGING_RULES": "qt.widgets.showhide.debug=true"}
    proc = subprocess.Popen(
        [str(dist / "ftstudio" / "ftstudio")],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    shown = False
    deadline = time.monotonic() + 120
    try:
        assert proc.stderr is not None
        # select() so a silent, hung app fails the test instead of blocking it.
        while not shown and (left := deadline - time.monotonic()) > 0:
            if not select.select([proc.stderr], [], [], left)[0]:
                break
            line = proc.stderr.readline()
            if not line:
                break  # the app exited
            shown = bool(SHOWN.search(line))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stderr is not None:
            proc.stderr.close()
    assert shown, "the frozen app's main window was never shown"


def test_bundle_installs_its_menu_entry(dist: Path, tmp_path: Path) -> None:
    share = tmp_path / "share"
    result = subprocess.run(
        [
            "bash",
            str(dist / "ftstudio" / "desktop" / "install-desktop.sh"),
            "--no-default",
        ],
        env={**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(share)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    entry = (share / "applications" / "ftstudio.desktop").read_text()
    assert f'Exec="{dist / "ftstudio" / "ftstudio"}" %f' in entry
    for size in (16, 48, 256):
        assert (share / f"icons/hicolor/{size}x{size}/apps/ftstudio.png").is_file()


@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="needs dbus-run-session and gnome-keyring-daemon",
)
def test_frozen_app_finds_the_secret_service(dist: Path, tmp_path: Path) -> None:
    # keyring finds its backends through package metadata, which a frozen app
    # must bundle; a throwaway HOME keeps any real keyring untouched.
    home = tmp_path / "home"
    (home / "run").mkdir(parents=True)
    env = {
        **_app_env(tmp_path),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_RUNTIME_DIR": str(home / "run"),
    }
    script = (
        "echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
        ' && "$0" --self-test'
    )
    result = subprocess.run(
        [
            "dbus-run-session",
            "--",
            "sh",
            "-c",
            script,
            str(dist / "ftstudio" / "ftstudio"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "key store: SecretService" in result.stdout
