"""The dispatcher: usage errors and unexpected failures stay one plain line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ftstudio.cli import split_cmd

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.cli.conftest import Outcome

    Cli = Callable[..., Outcome]


def test_no_subcommand_shows_help_and_exits_2(cli: Cli) -> None:
    result = cli()
    assert result.code == 2
    for name in ("validate", "cost", "convert", "split", "fix"):
        assert name in result.err


def test_unknown_subcommand(cli: Cli) -> None:
    result = cli("frobnicate")
    assert result.code == 2
    assert "invalid choice" in result.err


def test_an_unexpected_failure_is_one_line_not_a_traceback(
    cli: Cli, good_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        msg = "disk exploded\nsecond line"
        raise RuntimeError(msg)

    monkeypatch.setattr(split_cmd, "plan_split_iter", broken)
    monkeypatch.delenv("FTSTUDIO_DEBUG", raising=False)
    result = cli("split", good_file, "--validation-ratio", "0.1")
    assert result.code == 3
    assert result.err == (
        "ftstudio: something unexpected went wrong (RuntimeError: disk exploded). "
        "Run again with FTSTUDIO_DEBUG=1 to see the details, and please report it.\n"
    )
    monkeypatch.setenv("FTSTUDIO_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli("split", good_file, "--validation-ratio", "0.1", "--force")
