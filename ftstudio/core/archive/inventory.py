"""The account's fine-tuned models with their base, shutdown date and days left."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ftstudio.core.api.retry import RetryNotice, with_retries
from ftstudio.core.cancel import NEVER, CancelToken
from ftstudio.core.models import base_model
from ftstudio.core.providers.azure import parse_fine_tuned
from ftstudio.core.providers.shutdown import published_shutdown, service_shutdown

if TYPE_CHECKING:
    import openai


@dataclass(frozen=True)
class ModelEntry:
    """One fine-tuned model as the shutdown kit shows it."""

    model: str
    base: str
    job_id: str
    shutdown: str
    """The shutdown day (ISO), or '' when none is known."""
    days_left: int | None
    source: str
    """Where the date comes from: the service, the published table, or ''."""

    def as_dict(self) -> dict[str, Any]:
        """Return the entry as plain JSON-ready values."""
        return asdict(self)

    @property
    def when_words(self) -> str:
        """Return the shutdown in plain words for a table cell."""
        if not self.shutdown or self.days_left is None:
            return "no shutdown announced"
        if self.days_left < 0:
            return f"shut down on {self.shutdown}"
        if self.days_left == 0:
            return f"shuts down today ({self.shutdown})"
        return f"{self.shutdown} ({self.days_left} day{'s' if self.days_left != 1 else ''} left)"


def is_fine_tuned(model_id: str) -> bool:
    """Return whether ``model_id`` names a fine-tune (OpenAI's ``ft:`` or Azure's ``.ft-``)."""
    return model_id.startswith("ft:") or parse_fine_tuned(model_id) is not None


def build_inventory(
    models: Iterable[Any],
    jobs: Iterable[Any],
    provider: str = "openai",
    today: date | None = None,
) -> list[ModelEntry]:
    """Return the fine-tuned models among ``models`` and the jobs' fine-tuned models.

    A model the jobs name but the model list lacks (deleted, or not deployed
    on Azure) is listed too, so nothing the account made goes unmentioned.
    """
    job_of = {
        j.fine_tuned_model: j for j in jobs if getattr(j, "fine_tuned_model", None)
    }
    listed = {m.id: m for m in models if is_fine_tuned(m.id)}
    entries = []
    for model_id in sorted(set(listed) | set(job_of)):
        job = job_of.get(model_id)
        parsed = parse_fine_tuned(model_id)
        base = job.model if job else (parsed[0] if parsed else base_model(model_id))
        found = None
        if model_id in listed:
            found = service_shutdown(listed[model_id])
        found = found or published_shutdown(base, provider)
        entries.append(
            ModelEntry(
                model=model_id,
                base=base,
                job_id=job.id if job else (parsed[1] if parsed else ""),
                shutdown=found.day.isoformat() if found else "",
                days_left=found.days_left(today) if found else None,
                source=found.source if found else "",
            )
        )
    return entries


def fetch_inventory(
    client: openai.OpenAI, provider: str = "openai", cancel: CancelToken = NEVER
) -> Generator[RetryNotice, None, tuple[list[ModelEntry], list[Any]]]:
    """Ask the service for its models and jobs; return the inventory and the jobs."""
    models = yield from with_retries(lambda: list(client.models.list()), cancel)
    jobs = yield from with_retries(
        lambda: list(client.fine_tuning.jobs.list(limit=100)), cancel
    )
    return build_inventory(models, jobs, provider), jobs
