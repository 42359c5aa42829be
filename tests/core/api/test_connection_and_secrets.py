"""Where the key comes from, where it goes (only the key store), and that it never shows."""

from __future__ import annotations

from typing import Any

import pytest
from keyring.backends import fail

from ftstudio.core.api.connection import (
    Endpoint,
    endpoint_path,
    load_endpoint,
    resolve,
    save_endpoint,
)
from ftstudio.core.errors import FtError
from ftstudio.core.redact import mask_key, redact, register_secret
from ftstudio.core.secrets import SecretStore
from tests.keyrings import MemoryKeyring

FAKE = "sk-test-not-a-real-key-123456"


def test_key_goes_to_the_key_store_and_back() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    assert store.secure
    assert store.set(FAKE)
    assert backend.items == {("ftstudio", "https://api.openai.com/v1"): FAKE}
    assert store.get() == FAKE
    store.delete()
    assert store.get() is None


def test_without_a_secure_store_the_key_stays_in_memory_and_says_so() -> None:
    store = SecretStore(fail.Keyring())
    assert not store.secure
    assert "only until ftstudio closes" in store.reason
    assert store.set(FAKE) is False
    assert store.get() == FAKE
    assert SecretStore(fail.Keyring()).get() is None  # a new process has nothing


def test_saved_settings_and_key_store_come_before_the_environment() -> None:
    store = SecretStore(MemoryKeyring())
    store.set(FAKE, account="http://127.0.0.1:9999/v1")
    env = {
        "OPENAI_API_KEY": "sk-test-env-key-0000000",
        "OPENAI_BASE_URL": "http://env.invalid/v1",
    }
    conn = resolve(store, Endpoint(base_url="http://127.0.0.1:9999/v1"), env)
    assert conn.api_key == FAKE
    assert conn.key_source == "key store"
    assert conn.url_source == "settings"
    assert FAKE not in repr(conn)


def test_environment_is_used_when_nothing_is_saved() -> None:
    env = {
        "OPENAI_API_KEY": "sk-test-env-key-0000000",
        "OPENAI_BASE_URL": "http://127.0.0.1:5/v1",
    }
    conn = resolve(SecretStore(MemoryKeyring()), Endpoint(), env)
    assert conn.base_url == "http://127.0.0.1:5/v1"
    assert conn.key_source == "environment (OPENAI_API_KEY)"


def test_no_key_anywhere_says_where_to_put_one() -> None:
    with pytest.raises(FtError, match="Settings"):
        resolve(SecretStore(MemoryKeyring()), Endpoint(), {})


def test_saved_endpoint_holds_no_key() -> None:
    save_endpoint(Endpoint(base_url="http://127.0.0.1:1/v1", organization="org-x"))
    assert load_endpoint().organization == "org-x"
    assert "sk-" not in endpoint_path().read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        f"Authorization: Bearer {FAKE}",
        f"error with key {FAKE} in it",
        'api_key="abcdef123456"',
        "-----BEGIN PRIVATE KEY-----\nMIIfake\n-----END PRIVATE KEY-----",
    ],
)
def test_redaction_hides_key_like_strings(text: str) -> None:
    out = redact(text)
    assert "[redacted]" in out
    assert FAKE not in out
    assert "abcdef123456" not in out
    assert "MIIfake" not in out


def test_registered_secrets_are_redacted_even_without_a_known_shape() -> None:
    odd: Any = "0123456789abcdef0123456789abcdef"  # e.g. an Azure-style key
    register_secret(odd)
    assert odd not in redact(f"key={odd}!")
    assert mask_key(FAKE) == "sk-t…3456"


def test_broken_certificate_setting_is_explained(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ftstudio.core.api.connection import Connection, make_client

    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(FtError) as info:
        make_client(Connection(base_url="https://api.openai.com/v1", api_key=FAKE))
    assert info.value.kind == "tls"
    assert "certificate" in info.value.message.lower()
