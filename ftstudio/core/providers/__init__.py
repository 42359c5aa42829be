"""Providers as presets over one OpenAI-shaped client: pick one, get its URL and rules."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.providers.presets import PROVIDERS, Provider

ENV_VAR = "FTSTUDIO_PROVIDER"
DEFAULT = "openai"

__all__ = ["DEFAULT", "ENV_VAR", "PROVIDERS", "Provider", "choose", "env_base_url"]


def get(name: str) -> Provider:
    """Return the preset called ``name`` (any letter case).

    Raises
    ------
    FtError
        When there is no such preset, listing the known ones.
    """
    found = PROVIDERS.get(name.strip().lower())
    if found is None:
        known = ", ".join(PROVIDERS)
        raise FtError(
            ErrorKind.CONFIG, f"Unknown provider {name!r}: use one of {known}."
        )
    return found


def choose(
    explicit: str | None = None,
    saved: str = "",
    environ: Mapping[str, str] | None = None,
) -> Provider:
    """Return the provider to use: ``--provider`` first, then ``FTSTUDIO_PROVIDER``, then Settings.

    Raises
    ------
    FtError
        When the name given is not a known provider.
    """
    env = os.environ if environ is None else environ
    return get(explicit or env.get(ENV_VAR) or saved or DEFAULT)


def env_base_url(provider: Provider, environ: Mapping[str, str]) -> str:
    """Return the base URL the environment gives for ``provider`` ('' when none).

    Azure's variable holds the resource's endpoint, turned into its v1 base URL.
    """
    value = environ.get(provider.url_env, "").strip()
    if not value:
        return ""
    if provider.name == "azure":
        from ftstudio.core.providers.azure import base_url_from_endpoint

        return base_url_from_endpoint(value)
    return value
