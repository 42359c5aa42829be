"""``/v1/fine_tuning/jobs``: create, list, retrieve, cancel, pause, resume, events, checkpoints."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from ftstudio.sandbox.bodies import json_body
from ftstudio.sandbox.jsonio import json_response
from ftstudio.sandbox.trainer import check_limit

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from ftstudio.sandbox.app import Sandbox

_METADATA_KEY = re.compile(r"^metadata\[(.+)\]$")


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


async def create_job(request: Request) -> Response:
    sandbox = _sandbox(request)
    body = await json_body(request)
    # Validating the training file reads it in full: keep it off the event loop.
    return json_response(await run_in_threadpool(sandbox.jobs.create, body))


async def list_jobs(request: Request) -> Response:
    sandbox = _sandbox(request)
    q = request.query_params
    metadata = {}
    for key, value in q.multi_items():
        match = _METADATA_KEY.match(key)
        if match:
            metadata[match.group(1)] = value
    limit = check_limit(q.get("limit"), 20, 100)
    return json_response(sandbox.jobs.list_page(q.get("after"), limit, metadata))


async def retrieve_job(request: Request) -> Response:
    sandbox = _sandbox(request)
    sandbox.jobs.refresh()
    job = sandbox.jobs.record(request.path_params["job_id"])
    return json_response(sandbox.jobs.to_json(job))


async def cancel_job(request: Request) -> Response:
    jobs = _sandbox(request).jobs
    return json_response(
        await run_in_threadpool(jobs.cancel, request.path_params["job_id"])
    )


async def pause_job(request: Request) -> Response:
    jobs = _sandbox(request).jobs
    return json_response(
        await run_in_threadpool(jobs.pause, request.path_params["job_id"])
    )


async def resume_job(request: Request) -> Response:
    jobs = _sandbox(request).jobs
    return json_response(
        await run_in_threadpool(jobs.resume, request.path_params["job_id"])
    )


async def job_events(request: Request) -> Response:
    q = request.query_params
    limit = check_limit(q.get("limit"), 20, 100)
    page = _sandbox(request).jobs.events_page(
        request.path_params["job_id"], q.get("after"), limit
    )
    return json_response(page)


async def job_checkpoints(request: Request) -> Response:
    q = request.query_params
    limit = check_limit(q.get("limit"), 10, 100)
    page = _sandbox(request).jobs.checkpoints_page(
        request.path_params["job_id"], q.get("after"), limit
    )
    return json_response(page)


ROUTES = [
    Route("/fine_tuning/jobs", create_job, methods=["POST"]),
    Route("/fine_tuning/jobs", list_jobs, methods=["GET"]),
    Route("/fine_tuning/jobs/{job_id}", retrieve_job, methods=["GET"]),
    Route("/fine_tuning/jobs/{job_id}/cancel", cancel_job, methods=["POST"]),
    Route("/fine_tuning/jobs/{job_id}/pause", pause_job, methods=["POST"]),
    Route("/fine_tuning/jobs/{job_id}/resume", resume_job, methods=["POST"]),
    Route("/fine_tuning/jobs/{job_id}/events", job_events, methods=["GET"]),
    Route("/fine_tuning/jobs/{job_id}/checkpoints", job_checkpoints, methods=["GET"]),
]
