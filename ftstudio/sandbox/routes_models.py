"""``/v1/models`` and ``/v1/chat/completions``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse
from starlette.routing import Route

from ftstudio.core.models import default_table
from ftstudio.sandbox.bodies import json_body
from ftstudio.sandbox.chat import (
    Answer,
    answer_text,
    model_not_found,
    parse_chat_request,
)
from ftstudio.sandbox.errors import ApiError
from ftstudio.sandbox.jobs import ORG
from ftstudio.sandbox.jsonio import json_response
from ftstudio.sandbox.timeline import RUN_END, Clock, model_name
from ftstudio.sandbox.training import read_training_file

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from ftstudio.sandbox.app import Sandbox
    from ftstudio.sandbox.training import Pair

log = logging.getLogger(__name__)
BASE_CREATED = 1_700_000_000  # a fixed date for built-in models


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def _model(model_id: str, created: int, owner: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": created, "owned_by": owner}


def _base_models() -> list[dict[str, Any]]:
    return [_model(name, BASE_CREATED, "system") for name in default_table().names()]


def _describe(sandbox: Sandbox, model_id: str) -> dict[str, Any]:
    if not model_id.startswith("ft:") and default_table().lookup(model_id).known:
        return _model(model_id, BASE_CREATED, "system")
    found = sandbox.jobs.find_model(model_id)
    if found is None:
        raise model_not_found(model_id)
    job, _ = found
    return _model(model_id, int(Clock(job).wall_at(RUN_END)), ORG)


async def list_models(request: Request) -> Response:
    sandbox = _sandbox(request)
    tuned = [
        _model(model_name(j), int(Clock(j).wall_at(RUN_END)), ORG)
        for j in sandbox.jobs.succeeded()
    ]
    return json_response({"object": "list", "data": _base_models() + tuned})


async def retrieve_model(request: Request) -> Response:
    return json_response(_describe(_sandbox(request), request.path_params["model"]))


async def delete_model(request: Request) -> Response:
    sandbox = _sandbox(request)
    model_id = request.path_params["model"]
    if not model_id.startswith("ft:"):
        if default_table().lookup(model_id).known:
            raise ApiError(
                403,
                "You have insufficient permissions for this operation: only fine-tuned models can be deleted.",
                code="model_not_deletable",
            )
        raise model_not_found(model_id)
    _describe(sandbox, model_id)
    with sandbox.state.lock:
        sandbox.state.deleted_models.add(model_id)
        sandbox.state.save()
    return json_response({"id": model_id, "object": "model", "deleted": True})


def _pairs(sandbox: Sandbox, job: dict[str, Any]) -> tuple[Pair, ...]:
    cache = sandbox.jobs.training_cache
    data = cache.get(job["id"])
    if data is None:
        data, _ = read_training_file(
            sandbox.state.training_copy(job["id"]), job["model"]
        )
        cache[job["id"]] = data
    return data.pairs


async def chat_completions(request: Request) -> Response:
    sandbox = _sandbox(request)
    req = parse_chat_request(await json_body(request))
    pairs = None
    if req.model.startswith("ft:"):
        found = sandbox.jobs.find_model(req.model)
        if found is None:
            raise model_not_found(req.model)
        pairs = await run_in_threadpool(_pairs, sandbox, found[0])
    elif not default_table().lookup(req.model).known:
        raise model_not_found(req.model)
    answer = await run_in_threadpool(
        Answer, req.model, req, answer_text(req.model, req, pairs)
    )
    if not req.stream:
        return json_response(answer.completion())
    return StreamingResponse(
        _stream(sandbox, answer, req.include_usage), media_type="text/event-stream"
    )


def _sse(value: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(value) + b"\n\n"


async def _stream(
    sandbox: Sandbox, answer: Answer, include_usage: bool
) -> AsyncIterator[bytes]:
    # A token every 30 ms at speed 1 looks like a live model; faster in tests.
    delay = 0.03 / sandbox.speed
    finished = False
    try:
        for index in range(answer.n):
            yield _sse(answer.chunk(index, {"role": "assistant", "content": ""}, None))
            for piece in answer.pieces:
                await asyncio.sleep(delay)
                yield _sse(answer.chunk(index, {"content": piece}, None))
            yield _sse(answer.chunk(index, {}, answer.finish_reason))
        if include_usage:
            last = answer.chunk(0, {}, None)
            last.update(choices=[], usage=answer.usage())
            yield _sse(last)
        yield b"data: [DONE]\n\n"
        finished = True
    finally:
        # Starlette cancels this generator when the client goes away; count it
        # so tests (and the log) can tell the stream stopped instead of running on.
        if not finished:
            sandbox.streams_aborted += 1
            log.info("chat stream stopped: the client disconnected")


ROUTES = [
    Route("/models", list_models, methods=["GET"]),
    Route("/models/{model:path}", retrieve_model, methods=["GET"]),
    Route("/models/{model:path}", delete_model, methods=["DELETE"]),
    Route("/chat/completions", chat_completions, methods=["POST"]),
]
