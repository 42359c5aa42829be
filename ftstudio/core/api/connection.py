"""Which service to talk to and with which key: saved settings first, then the environment."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ftstudio.core.dataset.atomic import write_atomic
from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.paths import user_config_dir
from ftstudio.core.redact import register_secret
from ftstudio.core.secrets import DEFAULT_ACCOUNT, SecretStore

if TYPE_CHECKING:
    import httpx2
    import openai

DEFAULT_BASE_URL = DEFAULT_ACCOUNT
TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Endpoint:
    """The non-secret half of a connection, saved as JSON (never the key)."""

    base_url: str = ""
    organization: str = ""
    project: str = ""
    provider: str = ""


@dataclass(frozen=True)
class Connection:
    """A resolved connection: endpoint, key, and where each came from (to tell the user)."""

    base_url: str
    api_key: str
    organization: str = ""
    project: str = ""
    key_source: str = ""
    url_source: str = ""
    provider: str = "openai"
    key_header: str = "Authorization"

    def __repr__(self) -> str:  # never show the key, even in a debugger or a log
        return f"Connection(base_url={self.base_url!r}, key_source={self.key_source!r})"


def endpoint_path() -> Path:
    """Return the file holding the saved endpoint (shared by the window and the CLI)."""
    return user_config_dir() / "connection.json"


def load_endpoint() -> Endpoint:
    """Return the saved endpoint, or defaults when none is saved or it is unreadable."""
    try:
        raw = json.loads(endpoint_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Endpoint()
    if not isinstance(raw, dict):
        return Endpoint()
    return Endpoint(
        **{
            k: str(raw.get(k) or "")
            for k in ("base_url", "organization", "project", "provider")
        }
    )


def save_endpoint(endpoint: Endpoint) -> None:
    """Save the endpoint atomically (it holds no secret).

    An endpoint saved without a provider keeps the provider saved before, so a
    dialog that knows only the URL does not undo the provider choice.
    """
    if not endpoint.provider:
        endpoint = replace(endpoint, provider=load_endpoint().provider)
    path = endpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(asdict(endpoint), indent=2).encode("utf-8"))


def resolve(
    secrets: SecretStore,
    endpoint: Endpoint | None = None,
    environ: Mapping[str, str] | None = None,
    provider: str | None = None,
) -> Connection:
    """Resolve the connection: saved settings and keyring first, then the environment.

    ``provider`` (``--provider``) wins over ``FTSTUDIO_PROVIDER``, which wins over
    the provider saved in Settings. The saved base URL is used only with the
    provider it was saved for; else the provider's variables (``OPENAI_*``,
    ``AZURE_OPENAI_ENDPOINT``/``AZURE_OPENAI_API_KEY``, ``NEBIUS_*``) and its
    default URL. Keys are kept in the key store per base URL, so per provider.

    Raises
    ------
    FtError
        When no key is known anywhere, saying where to put one.
    """
    from ftstudio.core.providers import choose, env_base_url

    env = os.environ if environ is None else environ
    endpoint = endpoint or load_endpoint()
    preset = choose(provider, endpoint.provider, env)
    saved_for = endpoint.provider or "openai"
    env_url = env_base_url(preset, env)
    if endpoint.base_url and saved_for == preset.name:
        base_url, url_source = endpoint.base_url, "settings"
    elif env_url:
        base_url, url_source = env_url, f"environment ({preset.url_env})"
    elif preset.default_base_url:
        base_url, url_source = preset.default_base_url, "default"
    else:  # Azure has no default: say where its endpoint goes
        from ftstudio.core.providers.azure import base_url_from_endpoint

        base_url, url_source = base_url_from_endpoint(""), ""
    key = secrets.get(base_url)
    key_source = "key store" if secrets.secure else "this session"
    if not key and env.get(preset.key_env):
        key, key_source = env[preset.key_env], f"environment ({preset.key_env})"
    if not key:
        msg = (
            f"No API key is set for {preset.label}. Add one in Settings, or set "
            f"{preset.key_env}, or use the offline sandbox."
        )
        raise FtError(ErrorKind.AUTH, msg)
    register_secret(key)
    # organization and project are OpenAI's: not sent to another provider
    same = preset.name == saved_for
    openai_env = env if preset.name == "openai" else {}
    return Connection(
        base_url=base_url.rstrip("/"),
        api_key=key,
        organization=(endpoint.organization if same else "")
        or openai_env.get("OPENAI_ORG_ID", ""),
        project=(endpoint.project if same else "")
        or openai_env.get("OPENAI_PROJECT_ID", ""),
        key_source=key_source,
        url_source=url_source,
        provider=preset.name,
        key_header=preset.key_header,
    )


def _send_key_as_api_key(request: httpx2.Request) -> None:
    """Move the key from ``Authorization: Bearer`` to Azure's ``api-key`` header."""
    auth = request.headers.pop("Authorization", None)
    if auth:
        request.headers["api-key"] = auth.removeprefix("Bearer ")


def make_client(
    connection: Connection, http_client: httpx2.Client | None = None
) -> openai.OpenAI:
    """Return an SDK client for ``connection``.

    The SDK's own retries are off: ftstudio retries itself so it can show each
    attempt and, for job creation, look up a job whose answer was lost before
    trying again (the SDK's blind retry could start a second paid job).
    """
    import ssl

    import openai

    if connection.key_header == "api-key":
        # Azure reads the key from ``api-key``; the SDK writes ``Authorization``,
        # so a request hook moves it (the key is never sent in both headers).
        http_client = http_client or openai.DefaultHttpxClient()
        http_client.event_hooks["request"].append(_send_key_as_api_key)
    try:
        return openai.OpenAI(
            api_key=connection.api_key,
            base_url=connection.base_url,
            organization=connection.organization or None,
            project=connection.project or None,
            max_retries=0,
            timeout=TIMEOUT_SECONDS,
            http_client=http_client,
        )
    except (OSError, ssl.SSLError) as exc:
        # The HTTP stack loads the certificate store when the client is built:
        # a broken SSL_CERT_FILE or CA bundle fails here, not at the first call.
        from ftstudio.core.tls import check_certificates

        raise check_certificates().to_error() from exc
