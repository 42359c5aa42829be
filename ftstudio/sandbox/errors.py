"""API errors in OpenAI's envelope, with the status codes OpenAI uses."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ftstudio.sandbox.jsonio import json_response


class ApiError(Exception):
    """An error the sandbox answers with ``{"error": {...}}`` and an HTTP status.

    Parameters
    ----------
    status
        The HTTP status code (400, 401, 404, 409, 429, 500, 503…).
    message
        The sentence OpenAI would put in ``error.message``.
    param
        The request parameter at fault, if any.
    code
        OpenAI's machine-readable error code, if any.
    err_type
        OpenAI's error type (``invalid_request_error`` for client mistakes).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        err_type: str = "invalid_request_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.err_type = err_type
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return the error envelope."""
        return {
            "error": {
                "message": self.message,
                "type": self.err_type,
                "param": self.param,
                "code": self.code,
            }
        }

    def response(self) -> Response:
        """Return the error as an HTTP response."""
        return json_response(self.body(), status=self.status, headers=self.headers)


def bad_request(
    message: str, param: str | None = None, code: str | None = None
) -> ApiError:
    """Return a 400 for an invalid parameter."""
    return ApiError(400, message, param=param, code=code)


def not_found(kind: str, ident: str, param: str = "id") -> ApiError:
    """Return a 404 for an unknown id, worded as OpenAI words it."""
    return ApiError(404, f"No such {kind}: '{ident}'", param=param)
