"""The CLI progress bar: shown on a terminal for slow work, silent in pipes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ftstudio.cli import progress
from ftstudio.core.progress import Progress

if TYPE_CHECKING:
    from collections.abc import Generator

    import pytest


def work() -> Generator[Progress, None, str]:
    for i in range(3):
        yield Progress(i, 3, "Checking lines")
    return "done"


def test_result_comes_back_and_pipes_see_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert progress.drive(work()) == "done"  # capsys stderr is not a terminal
    assert capsys.readouterr().err == ""


def test_bar_on_a_terminal_names_the_step(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0)
    assert progress.drive(work(), enabled=True) == "done"
    assert "Checking lines" in capsys.readouterr().err


def test_quick_work_shows_no_bar_even_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert progress.drive(work(), enabled=True) == "done"
    assert capsys.readouterr().err == ""


def test_unknown_amount_shows_time_not_a_fake_percentage(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def reading() -> Generator[Progress, None, int]:
        yield Progress(0, None, "Reading the file")
        yield Progress(5, None, "Reading the file")
        return 5

    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0)
    assert progress.drive(reading(), enabled=True) == 5
    err = capsys.readouterr().err
    assert "Reading the file…" in err
    assert "%" not in err


def retried() -> Generator[object, None, str]:
    from ftstudio.core.api.retry import RetryNotice
    from ftstudio.core.errors import FtError

    yield Progress(0, 2, "Uploading")
    yield RetryNotice(1, 6, 2.0, FtError("network", "Connection lost."))
    yield "a partial result the command line does not show"
    yield Progress(2, 2, "Uploading")
    return "uploaded"


def test_a_retry_is_said_on_stderr_in_a_pipe(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert progress.drive(retried()) == "uploaded"
    assert capsys.readouterr().err == (
        "ftstudio: Connection lost. Trying again in 2 s (attempt 2 of 6).\n"
    )


def test_a_retry_is_said_above_the_bar_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0)
    assert progress.drive(retried(), enabled=True) == "uploaded"
    err = capsys.readouterr().err
    assert "ftstudio: Connection lost. Trying again in 2 s (attempt 2 of 6).\n" in err
    assert "Uploading" in err
