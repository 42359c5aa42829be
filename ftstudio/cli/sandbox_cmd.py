"""``ftstudio sandbox``: run the offline fine-tuning sandbox in the foreground."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.paths import user_data_dir
from ftstudio.sandbox.speed import MAX_SPEED, MIN_SPEED

DEFAULT_PORT = 8765
HOST = "127.0.0.1"


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        msg = f"expected a share between 0 and 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    # nan fails both comparisons; 1e-320 would make a job last for ever
    if not MIN_SPEED <= value <= MAX_SPEED:
        msg = f"expected a speed from {MIN_SPEED:g} to {MAX_SPEED:g}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0:
        msg = f"expected seconds (0 or more), got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``ftstudio sandbox`` (``serve --trainer simulated``) and its options."""
    p = subparsers.add_parser(
        "sandbox",
        help="run the offline fine-tuning sandbox (an OpenAI-compatible service on this computer)",
        description=(
            "Run a practice fine-tuning service on 127.0.0.1 that speaks OpenAI's API. "
            "Nothing leaves this computer and nothing is billed; training is simulated "
            "(for real training: ftstudio serve --trainer local). Stop it with Ctrl+C."
        ),
    )
    add_service_options(p)
    p.set_defaults(func=run, trainer="simulated", models=None, device="auto", host=HOST)


def add_service_options(p: argparse.ArgumentParser) -> None:
    """Add the options every service command shares (port, data, key, speed, faults)."""
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    p.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        help="time scale: 1 means a job takes about a minute, 10 about 6 seconds",
    )
    p.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        default=None,
        help="folder that keeps the sandbox's files, jobs and models (default: the app's data folder)",
    )
    p.add_argument(
        "--key",
        default="sandbox",
        help="the API key clients must use (default: sandbox)",
    )
    faults = p.add_argument_group(
        "fault injection (to try how clients cope with a flaky service)"
    )
    faults.add_argument(
        "--fail-429",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of requests refused with 429 Too Many Requests",
    )
    faults.add_argument(
        "--fail-500",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of requests answered 500 Internal Server Error",
    )
    faults.add_argument(
        "--fail-503",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of requests answered 503 Service Unavailable",
    )
    faults.add_argument(
        "--drop",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of requests processed but whose connection is then cut",
    )
    faults.add_argument(
        "--latency",
        type=_seconds,
        default=0.0,
        metavar="SECONDS",
        help="delay added to every request",
    )
    faults.add_argument(
        "--retry-after",
        type=_seconds,
        default=1.0,
        metavar="SECONDS",
        help="wait the 429 answers ask for (default 1)",
    )
    faults.add_argument(
        "--fault-seed",
        type=int,
        default=None,
        metavar="N",
        help="seed that makes the faults repeatable",
    )


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C; return the exit code."""
    from ftstudio.sandbox.faults import FaultConfig
    from ftstudio.sandbox.server import SandboxServer

    try:
        faults = FaultConfig(
            rate_limit=args.fail_429,
            server_error=args.fail_500,
            unavailable=args.fail_503,
            drop=args.drop,
            latency=args.latency,
            retry_after=args.retry_after,
            seed=args.fault_seed,
        )
    except ValueError as exc:
        raise FtError(ErrorKind.USAGE, str(exc)) from exc
    local = args.trainer == "local"
    data = args.data or user_data_dir() / ("local" if local else "sandbox")
    server = SandboxServer(
        data,
        api_key=args.key,
        speed=args.speed,
        port=args.port,
        faults=faults,
        trainer=args.trainer,
        models_dir=args.models,
        device=args.device,
        host=args.host,
    )

    def ready(base_url: str) -> None:
        out = sys.stdout
        if local:
            out.write("The ftstudio local training service is running.\n")
            out.write(
                f"  Models:   {args.models or '(none)'} and the Hugging Face cache\n"
            )
            out.write(f"  Device:   {server.device_words()}\n")
        else:
            out.write(
                "The ftstudio sandbox is running (offline: nothing leaves this computer).\n"
            )
        out.write(f"  Base URL: {base_url}\n")
        out.write(f"  API key:  {args.key}\n")
        out.write(f"  Data:     {data}\n")
        if faults.active:
            out.write("  Fault injection is on.\n")
        out.write(
            "Point the studio or the OpenAI SDK at the base URL, with this key.\n"
        )
        out.write("Press Ctrl+C to stop.\n")
        out.flush()

    # uvicorn shuts down gracefully on Ctrl+C, then re-raises the signal so the
    # default behaviour still happens; for this command that is a clean stop.
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever(on_ready=ready)
    sys.stdout.write(
        "The local service stopped.\n" if local else "The sandbox stopped.\n"
    )
    return 0
