"""Drive a core generator to its result with a progress bar and notices on stderr.

The bar appears only after a second (quick commands stay quiet) and only when
stderr is a terminal, so pipes, CI logs and ``--json`` consumers never see it.
A notice (a retry) is always written, as one line above the bar.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Never, TypeVar

from ftstudio.core.drive import drive as drive_core
from ftstudio.core.redact import redact

if TYPE_CHECKING:
    from tqdm import tqdm

    from ftstudio.core.progress import Notice, Progress

T = TypeVar("T")
SHOW_AFTER_SECONDS = 1.0
_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}"
_WAITING = "{desc}… {elapsed}"  # the amount of work is not known yet


def bar_enabled() -> bool:
    """Whether a progress bar may be drawn (stderr is an interactive terminal)."""
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def say(notice: Notice) -> None:
    """Tell the user on stderr what is happening (a call is being retried)."""
    sys.stderr.write(f"ftstudio: {redact(notice.text)}\n")


def drive(gen: Generator[Any, None, T], *, enabled: bool | None = None) -> T:
    """Run ``gen`` to the end, showing its progress and notices; return its result.

    Parameters
    ----------
    gen
        A core operation: its :class:`~ftstudio.core.progress.Progress` feeds
        the bar, each :class:`~ftstudio.core.progress.Notice` is written on
        stderr, anything else it yields is not for the command line.
    enabled
        Force the bar on or off (default: on when stderr is a terminal).
    """
    show = bar_enabled() if enabled is None else enabled
    if not show:
        return drive_core(gen, on_notice=say)
    bar = _Bar()
    try:
        return drive_core(gen, on_progress=bar.show, on_notice=bar.say)
    finally:
        bar.close()


class _Bar:
    """One tqdm bar per step, started late so quick steps stay quiet."""

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._started = time.monotonic()
        self._bar: tqdm[Never] | None = None
        self._label: str | None = None

    def show(self, progress: Progress) -> None:
        from tqdm import tqdm

        bar = self._bar
        if bar is None or progress.label != self._label:
            # a new step gets a new bar; the one-second grace counts from the start
            self.close()
            self._label = progress.label
            waited = self._clock() - self._started
            bar = self._bar = tqdm(
                total=progress.total,
                desc=progress.label,
                file=sys.stderr,
                delay=max(0.0, SHOW_AFTER_SECONDS - waited),
                leave=False,
                dynamic_ncols=True,
                # units differ by step (bytes, lines, rows): show only the share
                bar_format=_FORMAT if progress.total else _WAITING,
            )
        if progress.total != bar.total:
            bar.total = progress.total
            bar.bar_format = _FORMAT if progress.total else _WAITING
        bar.update(progress.done - bar.n)

    def say(self, notice: Notice) -> None:
        from tqdm import tqdm

        if self._bar is None:
            say(notice)
        else:  # above the bar, which is drawn again under it
            tqdm.write(f"ftstudio: {redact(notice.text)}", file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
