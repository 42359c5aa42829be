"""Find the bundled ``resources/`` folder in a checkout, a wheel or a frozen app."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_MARKER = "tokenizers"


@cache
def resources_dir() -> Path:
    """Return the folder that holds the app's bundled resources.

    Looked for, in order: a PyInstaller bundle (``sys._MEIPASS/resources``), a
    source checkout (``<repo>/resources`` beside the package) and an installed
    wheel (``ftstudio/_resources``, where the build maps the folder).

    Raises
    ------
    FileNotFoundError
        If none of the places holds the resources, naming every place tried.
    """
    here = Path(__file__).resolve().parent.parent  # the ftstudio package
    candidates = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    candidates += [here.parent / "resources", here / "_resources"]
    for candidate in candidates:
        if (candidate / _MARKER).is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    msg = f"ftstudio's resources folder is missing (looked in {tried})"
    raise FileNotFoundError(msg)


def resource_path(*parts: str) -> Path:
    """Return the path of one bundled resource, e.g. ``resource_path("models.json")``."""
    return resources_dir().joinpath(*parts)
