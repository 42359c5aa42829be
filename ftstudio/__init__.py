"""ftstudio: a desktop studio for fine-tuning OpenAI chat models."""

from __future__ import annotations

__version__ = "0.1.0"
