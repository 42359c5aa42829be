"""Validation of a dataset for a target model: findings, tokens and cost."""
