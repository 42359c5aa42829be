"""Widgets more than one tab uses: error banner, progress, splitters, model pickers.

This floor sits under the tabs: it imports none of them, and the tabs import
each other only through it (import-linter contracts in ``pyproject.toml``).
"""
