"""Fixtures for the core tests: a sandbox with a fine-tuned model for chat and
evaluation, and a recorder of the lines the validator checks."""

from __future__ import annotations

from typing import Any

import pytest

from ftstudio.core.validation import validator as validator_module
from tests.core.chat_sandbox import chat_client, chat_sandbox, tuned_model

__all__ = ["calls", "chat_client", "chat_sandbox", "tuned_model"]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Record every line the validator checks (early or in the main pass)."""
    seen: list[bytes] = []
    real = validator_module.check_line

    def spy(raw: bytes, counter: Any) -> Any:
        seen.append(raw)
        return real(raw, counter)

    monkeypatch.setattr(validator_module, "check_line", spy)
    monkeypatch.setattr("ftstudio.core.validation.early.check_line", spy)
    return seen
