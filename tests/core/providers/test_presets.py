"""Provider presets: which URL, key and header each resolves to, and their rules."""

from __future__ import annotations

from datetime import date

import httpx2
import pytest

from ftstudio.core.api.connection import Endpoint, make_client, resolve, save_endpoint
from ftstudio.core.errors import FtError
from ftstudio.core.providers import PROVIDERS, choose
from ftstudio.core.providers.azure import (
    base_url_from_endpoint,
    check_suffix,
    check_tier,
    deployment_steps,
    parse_fine_tuned,
)
from ftstudio.core.providers.jobfields import job_fields
from ftstudio.core.providers.presets import OPENAI
from ftstudio.core.secrets import SecretStore
from tests.keyrings import MemoryKeyring

KEY = "sk-test-fake"


def _store() -> SecretStore:
    return SecretStore(MemoryKeyring())


def test_every_provider_is_offered() -> None:
    assert list(PROVIDERS) == ["openai", "azure", "nebius", "local", "sandbox"]


def test_cli_choice_beats_environment_beats_settings() -> None:
    env = {"FTSTUDIO_PROVIDER": "nebius"}
    assert choose("azure", "local", env).name == "azure"
    assert choose(None, "local", env).name == "nebius"
    assert choose(None, "local", {}).name == "local"
    assert choose(None, "", {}).name == "openai"
    with pytest.raises(FtError, match="Unknown provider 'aws'"):
        choose("aws", "", {})


def test_openai_says_how_many_days_are_left_to_start_jobs() -> None:
    assert OPENAI.days_left(date(2026, 12, 4)) == 33
    assert "job creation ends 2027-01-06 (33 days left)" in OPENAI.status_line(
        date(2026, 12, 4)
    )
    assert "1 day left" in OPENAI.status_line(date(2027, 1, 5))
    assert OPENAI.status_line(date(2027, 1, 7)).startswith("Closed")


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("https://myres.openai.azure.com", "https://myres.openai.azure.com/openai/v1"),
        ("https://MyRes.openai.azure.com/", "https://myres.openai.azure.com/openai/v1"),
        ("myres.openai.azure.com/openai/", "https://myres.openai.azure.com/openai/v1"),
        ("myres", "https://myres.openai.azure.com/openai/v1"),
        (
            "https://myres.openai.azure.com/openai/v1/",
            "https://myres.openai.azure.com/openai/v1",
        ),
        ("http://127.0.0.1:9000/openai/v1", "http://127.0.0.1:9000/openai/v1"),
    ],
)
def test_azure_endpoint_becomes_the_v1_base_url(given: str, url: str) -> None:
    assert base_url_from_endpoint(given) == url
    assert "api-version" not in base_url_from_endpoint(given)


@pytest.mark.parametrize("given", ["https:// not a url", "ftp://myres", "my res"])
def test_a_mistyped_endpoint_is_refused_in_plain_words(given: str) -> None:
    with pytest.raises(FtError, match="is not an Azure endpoint"):
        base_url_from_endpoint(given)


def test_azure_without_endpoint_says_where_to_put_it() -> None:
    with pytest.raises(FtError, match="AZURE_OPENAI_ENDPOINT"):
        resolve(_store(), Endpoint(), {"AZURE_OPENAI_API_KEY": KEY}, provider="azure")


def test_azure_reads_its_own_variables_and_sends_the_key_as_api_key() -> None:
    env = {
        "AZURE_OPENAI_ENDPOINT": "https://myres.openai.azure.com",
        "AZURE_OPENAI_API_KEY": KEY,
        "OPENAI_API_KEY": "sk-test-other",
    }
    conn = resolve(_store(), Endpoint(), env, provider="azure")
    assert conn.base_url == "https://myres.openai.azure.com/openai/v1"
    assert conn.api_key == KEY
    assert conn.key_source == "environment (AZURE_OPENAI_API_KEY)"
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={"object": "list", "data": []})

    client = make_client(conn, httpx2.Client(transport=httpx2.MockTransport(handler)))
    assert list(client.models.list()) == []
    assert str(seen[0].url) == "https://myres.openai.azure.com/openai/v1/models"
    assert seen[0].headers["api-key"] == KEY
    assert "authorization" not in seen[0].headers


def test_keys_are_kept_per_provider() -> None:
    store = _store()
    store.set("sk-test-azure", "https://myres.openai.azure.com/openai/v1")
    store.set("sk-test-openai")
    env = {"AZURE_OPENAI_ENDPOINT": "myres"}
    assert resolve(store, Endpoint(), env, provider="azure").api_key == "sk-test-azure"
    assert (
        resolve(store, Endpoint(), env, provider="openai").api_key == "sk-test-openai"
    )


def test_settings_url_is_used_only_with_its_provider() -> None:
    saved = Endpoint(base_url="http://127.0.0.1:9999/v1", provider="sandbox")
    env = {"OPENAI_API_KEY": KEY}
    assert resolve(_store(), saved, env).base_url == "http://127.0.0.1:9999/v1"
    other = resolve(_store(), saved, env, provider="openai")
    assert other.base_url == "https://api.openai.com/v1"
    nebius = resolve(_store(), saved, {"NEBIUS_API_KEY": KEY}, provider="nebius")
    assert nebius.base_url.startswith("https://api.tokenfactory.nebius.com")
    assert nebius.key_header == "Authorization"


def test_saving_an_endpoint_without_provider_keeps_the_chosen_one() -> None:
    save_endpoint(Endpoint(base_url="", provider="azure"))
    save_endpoint(Endpoint(base_url="https://x.example/v1"))
    from ftstudio.core.api.connection import load_endpoint

    assert load_endpoint().provider == "azure"


def test_missing_key_names_the_providers_variable() -> None:
    with pytest.raises(FtError, match="NEBIUS_API_KEY"):
        resolve(_store(), Endpoint(), {}, provider="nebius")


def test_azure_suffix_tier_and_names() -> None:
    assert check_suffix("x" * 18) == "x" * 18
    with pytest.raises(FtError, match=r"at most 18 characters; 'x{19}' has 19"):
        check_suffix("x" * 19)
    assert check_tier("globalstandard") == "GlobalStandard"
    with pytest.raises(FtError, match="developerTier"):
        check_tier("premium")
    assert parse_fine_tuned("gpt-4.1-2025-04-14.ft-0123abcd") == (
        "gpt-4.1-2025-04-14",
        "ftjob-0123abcd",
    )
    assert parse_fine_tuned("ft:gpt-4o-mini:org::abc") is None
    assert parse_fine_tuned("gpt-4.1") is None


def test_deployment_explains_hourly_hosting() -> None:
    text = deployment_steps("gpt-4.1-2025-04-14.ft-abc")
    assert "deployed" in text
    assert "an hour" in text
    assert "Playground" in text
    assert "removed after 24 hours" in deployment_steps("m.ft-1", "developerTier")


def test_job_fields_belong_to_their_provider() -> None:
    assert job_fields("azure", {"training_type": "standard"}) == {
        "trainingType": "Standard"
    }
    assert job_fields("nebius", {"lora_r": 16, "lora_alpha": 32}) == {
        "lora_r": 16,
        "lora_alpha": 32,
        "lora": True,
    }
    with pytest.raises(FtError, match="--training-type is for azure only"):
        job_fields("openai", {"training_type": "Standard"})
    with pytest.raises(FtError, match="--lora-r is for nebius and local only"):
        job_fields("azure", {"lora_r": 8})
    with pytest.raises(FtError, match="--lora-dropout must be"):
        job_fields("nebius", {"lora_dropout": 1.5})
    assert job_fields("openai", {"training_type": None, "lora": False}) == {}
