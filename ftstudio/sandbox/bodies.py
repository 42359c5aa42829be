"""Reading request bodies with OpenAI's error for a body that is not JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from ftstudio.sandbox.errors import bad_request

if TYPE_CHECKING:
    from starlette.requests import Request


async def json_body(request: Request) -> Any:
    """Return the parsed JSON body or raise a 400 in OpenAI's words."""
    raw = await request.body()
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise bad_request(
            "We could not parse the JSON body of your request. (HINT: This likely "
            "means you aren't using your HTTP library correctly.)"
        ) from None
