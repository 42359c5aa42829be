"""Held-out evaluation: run a test file through one or two models and score the replies."""
