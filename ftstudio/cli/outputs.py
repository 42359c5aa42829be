"""Shared checks for commands that write files: never replace a file by surprise."""

from __future__ import annotations

from pathlib import Path

from ftstudio.core.errors import ErrorKind, FtError


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file (also through links)."""
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def check_outputs(source: Path, outputs: list[Path], force: bool) -> None:
    """Refuse to write over ``source`` at all, or over another file without ``force``.

    Raises
    ------
    FtError
        Naming the file and how to go ahead.
    """
    if len({p.resolve() for p in outputs}) < len(outputs):
        raise FtError(ErrorKind.INPUT, "Choose a different file name for each output.")
    for out in outputs:
        if same_file(out, source) or out.resolve() == source.resolve():
            msg = f"{out} is the file being read; choose another output file name."
            raise FtError(ErrorKind.INPUT, msg)
        if out.is_dir():
            raise FtError(
                ErrorKind.INPUT, f"{out} is a folder; give a file name to write."
            )
        if out.exists() and not force:
            msg = f"{out} already exists. Add --force to replace it, or choose another name."
            raise FtError(ErrorKind.INPUT, msg)
        if not out.parent.is_dir():
            raise FtError(ErrorKind.INPUT, f"The folder {out.parent} does not exist.")


def plural(count: int, word: str, many: str | None = None) -> str:
    """Return ``"1 example"`` / ``"3 examples"`` with thousands separators."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"
