"""Sizes in words: files and uploads in bytes (no Qt)."""

from __future__ import annotations


def human_bytes(count: int) -> str:
    """Return ``count`` bytes as e.g. "512 bytes", "12.3 KB", "1.5 MB"."""
    if count < 1000:
        return f"{count:,} bytes"
    value = float(count)
    units = ("KB", "MB", "GB", "TB")
    for index, unit in enumerate(units):
        value /= 1000
        if value < 1000 or index == len(units) - 1:
            return f"{value:,.1f} {unit}"
    raise AssertionError  # unreachable: the last unit always returns
