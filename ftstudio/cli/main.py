"""Dispatch ``ftstudio SUBCOMMAND``: each subcommand is a module with two functions.

A subcommand module exposes ``add_parser(subparsers)`` (which registers its
arguments and sets ``func``) and is listed in :data:`SUBCOMMANDS`. Exit codes: 0
success, 1 the data has errors (or the command's own "failed"), 2 unusable input
or arguments, with a one-line reason on stderr and never a traceback; 3 an
unexpected internal problem (one line too; ``FTSTUDIO_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from ftstudio import __version__
from ftstudio.core.errors import FtError
from ftstudio.core.validation.workerenv import one_blas_thread

# subcommand name -> module under ftstudio.cli that implements it
SUBCOMMANDS: dict[str, str] = {
    "validate": "ftstudio.cli.validate_cmd",
    "cost": "ftstudio.cli.cost_cmd",
    "convert": "ftstudio.cli.convert_cmd",
    "split": "ftstudio.cli.split_cmd",
    "fix": "ftstudio.cli.fix_cmd",
    "sandbox": "ftstudio.cli.sandbox_cmd",
    "serve": "ftstudio.cli.serve_cmd",
    "jobs": "ftstudio.cli.jobs_cmd",
    "models": "ftstudio.cli.models_cmd",
    "eval": "ftstudio.cli.eval_cmd",
    "archive": "ftstudio.cli.archive_cmd",
}

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"ftstudio: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every available subcommand registered."""
    parser = _Parser(
        prog="ftstudio",
        description="Fine-tuning studio (headless commands).",
        epilog="Without a command, ftstudio opens the studio window. "
        "'ftstudio --self-test' checks that this installation has everything it needs.",
    )
    parser.add_argument(
        "--version", action="version", version=f"ftstudio {__version__}"
    )
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )
    for module_name in SUBCOMMANDS.values():
        importlib.import_module(module_name).add_parser(subparsers)
    return parser


def run_cli(argv: list[str]) -> int:
    """Parse ``argv`` and run the subcommand; return its exit code."""
    logging.basicConfig(level=logging.WARNING, format="ftstudio: %(message)s")
    if argv[:1] == ["validate"]:
        # before the commands' modules load numpy: its BLAS threads would only
        # spin (~0.08 s of CPU a run); validating does no linear algebra. Only
        # here: a trainer (serve) would want them.
        one_blas_thread()
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = func(args)
    except FtError as exc:
        sys.stderr.write(f"ftstudio: {exc.message}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("ftstudio: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (``ftstudio validate --json | head``): not an error
        # worth a message, but Python would print one at exit unless stdout goes.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as exc:
        if os.environ.get("FTSTUDIO_DEBUG"):
            raise
        first_line = (str(exc).strip().splitlines() or [""])[0]
        sys.stderr.write(
            f"ftstudio: something unexpected went wrong ({type(exc).__name__}: {first_line}). "
            "Run again with FTSTUDIO_DEBUG=1 to see the details, and please report it.\n"
        )
        return EXIT_INTERNAL
    finally:
        # only commands that talk to a service import it (it costs 20 ms to load)
        service = sys.modules.get("ftstudio.cli.service")
        if service is not None:
            service.close_clients()
    return code
