"""``/v1/models`` and ``/v1/chat/completions``, answered by the service's trainer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import orjson
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.responses import StreamingResponse
from starlette.routing import Route

from ftstudio.sandbox.bodies import json_body
from ftstudio.sandbox.chat import model_not_found, parse_chat_request
from ftstudio.sandbox.errors import ApiError
from ftstudio.sandbox.jsonio import json_response

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from ftstudio.sandbox.app import Sandbox
    from ftstudio.sandbox.chat import Reply

log = logging.getLogger(__name__)


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def _describe(sandbox: Sandbox, model_id: str) -> dict[str, Any]:
    for model in sandbox.jobs.base_models():
        if model["id"] == model_id:
            return model
    if sandbox.jobs.find_model(model_id) is None:
        raise model_not_found(model_id)
    for model in sandbox.jobs.tuned_models():
        if model["id"] == model_id:
            return model
    return {"id": model_id, "object": "model", "created": 0, "owned_by": "user"}


async def list_models(request: Request) -> Response:
    jobs = _sandbox(request).jobs
    data = await run_in_threadpool(lambda: jobs.base_models() + jobs.tuned_models())
    return json_response({"object": "list", "data": data})


async def retrieve_model(request: Request) -> Response:
    found = await run_in_threadpool(
        _describe, _sandbox(request), request.path_params["model"]
    )
    return json_response(found)


async def delete_model(request: Request) -> Response:
    sandbox = _sandbox(request)
    model_id = request.path_params["model"]
    if not model_id.startswith("ft:"):
        if any(m["id"] == model_id for m in sandbox.jobs.base_models()):
            raise ApiError(
                403,
                "You have insufficient permissions for this operation: only fine-tuned models can be deleted.",
                code="model_not_deletable",
            )
        raise model_not_found(model_id)
    _describe(sandbox, model_id)
    sandbox.jobs.delete_model(model_id)
    return json_response({"id": model_id, "object": "model", "deleted": True})


async def chat_completions(request: Request) -> Response:
    sandbox = _sandbox(request)
    req = parse_chat_request(await json_body(request))
    reply = await run_in_threadpool(sandbox.jobs.reply, req)
    if not req.stream:
        return json_response(await run_in_threadpool(reply.completion))
    return StreamingResponse(
        _stream(sandbox, reply, req.include_usage), media_type="text/event-stream"
    )


def _sse(value: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(value) + b"\n\n"


async def _stream(
    sandbox: Sandbox, reply: Reply, include_usage: bool
) -> AsyncIterator[bytes]:
    finished = False
    try:
        for index in range(reply.n):
            yield _sse(reply.chunk(index, {"role": "assistant", "content": ""}, None))
            async for piece in iterate_in_threadpool(reply.pieces(index)):
                if reply.delay:
                    await asyncio.sleep(reply.delay)
                yield _sse(reply.chunk(index, {"content": piece}, None))
            yield _sse(reply.chunk(index, {}, reply.finish_reason(index)))
        if include_usage:
            last = reply.chunk(0, {}, None)
            last.update(choices=[], usage=reply.usage())
            yield _sse(last)
        yield b"data: [DONE]\n\n"
        finished = True
    finally:
        # Starlette cancels this generator when the client goes away; count it
        # so tests (and the log) can tell the stream stopped instead of running on.
        if not finished:
            reply.stop()
            sandbox.streams_aborted += 1
            log.info("chat stream stopped: the client disconnected")


ROUTES = [
    Route("/models", list_models, methods=["GET"]),
    Route("/models/{model:path}", retrieve_model, methods=["GET"]),
    Route("/models/{model:path}", delete_model, methods=["DELETE"]),
    Route("/chat/completions", chat_completions, methods=["POST"]),
]
