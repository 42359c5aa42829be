"""Entry point: ``ftstudio`` opens the studio; ``ftstudio SUBCOMMAND`` runs headless."""

from __future__ import annotations

import sys
from pathlib import Path


def looks_like_command(word: str) -> bool:
    """Return True when ``word`` reads as a mistyped command rather than a file.

    A bare word with no dot and no folder part that names no existing file is
    taken as a command (``ftstudio archive``): opening the window on a file
    called "archive" would only confuse.
    """
    if word.startswith("-") or "." in word or "/" in word or "\\" in word:
        return False
    return not Path(word).exists()


def unknown_command(word: str, known: list[str]) -> int:
    """Say plainly that ``word`` is not a command, suggest the nearest; return 2."""
    import difflib

    close = difflib.get_close_matches(word, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    sys.stderr.write(
        f"ftstudio: '{word}' is not a command.{hint} The commands are: "
        f"{', '.join(sorted(known))}. To open a file, give its name with its "
        "extension (for example data.jsonl); 'ftstudio --help' explains each command.\n"
    )
    return 2


def main(argv: list[str] | None = None) -> int:
    """Run the studio window or a headless subcommand; return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--self-test"]:
        from ftstudio.selftest import main as self_test

        return self_test(args[1:])
    from ftstudio.cli.main import SUBCOMMANDS, run_cli

    if args and (args[0] in SUBCOMMANDS or args[0] in ("-h", "--help", "--version")):
        return run_cli(args)
    if args and looks_like_command(args[0]):
        return unknown_command(args[0], list(SUBCOMMANDS))
    from ftstudio.gui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
