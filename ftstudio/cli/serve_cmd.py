"""``ftstudio serve``: the OpenAI-compatible service, with a simulated or a real trainer."""

from __future__ import annotations

import argparse
import ipaddress
from pathlib import Path

from ftstudio.cli.sandbox_cmd import HOST, add_service_options, run
from ftstudio.core.errors import ErrorKind, FtError

DEFAULT_KEY = "sandbox"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``ftstudio serve`` and its options."""
    p = subparsers.add_parser(
        "serve",
        help="run the OpenAI-compatible fine-tuning service (--trainer local trains for real)",
        description=(
            "Run a fine-tuning service that speaks OpenAI's API (files, jobs, events, "
            "checkpoints, models, chat). With --trainer local, jobs train for real on "
            "this computer with Hugging Face TRL and PEFT (needs: pip install "
            "'ftstudio[train]'); with --trainer simulated (the same as 'ftstudio "
            "sandbox') training is simulated. Stop it with Ctrl+C."
        ),
    )
    p.add_argument(
        "--trainer",
        choices=("local", "simulated"),
        default="local",
        help="local: real training on this computer (default); simulated: the practice sandbox",
    )
    p.add_argument(
        "--models",
        type=Path,
        metavar="DIR",
        default=None,
        help="folder of Hugging Face model folders (config, safetensors, tokenizer with a chat template); the Hugging Face cache is searched too",
    )
    p.add_argument(
        "--device",
        choices=("auto", "cuda", "mps", "cpu"),
        default="auto",
        help="where local jobs train and local models answer (default: a GPU if there is one)",
    )
    p.add_argument(
        "--host",
        default=HOST,
        help="address to listen on (default 127.0.0.1, this computer only); any other needs --key",
    )
    add_service_options(p)
    p.set_defaults(func=run_serve)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_serve(args: argparse.Namespace) -> int:
    """Check the options, then serve until Ctrl+C."""
    if not _loopback(args.host) and args.key == DEFAULT_KEY:
        msg = (
            f"Refusing to listen on {args.host} with the default key: anyone who can "
            "reach this computer could use it. Choose a secret with --key KEY (the "
            "studio's Settings take the same key), or keep the default --host 127.0.0.1."
        )
        raise FtError(ErrorKind.USAGE, msg)
    if args.models is not None and not args.models.is_dir():
        raise FtError(
            ErrorKind.USAGE, f"The models folder {args.models} does not exist."
        )
    return run(args)
