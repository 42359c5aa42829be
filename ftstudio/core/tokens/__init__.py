"""Offline token counting with tiktoken encodings shipped in ``resources/``."""
