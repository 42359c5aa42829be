"""The studio's one connection to a fine-tuning service: saved settings, key, sandbox or local."""

from __future__ import annotations

import logging
import secrets as pysecrets
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from ftstudio.core.api.connection import (
    Connection,
    Endpoint,
    load_endpoint,
    make_client,
    resolve,
    save_endpoint,
)
from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.paths import user_data_dir
from ftstudio.core.progress import Progress, run_to_end
from ftstudio.core.redact import register_secret

if TYPE_CHECKING:
    import openai

    from ftstudio.core.secrets import SecretStore
    from ftstudio.sandbox.server import SandboxServer

log = logging.getLogger(__name__)

NO_KEY = "No API key is set. Add one in Settings, or use the offline sandbox."
DEVICES = ("auto", "cuda", "mps", "cpu")
"""Where local training runs: ``auto`` picks the GPU when there is one."""

_SOURCE_WORDS = {
    "key store": "key from the key store",
    "this session": "key kept for this session only",
    "environment (OPENAI_API_KEY)": "key from OPENAI_API_KEY",
}


class ConnectionManager(QObject):
    """Which service the API tabs talk to, and with which key.

    The saved endpoint and the key store come first, then ``OPENAI_*`` variables
    (the same resolution as the command line). :meth:`use_sandbox` and
    :meth:`use_endpoint` override that for this session only: nothing about
    them is saved.

    Parameters
    ----------
    secrets
        The key store; by default the OS keyring (or memory when there is none).
    parent
        The owning QObject.
    """

    changed = Signal()
    """The endpoint, key or sandbox changed: tabs refresh their model and job lists."""

    def __init__(
        self, secrets: SecretStore | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        if secrets is None:
            from ftstudio.core.secrets import SecretStore

            secrets = SecretStore()
        self.secrets = secrets
        self._override: Connection | None = None
        self._sandbox: SandboxServer | None = None
        self._local = False  # the service started is the local trainer
        self._local_options: tuple[Path, str] | None = None
        self._cached: Connection | None = None
        self._resolved = False
        # One SDK client for the current connection, shared by every tab: it is
        # thread-safe, and one connection pool means no socket is left unclosed.
        self._client: openai.OpenAI | None = None
        self._client_for: Connection | None = None

    # the connection -------------------------------------------------------------
    @property
    def connection(self) -> Connection | None:
        """Return the connection in use, or None when no key is known anywhere."""
        if self._override is not None:
            return self._override
        if not self._resolved:
            try:
                self._cached = resolve(self.secrets, load_endpoint())
            except FtError:
                self._cached = None
            self._resolved = True
        return self._cached

    def client(self) -> openai.OpenAI:
        """Return the SDK client for the current connection (the SDK's own retries off).

        The same client is returned until the connection changes; then the old
        one is closed and a new one made. Callers must not close it.

        Raises
        ------
        FtError
            ``auth`` when no key is known anywhere.
        """
        connection = self.connection
        if connection is None:
            raise FtError(ErrorKind.AUTH, NO_KEY)
        if self._client is None or self._client_for != connection:
            self._close_client()
            self._client = make_client(connection)
            self._client_for = connection
        return self._client

    def _close_client(self) -> None:
        client, self._client, self._client_for = self._client, None, None
        if client is not None:
            client.close()

    def describe(self) -> str:
        """Return where the studio is connected, in words for a status line."""
        if self._sandbox is not None and self._local:
            return f"This computer, local training (127.0.0.1:{self._sandbox.port})"
        if self._sandbox is not None:
            return f"Offline sandbox (127.0.0.1:{self._sandbox.port})"
        connection = self.connection
        if connection is None:
            return "Not connected: no API key"
        host = urlsplit(connection.base_url).netloc or connection.base_url
        words = _SOURCE_WORDS.get(connection.key_source, "key given for this session")
        return f"{host} · {words}"

    def endpoint(self) -> Endpoint:
        """Return the saved endpoint (what Settings shows)."""
        return load_endpoint()

    # changing it ----------------------------------------------------------------
    def save(self, endpoint: Endpoint, api_key: str | None = None) -> bool:
        """Save ``endpoint`` and, when given, its key; leave sandbox mode.

        The key goes only to the key store (or memory when there is none), under
        the endpoint's base URL. Returns whether the key is in the OS key store
        (False when it is kept for this session only, or no key was given).
        """
        from ftstudio.core.api.connection import DEFAULT_BASE_URL

        save_endpoint(endpoint)
        stored = False
        if api_key:
            stored = self.secrets.set(api_key, endpoint.base_url or DEFAULT_BASE_URL)
        self._leave_overrides()
        self.reload()
        return stored

    def forget_key(self, base_url: str) -> None:
        """Delete the key saved for ``base_url`` (key store and memory)."""
        from ftstudio.core.api.connection import DEFAULT_BASE_URL

        self.secrets.delete(base_url or DEFAULT_BASE_URL)
        self.reload()

    def reload(self) -> None:
        """Read the saved settings and key store again, and tell the tabs."""
        self._resolved = False
        self._cached = None
        self.changed.emit()

    def use_endpoint(self, base_url: str, api_key: str) -> None:
        """Talk to ``base_url`` with ``api_key`` for this session (nothing is saved)."""
        register_secret(api_key)
        self._override = Connection(
            base_url=base_url.rstrip("/"),
            api_key=api_key,
            key_source="this session",
            url_source="this session",
        )
        self.changed.emit()

    # the offline sandbox ----------------------------------------------------------
    @property
    def sandbox_running(self) -> bool:
        """Whether the studio started its own simulated sandbox and is pointed at it."""
        return self._sandbox is not None and not self._local

    @property
    def local_running(self) -> bool:
        """Whether the studio started the local trainer and is pointed at it."""
        return self._sandbox is not None and self._local

    @property
    def free(self) -> bool:
        """Whether jobs cost nothing (the sandbox, or training on this computer)."""
        return self._sandbox is not None

    def use_sandbox(self) -> str:
        """Start the offline sandbox in this process, point the studio at it; return its URL.

        Its jobs and files are kept in the user's data folder, so they are still
        there next time. The key is made up for this session only.
        """
        if self._sandbox is not None and not self._local:
            return self._sandbox.base_url
        from ftstudio.sandbox.server import SandboxServer

        key = "sandbox-" + pysecrets.token_urlsafe(24)
        server = SandboxServer(user_data_dir() / "sandbox", api_key=key, speed=1.0)
        server.start()  # raises a plain FtError when it cannot; nothing changes then
        self._leave_overrides()
        self._sandbox, self._local = server, False
        log.info("studio uses the offline sandbox at %s", server.base_url)
        self.use_endpoint(server.base_url, key)
        return server.base_url

    def use_local(self, models_dir: Path, device: str = "auto") -> str:
        """Start the local trainer in this process, point the studio at it; return its URL.

        Base models are the model folders in ``models_dir``; training runs on
        ``device`` (one of :data:`DEVICES`) in a process of its own. Jobs and
        trained models are kept in the user's data folder. This waits for the
        start (seconds: PyTorch loads); the window starts it on a worker with
        :func:`start_local` and hands the result to :meth:`adopt_local`.

        Raises
        ------
        FtError
            ``missing`` when the training extra is not installed (the message says
            how to add it), ``input`` for a folder or device that cannot be used,
            or the service's own error when it cannot start.
        """
        if self.local_options == (models_dir, device) and self._sandbox is not None:
            return self._sandbox.base_url
        check_local(models_dir, device)
        return self.adopt_local(run_to_end(start_local(models_dir, device)))

    def adopt_local(self, service: LocalService) -> str:
        """Point the studio at a local trainer started by :func:`start_local`; return its URL."""
        self._leave_overrides()
        self._sandbox, self._local = service.server, True
        self._local_options = (service.models_dir, service.device)
        log.info("studio uses the local trainer at %s", service.server.base_url)
        self.use_endpoint(service.server.base_url, service.key)
        return service.server.base_url

    def serves(self, server: SandboxServer) -> bool:
        """Whether the studio is pointed at ``server`` (one it started)."""
        return self._sandbox is server

    @property
    def local_options(self) -> tuple[Path, str] | None:
        """Return the models folder and device of the running local trainer."""
        return self._local_options if self.local_running else None

    def stop_sandbox(self) -> None:
        """Stop the sandbox (or local trainer) and go back to the saved settings."""
        if self._sandbox is None:
            return
        self._leave_overrides()
        self.reload()

    def _leave_overrides(self) -> None:
        server, self._sandbox = self._sandbox, None
        self._override = None
        if server is not None:
            server.stop()

    def shutdown(self) -> None:
        """Close the client and stop the sandbox or local trainer (the window is closing)."""
        self._close_client()
        server, self._sandbox = self._sandbox, None
        if server is not None:
            self._override = None
            server.stop()


@dataclass(frozen=True)
class LocalService:
    """A local trainer started (off the GUI thread), for :meth:`ConnectionManager.adopt_local`."""

    server: SandboxServer
    key: str
    models_dir: Path
    device: str


def check_local(models_dir: Path, device: str) -> None:
    """Raise a plain FtError when local training cannot start with these choices."""
    if device not in DEVICES:
        raise FtError(ErrorKind.INPUT, f"Choose the device among {', '.join(DEVICES)}.")
    if not models_dir.is_dir():
        raise FtError(
            ErrorKind.INPUT,
            f"The models folder {models_dir} does not exist: choose the folder "
            "that holds your downloaded models.",
        )
    missing = local_missing()
    if missing:
        raise FtError(ErrorKind.MISSING, missing)


def start_local(
    models_dir: Path, device: str, cancel: CancelToken = NEVER
) -> Generator[Progress, None, LocalService]:
    """Start the local trainer on a loopback port and return it (takes seconds).

    PyTorch loads and the device is looked at here: run it on a worker. A start
    cancelled meanwhile stops the service again.

    Raises
    ------
    FtError
        With the service's plain reason (no such GPU, a port that cannot open…).
    """
    from ftstudio.sandbox.server import SandboxServer

    yield Progress(0, None, "Starting the local trainer")
    key = "local-" + pysecrets.token_urlsafe(24)
    server = SandboxServer(
        user_data_dir() / "local",
        api_key=key,
        trainer="local",
        models_dir=models_dir,
        device=device,
    )
    server.start()
    if cancel.cancelled:
        server.stop()
        cancel.check()
    return LocalService(server, key, models_dir, device)


def local_missing() -> str | None:
    """Return why local training cannot run here in plain words, or None when it can.

    Cheap: the training libraries are looked up, not imported.
    """
    from ftstudio.sandbox.local import available

    return available()
