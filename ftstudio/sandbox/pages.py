"""Cursor pagination as OpenAI does it: ``after`` an id, ``limit`` items, ``has_more``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ftstudio.sandbox.errors import bad_request


def cursor_page(
    items: Sequence[dict[str, Any]],
    after: str | None,
    limit: int,
    to_json: Callable[[dict[str, Any]], dict[str, Any]],
    what: str,
) -> dict[str, Any]:
    """Return the page of ``items`` (already in list order) after the id ``after``.

    Raises a 400 when ``after`` names no item, so a client never loops forever.
    """
    start = 0
    if after:
        for index, item in enumerate(items):
            if item["id"] == after:
                start = index + 1
                break
        else:
            raise bad_request(
                f"Invalid 'after': no {what} with id '{after}'.", param="after"
            )
    chunk = items[start : start + limit]
    return page([to_json(i) for i in chunk], start + limit < len(items))


def page(data: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    """Return an OpenAI list object."""
    return {
        "object": "list",
        "data": data,
        "has_more": has_more,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
    }
