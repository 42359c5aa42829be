"""``ftstudio models list|delete``: the service's models, and deleting a fine-tuned one."""

from __future__ import annotations

import argparse
import json
import sys

from ftstudio.cli.service import add_provider_option, call, connect, service_command
from ftstudio.core.errors import ErrorKind, FtError


def _list(args: argparse.Namespace) -> int:
    client = connect()
    models = sorted(call(lambda: list(client.models.list())), key=lambda m: m.id)
    if args.json:
        sys.stdout.write(json.dumps([m.model_dump(mode="json") for m in models]) + "\n")
    else:
        sys.stdout.write("\n".join(m.id for m in models) + "\n")
    return 0


def _delete(args: argparse.Namespace) -> int:
    from ftstudio.core.providers.azure import parse_fine_tuned

    if not args.model.startswith("ft:") and parse_fine_tuned(args.model) is None:
        raise FtError(
            ErrorKind.INPUT,
            f"{args.model} is not a fine-tuned model (those start with 'ft:', or on Azure look like BASE.ft-ID); only your own models can be deleted.",
        )
    if not args.yes:
        if not sys.stdin.isatty():
            raise FtError(
                ErrorKind.INPUT,
                "Deleting a model cannot be undone: add --yes to confirm.",
            )
        answer = input(f"Delete {args.model}? This cannot be undone. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            sys.stderr.write("Nothing deleted.\n")
            return 0
    client = connect()
    result = call(lambda: client.models.delete(args.model))
    sys.stdout.write(
        f"Deleted {result.id}.\n"
        if result.deleted
        else f"{result.id} was not deleted.\n"
    )
    return 0 if result.deleted else 1


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``models`` and its subcommands."""
    models = subparsers.add_parser(
        "models", help="list models, delete a fine-tuned model"
    )
    sub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    lst = sub.add_parser("list", help="list the models the service offers")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=service_command(_list))
    delete = sub.add_parser("delete", help="delete one of your fine-tuned models")
    delete.add_argument("model", metavar="MODEL")
    delete.add_argument(
        "--yes", action="store_true", help="do not ask for confirmation"
    )
    delete.set_defaults(func=service_command(_delete))
    for p in (lst, delete):
        add_provider_option(p)
