"""Test setup: Qt runs offscreen; every test gets its own throwaway user folders."""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

# Must happen before anything imports Qt: without a display Qt aborts the process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_tmp = Path(tempfile.mkdtemp(prefix="ftstudio-tests-"))
os.environ["FTSTUDIO_CONFIG_DIR"] = str(_tmp / "config")
os.environ["FTSTUDIO_DATA_DIR"] = str(_tmp / "data")
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("OPENAI_BASE_URL", None)

import pytest  # noqa: E402 - the environment above must be set before any import


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Collect each test's garbage as it ends.

    An object left open in a reference cycle (an SDK client's socket) is
    otherwise freed whenever the collector next runs, and its ResourceWarning
    fails whichever later test that happens in. Collected here, the leak fails
    the test that caused it, every run.
    """
    try:
        return (yield)
    finally:
        gc.collect()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Iterator[None]:
    """Once a test's fixtures are gone, set what survives aside for good.

    What is still alive then is long-lived (modules, caches, the application):
    frozen, it is not walked again, so each collection costs what one test
    made rather than the whole heap (2 s less for every 50 tests).
    """
    try:
        return (yield)
    finally:
        gc.collect()
        gc.freeze()


@pytest.fixture(autouse=True)
def _private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Give every test its own config and data folders: nothing saved leaks into the next."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("FTSTUDIO_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("FTSTUDIO_DATA_DIR", str(base / "data"))
    return base


@pytest.fixture(scope="session")
def qapp_cls() -> type:
    """pytest-qt starts the studio's own application (GUI-thread garbage collection)."""
    from ftstudio.gui.application import StudioApplication

    return StudioApplication


@pytest.fixture
def closing() -> Iterator[Callable[[Any], Any]]:
    """Register SDK clients (anything with ``close``, or a function to call) for the test's end.

    An unclosed client's sockets are freed only when the garbage collector
    reaches its reference cycles, in whichever later test that happens, where
    the ResourceWarning then fails the wrong test.
    """
    with ExitStack() as stack:

        def close_at_end(thing: Any) -> Any:
            stack.callback(thing.close if hasattr(thing, "close") else thing)
            return thing

        yield close_at_end
