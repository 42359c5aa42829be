"""Shutdown dates, the inventory's days left, and plain words for shutdown refusals."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import httpx2
import openai
import pytest

from ftstudio.core.api.errors import to_ft_error
from ftstudio.core.archive.inventory import build_inventory, is_fine_tuned
from ftstudio.core.providers.shutdown import published_shutdown, service_shutdown

TODAY = date(2026, 12, 4)


def _model(model_id: str, **extra: object) -> openai.types.Model:
    return openai.types.Model.model_validate(
        {"id": model_id, "object": "model", "created": 0, "owned_by": "me", **extra}
    )


def test_published_dates_follow_the_longest_prefix() -> None:
    found = published_shutdown("ft:gpt-4o-mini-2024-07-18:acme::abc")
    assert found is not None
    assert found.day == date(2027, 1, 14)
    assert found.days_left(TODAY) == 41
    assert published_shutdown("gpt-4.1-nano-2025-04-14") is None  # not announced
    assert published_shutdown("gpt-4.1-2025-04-14.ft-abc") is not None
    # Azure retires on its own calendar: OpenAI's dates do not apply there
    assert published_shutdown("gpt-4.1-2025-04-14.ft-abc", "azure") is None


@pytest.mark.parametrize("value", ["2027-02-01", "2027-02-01T00:00:00Z"])
def test_a_date_the_service_sends_is_read_in_any_shape(value: object) -> None:
    found = service_shutdown(_model("ft:gpt-4o:acme::x", shutdown_date=value))
    assert found is not None
    assert found.day == date(2027, 2, 1)
    assert found.source == "the service"
    assert service_shutdown(_model("ft:gpt-4o:acme::x")) is None
    assert service_shutdown({"shutdown_date": 1801440000}) == found  # Unix seconds
    assert service_shutdown({"shutdown_date": "soon"}) is None


def test_inventory_lists_fine_tunes_with_base_and_days_left() -> None:
    models = [
        _model("gpt-4o-mini"),
        _model("ft:gpt-4o-mini-2024-07-18:acme:bot:abc"),
        _model("ft:gpt-4.1-nano-2025-04-14:acme::def"),
        _model("ft:gpt-4o-2024-08-06:acme::ghi", shutdown_date="2027-03-01"),
    ]
    job = SimpleNamespace(
        id="ftjob-1",
        model="gpt-4o-mini-2024-07-18",
        fine_tuned_model="ft:gpt-4o-mini-2024-07-18:acme:bot:abc",
    )
    deleted = SimpleNamespace(
        id="ftjob-2", model="gpt-4.1-2025-04-14", fine_tuned_model="ft:gpt-4.1:acme::z"
    )
    rows = {e.model: e for e in build_inventory(models, [job, deleted], today=TODAY)}
    assert "gpt-4o-mini" not in rows
    bot = rows["ft:gpt-4o-mini-2024-07-18:acme:bot:abc"]
    assert (bot.base, bot.job_id, bot.shutdown, bot.days_left) == (
        "gpt-4o-mini-2024-07-18",
        "ftjob-1",
        "2027-01-14",
        41,
    )
    assert bot.when_words == "2027-01-14 (41 days left)"
    assert rows["ft:gpt-4.1-nano-2025-04-14:acme::def"].when_words == (
        "no shutdown announced"
    )
    assert rows["ft:gpt-4o-2024-08-06:acme::ghi"].shutdown == "2027-03-01"
    assert rows["ft:gpt-4.1:acme::z"].job_id == "ftjob-2"  # only the job knows it
    assert is_fine_tuned("gpt-4.1-2025-04-14.ft-abc")


def _status_error(status: int, message: str) -> openai.APIStatusError:
    request = httpx2.Request("POST", "https://api.openai.com/v1/fine_tuning/jobs")
    body = {"error": {"message": message, "code": None}}
    response = httpx2.Response(status, json=body, request=request)
    cls = {400: openai.BadRequestError, 404: openai.NotFoundError}[status]
    return cls(message, response=response, body=body)


def test_no_new_jobs_gets_plain_words_and_next_step() -> None:
    error = to_ft_error(
        _status_error(
            400, "Fine-tuning job creation is no longer supported for this model."
        )
    )
    assert error.kind == "no_new_jobs"
    assert "ftstudio archive" in error.message
    assert "--provider azure" in error.message


def test_retired_model_gets_plain_words_and_next_step() -> None:
    error = to_ft_error(
        _status_error(404, "The model `ft:gpt-4o-mini:acme::x` has been deprecated.")
    )
    assert error.kind == "model_retired"
    assert "golden" in error.message
    assert to_ft_error(_status_error(404, "No such job")).kind == "not_found"
