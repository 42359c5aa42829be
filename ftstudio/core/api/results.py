"""Read a job's result file (step metrics CSV), which some services send base64-encoded."""

from __future__ import annotations

import base64
import binascii

_CSV_START = b"step"


def decode_result_file(content: bytes) -> bytes:
    """Return the CSV bytes of a result file, decoding base64 when that is what came.

    OpenAI has returned the metrics CSV both as plain text and base64-encoded;
    anything that is neither is returned unchanged.
    """
    stripped = content.lstrip(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(_CSV_START):
        return stripped
    try:
        decoded = base64.b64decode(b"".join(stripped.split()), validate=True)
    except (binascii.Error, ValueError):
        return content
    return decoded if decoded.lstrip().startswith(_CSV_START) else content
