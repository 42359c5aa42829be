"""Linux desktop integration: menu entry, icon and the .jsonl association."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImageReader
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
INSTALL = LINUX / "install-desktop.sh"


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_opens_jsonl() -> None:
    entry = _entry(LINUX / "ftstudio.desktop")
    assert entry["Type"] == "Application"
    assert entry["Icon"] == "ftstudio"
    assert entry["Exec"].endswith("%f")  # the double-clicked file is passed on
    assert "application/jsonl" in entry["MimeType"].split(";")
    assert entry["Terminal"] == "false"
    xml = (LINUX / "ftstudio-jsonl.xml").read_text()
    assert 'type="application/jsonl"' in xml
    assert 'pattern="*.jsonl"' in xml


def _install(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "share"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    return subprocess.run(
        ["bash", str(INSTALL), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_install_and_uninstall_for_the_current_user(tmp_path: Path) -> None:
    program = tmp_path / "my apps" / "ftstudio"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    result = _install(tmp_path, "--exec", str(program), "--no-default")
    assert result.returncode == 0, result.stderr
    assert "application menu" in result.stdout
    share = tmp_path / "share"
    entry = _entry(share / "applications" / "ftstudio.desktop")
    assert entry["Exec"] == f'"{program}" %f'
    assert (share / "mime" / "packages" / "ftstudio-jsonl.xml").is_file()
    assert (share / "icons/hicolor/scalable/apps/ftstudio.svg").is_file()
    if shutil.which("update-mime-database"):
        # The MIME database now maps *.jsonl to our type.
        assert "*.jsonl" in (share / "mime" / "globs2").read_text()
    if shutil.which("update-desktop-database"):
        cache = (share / "applications" / "mimeinfo.cache").read_text()
        assert "application/jsonl=ftstudio.desktop;" in cache
    if shutil.which("desktop-file-validate"):
        for path in (
            LINUX / "ftstudio.desktop",
            share / "applications/ftstudio.desktop",
        ):
            check = subprocess.run(
                ["desktop-file-validate", str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert check.returncode == 0, check.stdout + check.stderr
            assert not check.stdout.strip(), check.stdout  # not even a hint

    result = _install(tmp_path, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not (share / "applications" / "ftstudio.desktop").exists()
    assert not (share / "mime" / "packages" / "ftstudio-jsonl.xml").exists()


def test_install_without_a_program_says_what_to_do(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(INSTALL)],
        env={"HOME": str(tmp_path), "PATH": "/nonexistent:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "--exec PATH" in result.stderr


def test_icons_render_for_every_platform(qapp: QApplication, tmp_path: Path) -> None:
    del qapp  # make_icons needs a Qt application; pytest-qt's is reused
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_icons", REPO / "packaging" / "make_icons.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.make_icons(REPO / "resources/icons/ftstudio.svg", tmp_path)
    names = {p.name for p in written}
    assert {"ftstudio.ico", "ftstudio.icns", "ftstudio-256.png"} <= names
    ico = QImageReader(str(tmp_path / "ftstudio.ico"))
    assert ico.imageCount() == 7
    icns = (tmp_path / "ftstudio.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)
    big = QImageReader(str(tmp_path / "ftstudio-512.png")).read()
    assert (big.width(), big.height()) == (512, 512)
    # The logo is opaque in the middle and transparent in the rounded corner.
    assert big.pixelColor(256, 256).alpha() == 255
    assert big.pixelColor(2, 2).alpha() == 0


@pytest.mark.parametrize("path", sorted((REPO / "resources/icons").glob("*.svg")))
def test_every_icon_is_a_valid_24px_svg(qapp: QApplication, path: Path) -> None:
    del qapp
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    box = renderer.viewBoxF()
    assert (box.width(), box.height()) == (24, 24)
