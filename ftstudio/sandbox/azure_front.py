"""An Azure-shaped front for the sandbox, to rehearse Azure OpenAI (Foundry) offline.

It answers under ``/openai/v1`` only, takes the key from the ``api-key`` header
(a bare ``Authorization`` header is refused, as Azure refuses a key sent there),
accepts Azure's ``trainingType`` and 18-character suffix limit on job creation,
and writes the results CSV with Azure's column names.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/openai/v1"
TIERS = ("Standard", "GlobalStandard", "developerTier")
# the sandbox's results header -> Azure's (Foundry's "results.csv" documentation)
CSV_NAMES = {
    b"train_accuracy": b"train_mean_token_accuracy",
    b"valid_mean_token_accuracy": b"validation_mean_token_accuracy",
    b"valid_accuracy": b"validation_mean_token_accuracy",
}


async def _answer(send: Send, status: int, message: str, code: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _job_problem(body: dict[str, Any]) -> str:
    tier = body.pop("trainingType", None)
    if tier is not None and tier not in TIERS:
        return f"trainingType must be one of {', '.join(TIERS)}; got {tier!r}."
    suffix = body.get("suffix")
    if isinstance(suffix, str) and len(suffix) > 18:
        return "The suffix can have at most 18 characters."
    return ""


def _azure_csv(body: bytes) -> bytes:
    import base64
    import binascii

    try:
        text = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        text = body
    if not text.startswith(b"step,"):
        return body
    header, _, rest = text.partition(b"\n")
    names = [CSV_NAMES.get(n.strip(), n.strip()) for n in header.split(b",")]
    return b",".join(names) + b"\n" + rest


class AzureFront:
    """ASGI wrapper: Azure's paths and key header in front of an OpenAI-shaped app.

    Parameters
    ----------
    app
        The sandbox application (``SandboxServer.app``).
    api_key
        The sandbox's key, sent on to it as ``Authorization: Bearer``.
    """

    def __init__(self, app: ASGIApp, api_key: str) -> None:
        self.app = app
        self.api_key = api_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not path.startswith(PREFIX + "/"):
            await _answer(
                send,
                404,
                "Resource not found. Azure OpenAI's v1 API is under /openai/v1/.",
                "404",
            )
            return
        headers = dict(scope["headers"])
        key = headers.get(b"api-key")
        if key is None:
            message = (
                "Access denied: send the key in the 'api-key' header."
                if b"authorization" in headers
                else "Access denied due to missing subscription key."
            )
            await _answer(send, 401, message, "401")
            return
        inner = dict(scope)
        inner["path"] = path.removeprefix("/openai")
        inner["raw_path"] = inner["path"].encode()
        kept = [
            (k, v)
            for k, v in scope["headers"]
            if k not in (b"api-key", b"authorization")
        ]
        inner["headers"] = [*kept, (b"authorization", b"Bearer " + key)]
        if scope["method"] == "POST" and inner["path"] == "/v1/fine_tuning/jobs":
            replay = await self._checked_job(inner, receive, send)
            if replay is None:
                return
            receive = replay
        if inner["path"].endswith("/content"):
            send = self._csv_renaming(send)
        await self.app(inner, receive, send)

    async def _checked_job(
        self, scope: dict[str, Any], receive: Receive, send: Send
    ) -> Receive | None:
        raw = await _read_body(receive)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if isinstance(body, dict):
            problem = _job_problem(body)
            if problem:
                await _answer(send, 400, problem, "invalidPayload")
                return None
            raw = json.dumps(body).encode()
        scope["headers"] = [
            (k, v) for k, v in scope["headers"] if k != b"content-length"
        ]
        scope["headers"].append((b"content-length", str(len(raw)).encode()))
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}

        return replay

    def _csv_renaming(self, send: Send) -> Send:
        held: list[Message] = []
        chunks: list[bytes] = []

        async def renaming(message: Message) -> None:
            if message["type"] == "http.response.start":
                held.append(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = _azure_csv(b"".join(chunks))
            start = dict(held[0])
            start["headers"] = [
                *[(k, v) for k, v in start["headers"] if k != b"content-length"],
                (b"content-length", str(len(body)).encode()),
            ]
            await send(start)
            await send({"type": "http.response.body", "body": body})

        return renaming
