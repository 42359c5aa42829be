"""The commands say in one line that a file changed under them, and leave no process."""

from __future__ import annotations

import multiprocessing
import os
import stat
from typing import TYPE_CHECKING

import pytest

from ftstudio.core.dataset.atomic import new_file_mode
from ftstudio.core.dataset.parse import MAX_DEPTH
from ftstudio.core.validation import parallel
from tests.cli.conftest import example, write_jsonl

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.cli.conftest import Outcome

    Cli = Callable[..., Outcome]


@pytest.fixture
def shortened_mid_run(monkeypatch: pytest.MonkeyPatch, good_file: Path) -> Path:
    """Check in two processes; shorten the file after it was read, before they start."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "idle_cpus", lambda _cancel: 2)
    make_spans = parallel.make_spans

    def shorten_then_make(*args: object) -> list[parallel.Span]:
        with good_file.open("r+b") as f:
            f.truncate(good_file.stat().st_size // 3)
        return make_spans(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "make_spans", shorten_then_make)
    return good_file


@pytest.mark.parametrize("command", [["validate"], ["cost", "--model", "gpt-4o-mini"]])
def test_a_file_shortened_mid_run_is_one_plain_line(
    cli: Cli, shortened_mid_run: Path, command: list[str]
) -> None:
    result = cli(*command, shortened_mid_run)
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "train.jsonl was changed by another program" in result.err
    assert "run the command again" in result.err
    assert multiprocessing.active_children() == []


def test_fix_writes_nothing_from_a_file_that_changed(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", [example(1), example(1)])
    from ftstudio.cli import fix_cmd

    apply_fixes = fix_cmd.apply_fixes

    def then_removed(store: object, target: str) -> object:
        done = apply_fixes(store, target)  # type: ignore[arg-type]
        path.unlink()
        return done

    monkeypatch.setattr(fix_cmd, "apply_fixes", then_removed)
    result = cli("fix", path)
    assert result.code == 2
    assert "train.jsonl was removed or renamed by another program" in result.err
    assert list(tmp_path.iterdir()) == []


def test_a_vanished_file_is_one_plain_line(cli: Cli, tmp_path: Path) -> None:
    for command in (["validate"], ["cost", "--model", "gpt-4o-mini"], ["fix"]):
        result = cli(*command, tmp_path / "gone.jsonl")
        assert result.code == 2, command
        assert result.err.count("\n") == 1, command
        assert "gone.jsonl" in result.err


def test_deep_nesting_is_a_finding_in_every_command(cli: Cli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", [example(i) for i in range(12)])
    with path.open("ab") as f:  # orjson cannot write 1,000 levels itself
        f.write(
            b'{"messages":[],"tools":' + b'{"a":' * 1000 + b"1" + b"}" * 1001 + b"\n"
        )
    result = cli("validate", path)
    assert result.code == 1
    assert (
        "line 13: This line is not valid JSON (brackets nested too deeply" in result.out
    )
    assert f"more than {MAX_DEPTH} levels" in result.out
    assert cli("cost", "--model", "gpt-4o-mini", path).code == 0
    fixed = cli("fix", path)
    assert fixed.code == 0, fixed.err
    assert cli("split", "--validation-ratio", "0.2", path).code == 0


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_fix_output_gets_the_usual_permissions_and_in_place_keeps_them(
    cli: Cli, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", [example(1), example(1)])
    assert cli("fix", path).code == 0
    fixed = tmp_path / "train.fixed.jsonl"
    assert stat.S_IMODE(fixed.stat().st_mode) == new_file_mode()  # not 0600
    path.chmod(0o640)
    assert cli("fix", "--in-place", path).code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
