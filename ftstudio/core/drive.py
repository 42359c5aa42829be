"""The one loop that drives a core generator to its result.

A long core operation is a generator that yields :class:`Progress`, a
:class:`Notice` (a retry the user should hear about now) or a partial result,
and returns its result. :func:`drive` is the only place that steps one: the
worker thread, the command line and the evaluation pool all route the yields
to callbacks through it, so none can forget to close the generator or to look
at the cancel token between steps.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, TypeVar

from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.progress import Notice, Progress

T = TypeVar("T")

OnProgress = Callable[[Progress], object]
OnNotice = Callable[[Notice], object]
OnItem = Callable[[Any], object]


def drive(
    gen: Generator[Any, None, T],
    cancel: CancelToken = NEVER,
    *,
    on_progress: OnProgress | None = None,
    on_notice: OnNotice | None = None,
    on_item: OnItem | None = None,
) -> T:
    """Run ``gen`` to the end, routing each yield to its callback; return its value.

    Parameters
    ----------
    gen
        The operation, already called (its cancel token given to it).
    cancel
        Checked before every step: once cancelled, :class:`Cancelled` is raised
        at the next yield, whatever the generator does.
    on_progress, on_notice, on_item
        Called in order with each :class:`Progress`, each :class:`Notice` and
        each other yield (a partial result). A yield whose callback is None is
        dropped.

    The generator is closed on every way out (its ``finally`` blocks run at
    once, not when it is collected); what it or a callback raises propagates.
    """
    try:
        while True:
            cancel.check()
            try:
                item = next(gen)
            except StopIteration as stop:
                result: T = stop.value
                return result
            if isinstance(item, Progress):
                if on_progress is not None:
                    on_progress(item)
            elif isinstance(item, Notice):
                if on_notice is not None:
                    on_notice(item)
            elif on_item is not None:
                on_item(item)
    finally:
        gen.close()


def run_to_end(gen: Generator[Any, None, T], on_each: OnItem | None = None) -> T:
    """Drive ``gen`` with no cancel token, passing every yield to ``on_each``.

    For synchronous callers (scripts, tests, a step inside another operation)
    that either want nothing but the value or treat every yield alike.
    """
    return drive(gen, on_progress=on_each, on_notice=on_each, on_item=on_each)
