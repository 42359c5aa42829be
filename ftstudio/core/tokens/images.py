"""Image tokens by OpenAI's published method, and image sizes read offline.

Source: OpenAI's vision guide, "Calculating costs" for the tile-based models
(gpt-4o, gpt-4.1, the models vision fine-tuning takes;
https://platform.openai.com/docs/guides/images-vision#calculating-costs).
A ``low`` detail image costs 85 tokens. A ``high`` detail image is first
scaled to fit in a 2048 × 2048 square, then so that its shortest side is at
most 768 px; it costs 170 tokens per 512 px tile it covers, plus 85.

``auto`` lets the model choose; ftstudio counts it as ``high`` (the figure
training can reach) and marks the count as an estimate. The size of an image
given as a web address cannot be known without downloading it (ftstudio
works offline): such an image is counted as a 1024 × 1024 picture at high
detail (765 tokens) and marked as an estimate. Images given as ``data:`` URLs
are measured from their PNG, JPEG, GIF or WEBP header.
"""

from __future__ import annotations

import base64
import binascii
import math
import struct

LOW_TOKENS = 85
BASE_TOKENS = 85
TILE_TOKENS = 170
TILE = 512
FIT = 2048
SHORT_SIDE = 768
ASSUMED_SIZE = (1024, 1024)
_HEAD_CHARS = 88_000  # base64 of the first 64 KiB: JPEG size markers come early


def tile_tokens(width: int, height: int) -> int:
    """Return the tokens of a ``high`` detail image of ``width`` × ``height`` px."""
    w, h = float(max(width, 1)), float(max(height, 1))
    if max(w, h) > FIT:
        scale = FIT / max(w, h)
        w, h = w * scale, h * scale
    if min(w, h) > SHORT_SIDE:
        scale = SHORT_SIDE / min(w, h)
        w, h = w * scale, h * scale
    tiles = math.ceil(w / TILE) * math.ceil(h / TILE)
    return BASE_TOKENS + TILE_TOKENS * tiles


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """Return (width, height) from the first bytes of a PNG/JPEG/GIF/WEBP, or None."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
            w, h = struct.unpack(">II", data[16:24])
            return (w, h) if w and h else None
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
        if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
            w, h = struct.unpack("<HH", data[6:10])
            return w, h
        if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
            return _webp_size(data)
    except struct.error:
        return None
    return None


def data_url_size(url: str) -> tuple[int, int] | None:
    """Return the size of the image in a base64 ``data:`` URL, or None."""
    comma = url.find(",", 0, 200)
    if not url.startswith("data:") or comma < 0 or ";base64" not in url[:comma]:
        return None
    head = url[comma + 1 : comma + 1 + _HEAD_CHARS]
    head = head[: len(head) - len(head) % 4]
    try:
        data = base64.b64decode(head, validate=False)
    except (binascii.Error, ValueError):
        return None
    return image_size(data)


def image_tokens(url: str, detail: str) -> tuple[int, bool]:
    """Return (tokens, exact) of one image part; ``exact`` False for an estimate."""
    if detail == "low":
        return LOW_TOKENS, True
    size = data_url_size(url) if url.startswith("data:") else None
    exact = size is not None and detail == "high"
    return tile_tokens(*(size or ASSUMED_SIZE)), exact
