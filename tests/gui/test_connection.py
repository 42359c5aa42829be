"""The connection manager: saved key and endpoint, session overrides, the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from keyring.backends import fail

from ftstudio.core.api.connection import Endpoint, endpoint_path
from ftstudio.core.errors import FtError
from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from tests.keyrings import MemoryKeyring

KEY = "sk-test-not-a-real-key"


def test_no_key_means_no_connection_and_a_plain_error(qtbot: Any) -> None:
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    assert mgr.connection is None
    assert mgr.describe() == "Not connected: no API key"
    with pytest.raises(FtError) as info:
        mgr.client()
    assert info.value.kind == "auth"


def test_saved_key_goes_to_the_key_store_only(qtbot: Any) -> None:
    backend = MemoryKeyring()
    mgr = ConnectionManager(SecretStore(backend))
    with qtbot.waitSignal(mgr.changed):
        assert mgr.save(Endpoint(organization="org-1"), KEY) is True
    assert mgr.connection is not None
    assert mgr.connection.api_key == KEY
    assert mgr.describe() == "api.openai.com · key from the key store"
    assert KEY not in endpoint_path().read_text(encoding="utf-8")
    assert list(backend.items.values()) == [KEY]
    mgr.forget_key("")
    assert mgr.connection is None


def test_without_a_key_store_the_key_lives_in_memory(qtbot: Any) -> None:
    mgr = ConnectionManager(SecretStore(fail.Keyring()))
    assert mgr.save(Endpoint(), KEY) is False
    assert mgr.describe() == "api.openai.com · key kept for this session only"


def test_environment_key_is_used_and_said(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    assert mgr.describe() == "api.openai.com · key from OPENAI_API_KEY"


def test_sandbox_starts_lists_models_and_stops(qtbot: Any) -> None:
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    with qtbot.waitSignal(mgr.changed):
        url = mgr.use_sandbox()
    try:
        assert url.startswith("http://127.0.0.1:")
        assert mgr.sandbox_running
        assert mgr.describe().startswith("Offline sandbox (127.0.0.1:")
        models = [m.id for m in mgr.client().models.list().data]
        assert models
    finally:
        mgr.stop_sandbox()
    assert not mgr.sandbox_running
    assert mgr.connection is None  # back to the saved settings: no key
