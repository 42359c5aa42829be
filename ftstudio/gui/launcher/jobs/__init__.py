"""The jobs table: every fine-tuning job, refreshed in the background, with actions."""
