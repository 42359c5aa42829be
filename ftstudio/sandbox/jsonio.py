"""Fast JSON responses and atomic JSON files (orjson: the poll path is hot)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
from starlette.responses import Response


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """Return ``body`` as an ``application/json`` response."""
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def write_json_atomic(path: Path, value: Any) -> None:
    """Write ``value`` to ``path`` so a crash never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(orjson.dumps(value, option=orjson.OPT_INDENT_2))
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> Any:
    """Read a JSON file written by :func:`write_json_atomic`."""
    return orjson.loads(path.read_bytes())
