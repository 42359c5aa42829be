"""The one loop that drives a core generator: routing, order, value, cancel, close."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import pytest

from ftstudio.core.api.retry import RetryNotice
from ftstudio.core.cancel import Cancelled, CancelToken
from ftstudio.core.drive import drive, run_to_end
from ftstudio.core.errors import FtError
from ftstudio.core.progress import Notice, Progress


@dataclass(frozen=True)
class Said(Notice):
    line: str

    @property
    def text(self) -> str:
        return self.line


class Closable:
    """A generator function that records whether its ``finally`` ran."""

    def __init__(self) -> None:
        self.closed = False
        self.steps = 0

    def run(self) -> Generator[object, None, str]:
        try:
            yield Progress(0, 2, "Working")
            self.steps += 1
            yield Said("Trying again in 1 s.")
            self.steps += 1
            yield "first result"
            self.steps += 1
            yield Progress(2, 2, "Working")
            return "value"
        finally:
            self.closed = True


def test_each_kind_goes_to_its_callback_in_order_and_the_value_comes_back() -> None:
    seen: list[tuple[str, object]] = []
    gen = Closable()

    value = drive(
        gen.run(),
        on_progress=lambda p: seen.append(("progress", p.done)),
        on_notice=lambda n: seen.append(("notice", n.text)),
        on_item=lambda i: seen.append(("item", i)),
    )

    assert value == "value"
    assert seen == [
        ("progress", 0),
        ("notice", "Trying again in 1 s."),
        ("item", "first result"),
        ("progress", 2),
    ]


def test_a_retry_notice_is_a_notice() -> None:
    notice = RetryNotice(1, 5, 4.0, FtError("network", "Connection lost."))
    heard: list[str] = []
    assert drive(_yields(notice), on_notice=lambda n: heard.append(n.text)) == 1
    assert heard == ["Connection lost. Trying again in 4 s (attempt 2 of 5)."]


def _yields(*items: object) -> Generator[object, None, int]:
    yield from items
    return len(items)


def test_yields_without_a_callback_are_dropped() -> None:
    assert drive(Closable().run()) == "value"


def test_cancel_midway_stops_at_the_next_yield_and_closes_the_generator() -> None:
    cancel = CancelToken()
    gen = Closable()
    items: list[object] = []
    # the user presses Stop while the retry line is shown
    with pytest.raises(Cancelled):
        drive(
            gen.run(),
            cancel,
            on_notice=lambda _n: cancel.cancel(),
            on_item=items.append,
        )
    assert gen.closed  # its finally ran at once, not when collected
    assert items == []  # the generator was not stepped again after the cancel
    assert gen.steps == 1


def test_an_error_in_the_generator_propagates() -> None:
    def failing() -> Generator[Progress, None, None]:
        yield Progress(1, 2)
        raise FtError("network", "Cannot reach the service.")

    progress: list[Progress] = []
    with pytest.raises(FtError, match="Cannot reach"):
        drive(failing(), on_progress=progress.append)
    assert progress == [Progress(1, 2)]


def test_an_error_in_a_callback_propagates_and_closes_the_generator() -> None:
    gen = Closable()

    def refuse(_notice: Notice) -> None:
        raise ValueError("the display is gone")

    with pytest.raises(ValueError, match="display"):
        drive(gen.run(), on_notice=refuse)
    assert gen.closed
    assert gen.steps == 1


def test_run_to_end_passes_every_yield_to_one_callback() -> None:
    every: list[object] = []
    assert run_to_end(Closable().run(), every.append) == "value"
    assert [type(x).__name__ for x in every] == ["Progress", "Said", "str", "Progress"]
