"""Run the sandbox with uvicorn on 127.0.0.1, in a background thread or the foreground."""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.sandbox.app import Sandbox, build_app
from ftstudio.sandbox.faults import FaultConfig

if TYPE_CHECKING:
    from collections.abc import Callable

    from ftstudio.sandbox.state import State
    from ftstudio.sandbox.trainer import Trainer

log = logging.getLogger(__name__)
HOST = "127.0.0.1"
_START_TIMEOUT = 10.0


def _local_factory(
    models_dir: Path | None, device: str, hf_cache: Path | None, use_hf_cache: bool
) -> Callable[[State], Trainer]:
    from ftstudio.sandbox.local import available

    missing = available()
    if missing:
        raise FtError(ErrorKind.SANDBOX, missing)
    from ftstudio.sandbox.local.device import pick_device
    from ftstudio.sandbox.local.models import hf_cache_dir
    from ftstudio.sandbox.local.trainer import LocalTrainer

    try:
        pick_device(device)
    except ValueError as exc:
        raise FtError(ErrorKind.USAGE, str(exc)) from exc
    cache = (hf_cache or hf_cache_dir()) if use_hf_cache else None

    def make(state: State) -> Trainer:
        return LocalTrainer(state, models_dir=models_dir, device=device, hf_cache=cache)

    return make


class SandboxServer:
    """An OpenAI-compatible fine-tuning service on a loopback socket.

    Parameters
    ----------
    data_dir
        Folder holding the sandbox's files, jobs and models (kept across restarts).
    api_key
        The one key clients must send as ``Authorization: Bearer KEY``.
    speed
        Time scale: at 1 a default job takes about a minute; at 60 about a second.
    port
        Port to listen on; 0 picks a free one.
    faults
        Faults to inject (none by default).
    trainer
        ``"simulated"`` (the sandbox: training is computed, nothing is learned)
        or ``"local"`` (real training with TRL and PEFT, see ``local``).
    models_dir
        For the local trainer: the folder of Hugging Face model folders.
    device
        For the local trainer: ``auto``, ``cuda``, ``mps`` or ``cpu``.
    hf_cache
        For the local trainer: the Hugging Face cache to list models from too
        (by default the user's; ``None`` with ``use_hf_cache=False`` skips it).
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        api_key: str = "sandbox",
        speed: float = 1.0,
        port: int = 0,
        faults: FaultConfig | None = None,
        trainer: str = "simulated",
        models_dir: Path | None = None,
        device: str = "auto",
        hf_cache: Path | None = None,
        use_hf_cache: bool = True,
        host: str = HOST,
    ) -> None:
        factory = None
        if trainer == "local":
            factory = _local_factory(models_dir, device, hf_cache, use_hf_cache)
        elif trainer != "simulated":
            msg = f"Unknown trainer {trainer!r}: use 'simulated' or 'local'."
            raise FtError(ErrorKind.USAGE, msg)
        self.trainer_kind = trainer
        self.sandbox = Sandbox(
            Path(data_dir), api_key=api_key, speed=speed, trainer=factory
        )
        self.app = build_app(self.sandbox, faults)
        self.port = port
        self.host = host
        self._server: object | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.base_url = ""

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # uvicorn writes a response's head and body separately; without NODELAY
        # Nagle holds the body until the client's delayed ACK: 40 ms a request.
        # Accepted sockets inherit the option from the listening one on Linux.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            msg = f"The sandbox cannot listen on port {self.port}: it is probably in use. Pick another port or 0 for any free one."
            raise FtError(ErrorKind.SANDBOX, msg, str(exc)) from exc
        sock.listen(128)
        sock.setblocking(False)
        return sock

    def _url_host(self) -> str:
        if self.host in ("0.0.0.0", "::"):
            return HOST
        return f"[{self.host}]" if ":" in self.host else self.host

    def device_words(self) -> str:
        """Return the local trainer's device in words (empty for the sandbox)."""
        device = getattr(self.sandbox.jobs, "device", None)
        if device is None:
            return ""
        gb = device.memory_bytes / 1024**3
        return f"{device.name} ({device.kind}, {gb:.0f} GB)"

    def _make_server(self) -> object:
        import uvicorn

        from ftstudio.sandbox.limits import (
            CONNECTION_LIMIT,
            IdleTimeoutProtocol,
            limit_logs,
        )

        limit_logs()
        config = uvicorn.Config(
            self.app,
            http=IdleTimeoutProtocol,
            limit_concurrency=CONNECTION_LIMIT,
            log_level="warning",
            # Leave logging to the host app (the studio configures its own).
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        return uvicorn.Server(config)

    def start(self) -> str:
        """Start serving in a background thread; return the base URL once ready."""
        if self._thread is not None:
            return self.base_url
        self._socket = self._bind()
        self.port = self._socket.getsockname()[1]
        server = self._make_server()
        self._server = server
        self._thread = threading.Thread(
            target=server.run,  # type: ignore[attr-defined]
            kwargs={"sockets": [self._socket]},
            name="ftstudio-sandbox",
            daemon=True,
        )
        self._thread.start()
        waited = 0.0
        while not server.started and self._thread.is_alive():  # type: ignore[attr-defined]
            self._thread.join(0.01)
            waited += 0.01
            if waited > _START_TIMEOUT:
                self.stop()
                raise FtError(ErrorKind.SANDBOX, "The sandbox did not start in time.")
        if not self._thread.is_alive():
            self.stop()
            raise FtError(
                ErrorKind.SANDBOX, "The sandbox stopped while starting; see the log."
            )
        self.base_url = f"http://{self._url_host()}:{self.port}/v1"
        log.info("sandbox serving at %s", self.base_url)
        return self.base_url

    def serve_forever(self, on_ready: Callable[[str], None] | None = None) -> None:
        """Serve in the calling thread until interrupted (the CLI's foreground mode).

        ``on_ready`` gets the base URL once the socket listens, before serving.
        """
        self._socket = self._bind()
        self.port = self._socket.getsockname()[1]
        self.base_url = f"http://{self._url_host()}:{self.port}/v1"
        if on_ready is not None:
            on_ready(self.base_url)
        server = self._make_server()
        self._server = server
        try:
            server.run(sockets=[self._socket])  # type: ignore[attr-defined]
        finally:
            self.sandbox.jobs.close()
            self._socket.close()
            self._socket = None

    def stop(self) -> None:
        """Stop serving and join the thread (safe to call twice)."""
        self.sandbox.jobs.close()
        if self._server is not None:
            self._server.should_exit = True  # type: ignore[attr-defined]
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._server = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
