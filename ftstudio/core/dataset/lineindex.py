"""Index the line offsets of a byte buffer without parsing any line."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.progress import Progress

BOM = b"\xef\xbb\xbf"
CHUNK = 32 * 1024 * 1024  # bounded temporaries: a 1 GB file never needs a 1 GB mask


@dataclass(frozen=True)
class LineIndex:
    """Where each line starts, plus what the file's layout looks like.

    ``starts`` has one entry per line and a final entry for the end of the data,
    so line ``i`` with its terminator is ``data[starts[i]:starts[i + 1]]``.
    """

    starts: npt.NDArray[np.int64]
    bom: bool
    crlf_lines: int
    final_newline: bool

    @property
    def line_count(self) -> int:
        """Return the number of lines (a trailing newline does not start one)."""
        return len(self.starts) - 1


def index_lines(
    data: bytes | memoryview, cancel: CancelToken = NEVER
) -> Generator[Progress, None, LineIndex]:
    """Index ``data``, yielding progress per chunk; return the :class:`LineIndex`."""
    size = len(data)
    bom = bytes(data[:3]) == BOM
    first = 3 if bom else 0
    buf = np.frombuffer(data, dtype=np.uint8) if size else np.zeros(0, np.uint8)
    newline_parts: list[npt.NDArray[np.int64]] = []
    crlf = 0
    for begin in range(first, size, CHUNK):
        cancel.check()
        end = min(size, begin + CHUNK)
        found = np.flatnonzero(buf[begin:end] == 10).astype(np.int64) + begin
        if len(found):
            before = found - 1
            crlf += int(np.count_nonzero(buf[before[before >= first]] == 13))
            newline_parts.append(found)
        yield Progress(end, size, "Indexing lines")
    newlines = np.concatenate(newline_parts) if newline_parts else np.zeros(0, np.int64)
    final_newline = size > first and bytes(data[size - 1 : size]) == b"\n"
    starts = np.concatenate(([first], newlines + 1)).astype(np.int64)
    if final_newline or size == first:
        # data ends right after a newline (or holds nothing): no further line
        ends = starts  # last start == size already acts as the end marker
    else:
        ends = np.concatenate((starts, [size])).astype(np.int64)
    return LineIndex(ends, bom, crlf, bool(final_newline))
