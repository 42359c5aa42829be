"""Azure OpenAI (Microsoft Foundry): its URL, training tiers, names and deployments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ftstudio.core.errors import ErrorKind, FtError

PRICING_URL = (
    "https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/"
)
DEPLOY_DOCS_URL = (
    "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-deploy"
)
_AZURE_HOST = re.compile(
    r"^(?P<resource>[a-z0-9][a-z0-9-]*)\.(openai\.azure\.com|services\.ai\.azure\.com|cognitiveservices\.azure\.com)$",
    re.IGNORECASE,
)
_FT_ID = re.compile(r"^(?P<base>.+?)\.ft-(?P<job>[0-9a-zA-Z]+)(?P<rest>[-.:].*)?$")


@dataclass(frozen=True)
class Tier:
    """One training tier (``trainingType``) and what it changes for the user."""

    name: str
    label: str
    price_effect: str
    hosting_per_hour: float | None


TIERS: dict[str, Tier] = {
    t.name: t
    for t in (
        Tier(
            "Standard",
            "Standard (this resource's region)",
            "The regional price: the highest, and the data stays in the resource's region.",
            1.70,
        ),
        Tier(
            "GlobalStandard",
            "Global Standard (any Azure region)",
            "Cheaper than Standard; training may run in any region.",
            1.70,
        ),
        Tier(
            "developerTier",
            "Developer (for trials)",
            "The cheapest; no data-residency promise, jobs may wait for spare capacity, "
            "and its deployments are removed after 24 hours.",
            0.0,
        ),
    )
}
"""Azure's training tiers; hosting is USD per hour for a deployed fine-tune (checked 2026-11)."""


def base_url_from_endpoint(endpoint: str) -> str:
    """Return the v1 base URL for an Azure endpoint or resource name.

    ``https://myres.openai.azure.com`` (with or without a path or slash), or just
    ``myres``, gives ``https://myres.openai.azure.com/openai/v1``. Any other URL
    that already ends in ``/openai/v1`` is kept (a proxy, or ftstudio's rehearsal
    front); no ``api-version`` is added, as the v1 path needs none.

    Raises
    ------
    FtError
        When ``endpoint`` is neither a resource name nor a URL.
    """
    text = endpoint.strip()
    if not text:
        raise FtError(
            ErrorKind.CONFIG,
            "Azure needs your resource's endpoint: set AZURE_OPENAI_ENDPOINT to "
            "https://<resource>.openai.azure.com (shown under Keys and Endpoint in the Azure portal), "
            "or enter it in Settings.",
        )
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", text, re.IGNORECASE):
        return f"https://{text.lower()}.openai.azure.com/openai/v1"
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not re.fullmatch(r"[a-z0-9.:-]+", host):
        msg = f"{endpoint!r} is not an Azure endpoint; it looks like https://<resource>.openai.azure.com."
        raise FtError(ErrorKind.CONFIG, msg)
    path = parts.path.rstrip("/")
    if path.endswith("/openai/v1"):
        return f"{parts.scheme}://{parts.netloc}{path}"
    if _AZURE_HOST.match(host):
        return f"https://{host}/openai/v1"
    return f"{parts.scheme}://{parts.netloc}{path}/openai/v1"


def check_suffix(suffix: str | None) -> str | None:
    """Return ``suffix`` if Azure accepts it (at most 18 characters).

    Raises
    ------
    FtError
        When it is longer, saying by how much.
    """
    if suffix and len(suffix) > 18:
        msg = f"Azure accepts a suffix of at most 18 characters; {suffix!r} has {len(suffix)}. Shorten it."
        raise FtError(ErrorKind.INPUT, msg)
    return suffix


def check_tier(name: str) -> str:
    """Return the tier's exact spelling, accepting any letter case.

    Raises
    ------
    FtError
        When ``name`` is not one of :data:`TIERS`.
    """
    for tier in TIERS:
        if tier.lower() == name.strip().lower():
            return tier
    msg = f"{name!r} is not an Azure training tier; use one of {', '.join(TIERS)}."
    raise FtError(ErrorKind.INPUT, msg)


def parse_fine_tuned(model_id: str) -> tuple[str, str] | None:
    """Return (base model, job id) of an Azure fine-tuned id, or None for another id.

    ``gpt-4.1-2025-04-14.ft-0123abcd`` gives ``("gpt-4.1-2025-04-14", "ftjob-0123abcd")``.
    """
    match = _FT_ID.match(model_id)
    if match is None:
        return None
    return match["base"], f"ftjob-{match['job']}"


def deployment_steps(model_id: str, tier: str | None = None) -> str:
    """Explain, in plain words, how to deploy ``model_id`` so the Playground can chat."""
    hosting = TIERS.get(tier or "Standard", TIERS["Standard"]).hosting_per_hour
    cost = (
        "Developer-tier deployments cost nothing per hour and are removed after 24 hours."
        if not hosting
        else f"A deployment is billed for every hour it exists (about ${hosting:.2f} an hour, "
        "whether or not it is used), so delete it when you are done."
    )
    return (
        f"On Azure, {model_id} answers only once it is deployed. In the Foundry portal open "
        "Fine-tuning, pick the model, choose Deploy and give the deployment a name; then "
        f"enter that name as the model in the Playground. {cost} Steps: {DEPLOY_DOCS_URL}"
    )
