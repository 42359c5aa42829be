"""Fixtures for the core tests: a sandbox with a fine-tuned model for chat and evaluation."""

from tests.core.chat_sandbox import chat_client, chat_sandbox, tuned_model

__all__ = ["chat_client", "chat_sandbox", "tuned_model"]
