"""Upload a training file with byte progress: one request, or the Uploads API in parts."""

from __future__ import annotations

import contextlib
import io
import threading
import time
from collections.abc import Generator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.errors import to_ft_error
from ftstudio.core.api.retry import RetryNotice, retrying, with_retries
from ftstudio.core.cancel import NEVER, Cancelled, CancelToken
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.progress import Progress

if TYPE_CHECKING:
    import openai
    from openai.types import FileObject

SINGLE_REQUEST_LIMIT = 512 * 1024 * 1024
"""Files larger than this go through the Uploads API (OpenAI's documented limit)."""
PART_SIZE = 64 * 1024 * 1024
POLL_SECONDS = 0.1
MIME = "application/jsonl"


class _CountingReader(io.RawIOBase):
    """A file reader that counts bytes read and stops at once when cancelled."""

    def __init__(self, path: Path, cancel: CancelToken) -> None:
        self._file = path.open("rb")
        self._cancel = cancel
        self._lock = threading.Lock()
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._cancel.check()
        n = self._file.readinto(buffer)
        with self._lock:
            self.count += n or 0
        return n or 0

    def close(self) -> None:
        self._file.close()
        super().close()


def _single(
    client: openai.OpenAI, path: Path, purpose: Any, cancel: CancelToken
) -> Generator[Progress, None, FileObject]:
    size = path.stat().st_size
    reader = _CountingReader(path, cancel)
    label = f"Uploading {path.name}"
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload") as pool:
        future: Future[FileObject] = pool.submit(
            client.files.create,
            file=(path.name, reader, MIME),  # type: ignore[arg-type]  # a RawIOBase is a binary IO
            purpose=purpose,
        )
        try:
            while not future.done():
                yield Progress(min(reader.count, size), size, label)
                if cancel.wait(POLL_SECONDS):
                    break
            if cancel.cancelled:
                reader.close()  # the next read raises: the request ends early
                raise Cancelled
            result = future.result()
        finally:
            reader.close()
    yield Progress(size, size, label)
    return result


def _in_parts(
    client: openai.OpenAI, path: Path, purpose: Any, cancel: CancelToken
) -> Generator[Progress | RetryNotice, None, FileObject]:
    size = path.stat().st_size
    label = f"Uploading {path.name} in parts"
    upload = yield from with_retries(
        lambda: client.uploads.create(
            bytes=size, filename=path.name, mime_type=MIME, purpose=purpose
        ),
        cancel,
    )
    part_ids: list[str] = []
    sent = 0
    try:
        with path.open("rb") as f:
            while chunk := f.read(PART_SIZE):
                yield Progress(sent, size, label)
                part = yield from with_retries(
                    partial(client.uploads.parts.create, upload.id, data=chunk), cancel
                )
                part_ids.append(part.id)
                sent += len(chunk)
    except (Cancelled, Exception):
        with contextlib.suppress(
            Exception
        ):  # the service drops unfinished uploads anyway
            client.uploads.cancel(upload.id)
        raise
    done = yield from with_retries(
        lambda: client.uploads.complete(upload.id, part_ids=part_ids), cancel
    )
    yield Progress(size, size, label)
    if done.file is None:
        msg = "The service finished the upload but did not return the stored file. Try the upload again."
        raise FtError(
            ErrorKind.API,
            msg,
            f"upload {done.id}: status {done.status}, file null",
            retryable=True,
        )
    return done.file


def find_uploaded(
    client: openai.OpenAI, name: str, size: int, purpose: str, since: float
) -> FileObject | None:
    """Return a file this upload already created (its answer was lost), if any."""
    for item in client.files.list(purpose=purpose).data:
        if item.filename == name and item.bytes == size and item.created_at >= since:
            return item
    return None


def upload_file(
    client: openai.OpenAI,
    path: str | Path,
    purpose: str = "fine-tune",
    cancel: CancelToken = NEVER,
    *,
    single_request_limit: int = SINGLE_REQUEST_LIMIT,
) -> Generator[Progress | RetryNotice, None, FileObject]:
    """Upload ``path``, yielding byte progress; return the service's file object.

    Failed attempts are retried; before a retry the service is asked whether the
    lost attempt already stored the file, so a flaky connection leaves no copies.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise to_ft_error(exc) from exc
    if size > single_request_limit:
        result: FileObject = yield from _in_parts(client, p, purpose, cancel)
        return result
    since = int(time.time()) - 5  # the service's clock may lag ours a little
    return (
        yield from retrying(
            lambda: _single(client, p, purpose, cancel),
            cancel,
            before_retry=lambda: find_uploaded(client, p.name, size, purpose, since),
        )
    )
