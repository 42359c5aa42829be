"""``/v1/files`` and ``/v1/uploads``: multipart uploads, listing, content, parts."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ftstudio.sandbox.bodies import json_body
from ftstudio.sandbox.errors import bad_request, not_found
from ftstudio.sandbox.jsonio import json_response
from ftstudio.sandbox.pages import cursor_page, dict_id
from ftstudio.sandbox.state import new_id
from ftstudio.sandbox.trainer import check_limit

if TYPE_CHECKING:
    from starlette.requests import Request

    from ftstudio.sandbox.app import Sandbox

PURPOSES = frozenset(
    {"assistants", "batch", "fine-tune", "vision", "user_data", "evals"}
)
MAX_FILE = 512 * 1024 * 1024
MAX_UPLOAD = 8 * 1024 * 1024 * 1024
MAX_PART = 64 * 1024 * 1024
_PUBLIC_UPLOAD = (
    "id",
    "object",
    "bytes",
    "created_at",
    "expires_at",
    "filename",
    "purpose",
    "status",
    "file",
)


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def _check_purpose(purpose: Any, filename: str) -> str:
    if not isinstance(purpose, str) or purpose not in PURPOSES:
        raise bad_request(f"Invalid 'purpose': {purpose!r}.", param="purpose")
    if purpose == "fine-tune" and not filename.endswith(".jsonl"):
        raise bad_request(
            "Invalid file format for Fine-Tuning API. Must be .jsonl", param="file"
        )
    return str(purpose)


def _spool(upload: UploadFile, target_dir: Path, limit: int) -> Path:
    fd, name = tempfile.mkstemp(dir=target_dir, suffix=".part")
    path = Path(name)
    with open(fd, "wb") as out:  # noqa: PTH123 - fd from mkstemp
        upload.file.seek(0)
        shutil.copyfileobj(upload.file, out, 1024 * 1024)
    if path.stat().st_size > limit:
        path.unlink()
        raise bad_request(
            f"The file is larger than {limit // (1024 * 1024)} MB.", param="file"
        )
    return path


async def create_file(request: Request) -> Response:
    sandbox = _sandbox(request)
    async with request.form(max_files=1) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise bad_request("Missing required parameter: 'file'.", param="file")
        filename = upload.filename or "upload.jsonl"
        purpose = _check_purpose(form.get("purpose"), filename)
        path = await run_in_threadpool(_spool, upload, sandbox.state.blob_dir, MAX_FILE)
    record = await run_in_threadpool(sandbox.state.add_file, path, filename, purpose)
    return json_response(record)


async def list_files(request: Request) -> Response:
    sandbox = _sandbox(request)
    sandbox.jobs.refresh()
    q = request.query_params
    limit = check_limit(q.get("limit"), 10000, 10000)
    order = q.get("order", "desc")
    if order not in ("asc", "desc"):
        raise bad_request("Invalid 'order': 'asc' or 'desc'.", param="order")
    files = [
        f
        for f in sandbox.state.files.values()
        if q.get("purpose") in (None, f["purpose"])
    ]
    # Stored in creation order, which breaks ties inside one second.
    ranked = sorted(
        enumerate(files),
        key=lambda p: (p[1]["created_at"], p[0]),
        reverse=order == "desc",
    )
    files = [f for _, f in ranked]
    return json_response(
        cursor_page(files, q.get("after"), limit, dict, "file", id_of=dict_id)
    )


def _file(sandbox: Sandbox, file_id: str) -> dict[str, Any]:
    sandbox.jobs.refresh()
    record = sandbox.state.files.get(file_id)
    if record is None:
        raise not_found("File object", file_id, param="file_id")
    return record


async def retrieve_file(request: Request) -> Response:
    return json_response(_file(_sandbox(request), request.path_params["file_id"]))


async def delete_file(request: Request) -> Response:
    sandbox = _sandbox(request)
    file_id = request.path_params["file_id"]
    _file(sandbox, file_id)
    with sandbox.state.lock:
        del sandbox.state.files[file_id]
        sandbox.state.blob(file_id).unlink(missing_ok=True)
        sandbox.state.save()
    return json_response({"id": file_id, "object": "file", "deleted": True})


async def file_content(request: Request) -> Response:
    sandbox = _sandbox(request)
    record = _file(sandbox, request.path_params["file_id"])
    return FileResponse(
        sandbox.state.blob(record["id"]), media_type="application/octet-stream"
    )


def _upload_json(upload: dict[str, Any]) -> dict[str, Any]:
    return {k: upload.get(k) for k in _PUBLIC_UPLOAD}


def _upload(sandbox: Sandbox, upload_id: str, *, pending: bool) -> dict[str, Any]:
    upload = sandbox.state.uploads.get(upload_id)
    if upload is None:
        raise not_found("Upload", upload_id, param="upload_id")
    if pending and upload["status"] != "pending":
        raise bad_request(
            f"The upload is {upload['status']}, not pending.", param="upload_id"
        )
    return upload


async def create_upload(request: Request) -> Response:
    sandbox = _sandbox(request)
    body = await json_body(request)
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    size, filename = body.get("bytes"), body.get("filename")
    for key in ("bytes", "filename", "mime_type", "purpose"):
        if body.get(key) is None:
            raise bad_request(f"Missing required parameter: '{key}'.", param=key)
        if key != "bytes" and not isinstance(body[key], str):
            raise bad_request(f"Invalid '{key}': expected a string.", param=key)
    if (
        isinstance(size, bool)
        or not isinstance(size, int)
        or not 0 < size <= MAX_UPLOAD
    ):
        raise bad_request("Invalid 'bytes': from 1 byte to 8 GB.", param="bytes")
    purpose = _check_purpose(body.get("purpose"), str(filename))
    now = int(time.time())
    upload: dict[str, Any] = {
        "id": new_id("upload_"),
        "object": "upload",
        "bytes": size,
        "created_at": now,
        "expires_at": now + 3600,
        "filename": str(filename),
        "purpose": purpose,
        "status": "pending",
        "file": None,
        "parts": {},
    }
    with sandbox.state.lock:
        sandbox.state.uploads[upload["id"]] = upload
        sandbox.state.save()
    return json_response(_upload_json(upload))


async def add_part(request: Request) -> Response:
    sandbox = _sandbox(request)
    upload_id = request.path_params["upload_id"]
    _upload(sandbox, upload_id, pending=True)
    async with request.form(max_files=1) as form:
        data = form.get("data")
        if not isinstance(data, UploadFile):
            raise bad_request("Missing required parameter: 'data'.", param="data")
        path = await run_in_threadpool(_spool, data, sandbox.state.parts_dir, MAX_PART)
    part_id = new_id("part_")
    with sandbox.state.lock:
        upload = _upload(sandbox, upload_id, pending=True)
        upload["parts"][part_id] = path.name
        sandbox.state.save()
    return json_response(
        {
            "id": part_id,
            "object": "upload.part",
            "created_at": int(time.time()),
            "upload_id": upload_id,
        }
    )


def _join_parts(
    sandbox: Sandbox, upload: dict[str, Any], part_ids: list[str], md5: str | None
) -> Path:
    fd, name = tempfile.mkstemp(dir=sandbox.state.blob_dir, suffix=".part")
    digest = hashlib.md5(usedforsecurity=False)
    with open(fd, "wb") as out:  # noqa: PTH123 - fd from mkstemp
        for part_id in part_ids:
            with (sandbox.state.parts_dir / upload["parts"][part_id]).open("rb") as src:
                while chunk := src.read(1024 * 1024):
                    digest.update(chunk)
                    out.write(chunk)
    path = Path(name)
    if path.stat().st_size != upload["bytes"]:
        size = path.stat().st_size
        path.unlink()
        raise bad_request(
            f"The parts add up to {size} bytes but the upload was created for {upload['bytes']}.",
            param="part_ids",
        )
    if md5 and md5 != digest.hexdigest():
        path.unlink()
        raise bad_request("The md5 checksum does not match the parts.", param="md5")
    return path


async def complete_upload(request: Request) -> Response:
    sandbox = _sandbox(request)
    upload = _upload(sandbox, request.path_params["upload_id"], pending=True)
    body = await json_body(request)
    part_ids = body.get("part_ids") if isinstance(body, dict) else None
    if not isinstance(part_ids, list) or not part_ids:
        raise bad_request("Missing required parameter: 'part_ids'.", param="part_ids")
    part_ids = [str(p) for p in part_ids]
    unknown = [p for p in part_ids if p not in upload["parts"]]
    if unknown:
        raise bad_request(f"Unknown part id: '{unknown[0]}'.", param="part_ids")
    path = await run_in_threadpool(
        _join_parts, sandbox, upload, part_ids, body.get("md5")
    )
    record = sandbox.state.add_file(
        path, upload["filename"], upload["purpose"], save=False
    )
    with sandbox.state.lock:
        for name in upload["parts"].values():
            (sandbox.state.parts_dir / name).unlink(missing_ok=True)
        upload.update(status="completed", file=record, parts={})
        sandbox.state.save()
    return json_response(_upload_json(upload))


async def cancel_upload(request: Request) -> Response:
    sandbox = _sandbox(request)
    with sandbox.state.lock:
        upload = _upload(sandbox, request.path_params["upload_id"], pending=True)
        for name in upload["parts"].values():
            (sandbox.state.parts_dir / name).unlink(missing_ok=True)
        upload.update(status="cancelled", parts={})
        sandbox.state.save()
    return json_response(_upload_json(upload))


ROUTES = [
    Route("/files", create_file, methods=["POST"]),
    Route("/files", list_files, methods=["GET"]),
    Route("/files/{file_id}", retrieve_file, methods=["GET"]),
    Route("/files/{file_id}", delete_file, methods=["DELETE"]),
    Route("/files/{file_id}/content", file_content, methods=["GET"]),
    Route("/uploads", create_upload, methods=["POST"]),
    Route("/uploads/{upload_id}/parts", add_part, methods=["POST"]),
    Route("/uploads/{upload_id}/complete", complete_upload, methods=["POST"]),
    Route("/uploads/{upload_id}/cancel", cancel_upload, methods=["POST"]),
]
