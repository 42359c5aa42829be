"""Cursor pagination as OpenAI does it: ``after`` an id, ``limit`` items, ``has_more``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ftstudio.sandbox.errors import bad_request

T = TypeVar("T")


def dict_id(item: dict[str, Any]) -> str:
    """Return the ``id`` of an OpenAI object (the usual ``id_of``)."""
    return str(item["id"])


def cursor_page(
    items: Sequence[T],
    after: str | None,
    limit: int,
    to_json: Callable[[T], dict[str, Any]],
    what: str,
    *,
    id_of: Callable[[T], str],
) -> dict[str, Any]:
    """Return the page of ``items`` (already in list order) after the id ``after``.

    Raises a 400 when ``after`` names no item, so a client never loops forever.
    """
    start = 0
    if after:
        for index, item in enumerate(items):
            if id_of(item) == after:
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
