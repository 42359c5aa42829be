"""Shared plumbing for commands that talk to the service: connect, retry visibly, exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, TypeVar

from ftstudio.cli.progress import say
from ftstudio.core.api.retry import with_retries
from ftstudio.core.drive import drive
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.redact import redact

if TYPE_CHECKING:
    import openai

    from ftstudio.core.progress import Notice

T = TypeVar("T")
EXIT_SERVICE = 4
"""The service refused the request or could not be reached (after retries)."""


_clients: list[openai.OpenAI] = []
_provider: list[str | None] = [None]  # the running command's --provider


def add_provider_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--provider`` to an API command (the default comes from the environment)."""
    from ftstudio.core.providers import PROVIDERS

    parser.add_argument(
        "--provider",
        choices=tuple(PROVIDERS),
        default=None,
        help="which service to use (default: FTSTUDIO_PROVIDER, else the one chosen "
        "in Settings, else openai)",
    )


def connect() -> openai.OpenAI:
    """Return a client for the chosen provider from Settings, the key store or the environment.

    The command line closes it when the command ends (:func:`close_clients`).
    """
    from ftstudio.core.api.connection import make_client, resolve
    from ftstudio.core.secrets import SecretStore

    client = make_client(resolve(SecretStore(), provider=_provider[0]))
    _clients.append(client)
    return client


def chosen_provider() -> str:
    """Return the name of the provider the running command talks to."""
    from ftstudio.core.api.connection import load_endpoint
    from ftstudio.core.providers import choose

    return choose(_provider[0], load_endpoint().provider).name


def close_clients() -> None:
    """Close every client :func:`connect` returned (their connections with them)."""
    while _clients:
        _clients.pop().close()


def drain(gen: Generator[Notice, None, T]) -> T:
    """Run a retrying generator to its result, reporting each retry on stderr.

    (For one with progress to show, use :func:`ftstudio.cli.progress.drive`.)
    """
    return drive(gen, on_notice=say)


def call(fn: Callable[[], T]) -> T:
    """Run one API call with visible retries; return its result."""
    return drain(with_retries(fn))


def service_command(run: Callable[[Any], int]) -> Callable[[Any], int]:
    """Wrap a command so a service failure prints one plain line and exits 4."""

    def wrapped(args: Any) -> int:
        _provider[0] = getattr(args, "provider", None)
        try:
            return run(args)
        except FtError as exc:
            if exc.kind in (ErrorKind.INPUT, ErrorKind.IO, ErrorKind.FORMAT):
                raise  # unusable input: the CLI's exit 2
            sys.stderr.write(f"ftstudio: {redact(exc.message)}\n")
            if exc.detail and getattr(args, "verbose", False):
                sys.stderr.write(redact(exc.detail) + "\n")
            return EXIT_SERVICE

    return wrapped
