"""The words that teach the studio: the six steps and the editor's keys (no Qt).

The welcome page, the Dataset tab and the Help dialogs all show them.
"""

from __future__ import annotations

EDITOR_KEYS = (
    ("Alt+Down", "Next message"),
    ("Alt+Up", "Previous message"),
    ("Ctrl+M", "Add a message"),
)
"""The example editor's own shortcuts (the Dataset tab and Help → Shortcuts)."""

STEPS = (
    (
        "Open or import",
        "a training file (JSONL), or a spreadsheet of questions and answers.",
    ),
    ("Fix", "what the Validator finds: most problems have a one-click fix."),
    ("Check the cost", "in the Cost tab before anything is paid."),
    (
        "Launch",
        "training on OpenAI or Azure, on this computer's GPU (Settings → This "
        "computer), or on the free practice service to learn the steps.",
    ),
    ("Watch", "the loss fall in the Monitor while the job runs."),
    ("Try it", "in the Playground: chat with the trained model beside its base."),
)
"""The six steps from a file to a trained model, for the guide and Help."""


def guide_html() -> str:
    """Return the six steps as an HTML list (the welcome page and Help → Guide)."""
    items = "".join(f"<li><b>{title}</b> {text}</li>" for title, text in STEPS)
    return f"<ol style='margin-left: -14px'>{items}</ol>"
