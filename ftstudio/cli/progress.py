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
    from tqdm import tqdm

    bar: tqdm[Never] | None = None
    label = ""
    try:
        while True:
            try:
                progress = next(gen)
            except StopIteration as stop:
                done: T = stop.value
                return done
            if bar is None:
                label = progress.label
                bar = tqdm(
                    total=progress.total,
                    desc=progress.label,
                    file=sys.stderr,
                    delay=SHOW_AFTER_SECONDS,
                    leave=False,
                    dynamic_ncols=True,
                    unit=" rows",
                )
            elif progress.label != label:
                label = progress.label
                bar.reset(total=progress.total)
                bar.set_description(progress.label)
            elif progress.total != bar.total:
                bar.total = progress.total
            bar.update(progress.done - bar.n)
    finally:
        if bar is not None:
            bar.close()
        gen.close()
