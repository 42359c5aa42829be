"""Entry point: ``ftstudio`` opens the studio; ``ftstudio SUBCOMMAND`` runs headless."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the studio window or a headless subcommand; return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--self-test"]:
        from ftstudio.selftest import main as self_test

        return self_test(args[1:])
    from ftstudio.cli.main import SUBCOMMANDS, run_cli

    if args and (args[0] in SUBCOMMANDS or args[0] in ("-h", "--help", "--version")):
        return run_cli(args)
    from ftstudio.gui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
