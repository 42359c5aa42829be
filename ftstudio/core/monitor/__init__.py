"""Watching a fine-tuning job: metrics by step, hints, and the polling generator."""
