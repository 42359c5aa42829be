"""``ftstudio WORD``: a mistyped command is named as such, never opened as a file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ftstudio import __main__ as entry

if TYPE_CHECKING:
    from pathlib import Path


def _no_window(_: list[str]) -> int:
    msg = "the studio window must not open"
    raise AssertionError(msg)


def test_unknown_command_is_reported_not_opened(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("ftstudio.gui.app.run_app", _no_window)
    assert (
        entry.main(["upload"]) == 2
    )  # ("archive", the walk-through's word, is a command now)
    err = capsys.readouterr().err
    assert "'upload' is not a command" in err
    assert "validate" in err
    assert "Traceback" not in err


def test_a_near_miss_suggests_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["valdate"]) == 2
    assert "Did you mean 'validate'?" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["data.jsonl", "faq.csv", "sub/notes"])
def test_file_names_still_open_the_window(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[list[str]] = []
    monkeypatch.setattr("ftstudio.gui.app.run_app", lambda a: opened.append(a) or 0)
    assert entry.main([name]) == 0
    assert opened == [[name]]


def test_an_existing_file_without_extension_opens(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "upload").write_text("{}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    opened: list[list[str]] = []
    monkeypatch.setattr("ftstudio.gui.app.run_app", lambda a: opened.append(a) or 0)
    assert entry.main(["upload"]) == 0
    assert opened == [["upload"]]
