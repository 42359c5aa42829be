"""The PyInstaller spec: what it bundles, what it leaves out, per platform."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "packaging" / "ftstudio.spec"

# What the issue says the bundle must leave out.
MUST_EXCLUDE = [
    "PySide6.QtQuick",
    "PySide6.QtQml",
    "PySide6.QtWebEngineCore",
    "PySide6.QtVirtualKeyboard",
    "PySide6.QtPdf",
    "PySide6.Qt3DCore",
    "PySide6.QtMultimedia",
]


class _Recorder:
    """Stands in for one PyInstaller build class and remembers its arguments."""

    def __init__(self, log: dict[str, Any], kind: str) -> None:
        self.log, self.kind = log, kind

    def __call__(self, *args: Any, **kwargs: Any) -> types.SimpleNamespace:
        result = types.SimpleNamespace(args=args, kwargs=kwargs)
        if self.kind == "Analysis":
            result.binaries = [
                ("PySide6/Qt/lib/libQt6Widgets.so.6", "/x", "BINARY"),
                ("PySide6/Qt/lib/libQt6Quick.so.6", "/x", "BINARY"),
                ("PySide6/Qt/lib/libQt6Pdf.so.6", "/x", "BINARY"),
                ("PySide6/Qt/plugins/imageformats/libqpdf.so", "/x", "BINARY"),
                ("PySide6/Qt/plugins/imageformats/libqsvg.so", "/x", "BINARY"),
                ("PySide6\\Qt6Quick.dll", "/x", "BINARY"),
                ("PySide6\\Qt6Widgets.dll", "/x", "BINARY"),
                ("PySide6/Qt/lib/QtQml.framework/Versions/A/QtQml", "/x", "BINARY"),
            ]
            result.datas = [
                ("resources/models.json", "/x", "DATA"),
                ("PySide6/Qt/translations/qtbase_de.qm", "/x", "DATA"),
                ("PySide6\\translations\\qtbase_de.qm", "/x", "DATA"),
            ]
            result.pure, result.scripts = [], []
        self.log[self.kind] = result
        return result


def run_spec(monkeypatch: pytest.MonkeyPatch, platform: str) -> dict[str, Any]:
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda name: [f"{name}.cli.validate_cmd"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    log: dict[str, Any] = {}
    namespace: dict[str, Any] = {
        "SPECPATH": str(SPEC.parent),
        "__file__": str(SPEC),
        **{
            kind: _Recorder(log, kind)
            for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")
        },
    }
    exec(compile(SPEC.read_text(), str(SPEC), "exec"), namespace)
    log["namespace"] = namespace
    return log


def test_linux_bundle_contents(monkeypatch: pytest.MonkeyPatch) -> None:
    log = run_spec(monkeypatch, "linux")
    analysis = log["Analysis"]
    (script,) = analysis.args[0]
    assert Path(script).is_file()
    assert analysis.kwargs["datas"] == [(str(REPO / "resources"), "resources")]
    assert "ftstudio.cli.validate_cmd" in analysis.kwargs["hiddenimports"]
    # the fast token counter is imported lazily: the bundle must still hold it
    assert "rs_bpe.bpe" in analysis.kwargs["hiddenimports"]
    for module in MUST_EXCLUDE:
        assert module in analysis.kwargs["excludes"]
    # Libraries that hooks drag in anyway are dropped after the analysis.
    kept = [entry[0] for entry in analysis.binaries]
    assert kept == [
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6\\Qt6Widgets.dll",
    ]
    assert [entry[0] for entry in analysis.datas] == ["resources/models.json"]
    exe = log["EXE"].kwargs
    assert exe["console"] is False
    assert exe["name"] == "ftstudio"
    assert exe["exclude_binaries"] is True  # one folder, not one file
    assert log["COLLECT"].kwargs["name"] == "ftstudio"
    assert "BUNDLE" not in log


def test_windows_gets_an_ico(monkeypatch: pytest.MonkeyPatch) -> None:
    log = run_spec(monkeypatch, "win32")
    assert log["EXE"].kwargs["icon"].endswith("ftstudio.ico")
    assert "BUNDLE" not in log


def test_macos_gets_an_app_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    log = run_spec(monkeypatch, "darwin")
    bundle = log["BUNDLE"].kwargs
    assert bundle["name"] == "ftstudio.app"
    assert bundle["icon"].endswith("ftstudio.icns")
    import ftstudio

    assert bundle["version"] == ftstudio.__version__
    (doc_type,) = bundle["info_plist"]["CFBundleDocumentTypes"]
    assert doc_type["CFBundleTypeExtensions"] == ["jsonl"]
