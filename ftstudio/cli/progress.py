"""Drive a core generator to its result with a progress bar on stderr.

The bar appears only after a second (quick commands stay quiet) and only when
stderr is a terminal, so pipes, CI logs and ``--json`` consumers never see it.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from typing import TYPE_CHECKING, Never, TypeVar

if TYPE_CHECKING:
    from ftstudio.core.progress import Progress

T = TypeVar("T")
SHOW_AFTER_SECONDS = 1.0
_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}"
_WAITING = "{desc}… {elapsed}"  # the amount of work is not known yet


def bar_enabled() -> bool:
    """Whether a progress bar may be drawn (stderr is an interactive terminal)."""
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def drive(gen: Generator[Progress, None, T], *, enabled: bool | None = None) -> T:
    """Run ``gen`` to the end, showing its progress; return its result.

    Parameters
    ----------
    gen
        A core operation that yields :class:`~ftstudio.core.progress.Progress`.
    enabled
        Force the bar on or off (default: on when stderr is a terminal).
    """
    show = bar_enabled() if enabled is None else enabled
    if not show:
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                result: T = stop.value
                return result
    import time

    from tqdm import tqdm

    started = time.monotonic()
    bar: tqdm[Never] | None = None
    label: str | None = None
    try:
        while True:
            try:
                progress = next(gen)
            except StopIteration as stop:
                done: T = stop.value
                return done
            if progress.label != label:
                # a new step gets a new bar; the one-second grace counts from the start
                if bar is not None:
                    bar.close()
                label = progress.label
                waited = time.monotonic() - started
                bar = tqdm(
                    total=progress.total,
                    desc=label,
                    file=sys.stderr,
                    delay=max(0.0, SHOW_AFTER_SECONDS - waited),
                    leave=False,
                    dynamic_ncols=True,
                    # units differ by step (bytes, lines, rows): show only the share
                    bar_format=_FORMAT if progress.total else _WAITING,
                )
            assert bar is not None
            if progress.total != bar.total:
                bar.total = progress.total
                bar.bar_format = _FORMAT if progress.total else _WAITING
            bar.update(progress.done - bar.n)
    finally:
        if bar is not None:
            bar.close()
        gen.close()
