"""The Starlette application: routes under ``/v1``, API-key check, error envelope."""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount

from ftstudio.sandbox import routes_files, routes_jobs, routes_models
from ftstudio.sandbox.errors import ApiError
from ftstudio.sandbox.faults import FaultConfig, FaultMiddleware
from ftstudio.sandbox.state import State

if TYPE_CHECKING:
    from collections.abc import Callable

    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Receive, Scope, Send

    from ftstudio.sandbox.trainer import Trainer

log = logging.getLogger(__name__)


class Sandbox:
    """Everything one running service holds: state, its trainer and settings.

    ``trainer`` builds the plug-in that trains (from the state); by default the
    simulated sandbox trainer at ``speed``.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        api_key: str,
        speed: float,
        trainer: Callable[[State], Trainer] | None = None,
    ) -> None:
        from ftstudio.sandbox.speed import MAX_SPEED, MIN_SPEED

        if not MIN_SPEED <= speed <= MAX_SPEED:  # nan fails too
            msg = f"The sandbox speed must be from {MIN_SPEED:g} to {MAX_SPEED:g}."
            raise ValueError(msg)
        self.api_key = api_key
        self.speed = speed
        self.state = State(data_dir)
        if trainer is None:
            from ftstudio.sandbox.simulated import SimulatedTrainer

            self.jobs: Trainer = SimulatedTrainer(self.state, speed)
        else:
            self.jobs = trainer(self.state)
        self.streams_aborted = 0
        self.faults: FaultMiddleware | None = None


class KeyCheck:
    """ASGI middleware: the one configured API key, or a 401 in OpenAI's words."""

    def __init__(self, app: ASGIApp, api_key: str) -> None:
        self.app = app
        self.expected = f"Bearer {api_key}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                given = value
                break
        if hmac.compare_digest(given, self.expected):
            await self.app(scope, receive, send)
            return
        if not given:
            error = ApiError(
                401,
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            )
        else:
            shown = given.decode("latin-1").removeprefix("Bearer ")
            masked = f"{shown[:3]}****{shown[-4:]}" if len(shown) > 8 else "****"
            error = ApiError(
                401,
                f"Incorrect API key provided: {masked}. The sandbox prints its key when it starts.",
                code="invalid_api_key",
            )
        await error.response()(scope, receive, send)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"Invalid URL ({request.method} {request.url.path})"
    elif exc.status_code == 405:
        message = f"Method not allowed: {request.method} {request.url.path}"
    else:
        message = str(exc.detail)
    return ApiError(exc.status_code, message).response()


async def _crash(request: Request, exc: Exception) -> Response:
    log.exception(
        "sandbox error on %s %s", request.method, request.url.path, exc_info=exc
    )
    return ApiError(
        500,
        "The sandbox had an error while processing your request.",
        err_type="server_error",
    ).response()


def build_app(sandbox: Sandbox, faults: FaultConfig | None = None) -> ASGIApp:
    """Return the ASGI application serving ``sandbox``."""
    routes = routes_files.ROUTES + routes_jobs.ROUTES + routes_models.ROUTES
    middleware = [Middleware(KeyCheck, api_key=sandbox.api_key)]
    app = Starlette(
        routes=[Mount("/v1", routes=routes)],
        middleware=middleware,
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _crash,
        },
    )
    app.state.sandbox = sandbox
    if faults is None or not faults.active:
        return app
    # Outside Starlette's own error middleware, which wraps ``send``: dropping a
    # connection needs the server's own ``send`` (see FaultMiddleware).
    sandbox.faults = FaultMiddleware(app, faults)
    return sandbox.faults
