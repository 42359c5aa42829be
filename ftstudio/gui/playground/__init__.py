"""The Playground tab: chat with a model, compare two, evaluate on a held-out test file."""

from ftstudio.gui.playground.tab import PlaygroundTab

__all__ = ["PlaygroundTab"]
