"""Talking to an OpenAI-compatible service through the official SDK, Qt-free."""
