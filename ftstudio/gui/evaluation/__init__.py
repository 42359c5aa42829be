"""The Evaluation view: models scored on a held-out test file, compared and explained."""

from ftstudio.gui.evaluation.view import EvalView

__all__ = ["EvalView"]
