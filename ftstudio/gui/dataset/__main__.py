"""Run the Dataset tab on its own with sample data: ``python -m ftstudio.gui.dataset``."""

from __future__ import annotations

import sys

import orjson

from ftstudio.core.dataset.store import DatasetStore
from ftstudio.gui.application import studio_application
from ftstudio.gui.dataset.tab import DatasetTab
from ftstudio.gui.document import Document

SAMPLE = [
    {
        "messages": [
            {"role": "system", "content": "You answer questions about plants briefly."},
            {"role": "user", "content": "How often should I water a cactus?"},
            {"role": "assistant", "content": "Every two to three weeks in summer."},
        ]
    },
    {
        "messages": [
            {"role": "user", "content": "Is basil an annual?"},
            {"role": "assistant", "content": "Yes, in most climates.", "weight": 0},
            {"role": "user", "content": "Can it overwinter indoors?"},
            {"role": "assistant", "content": "Yes, on a sunny windowsill."},
        ]
    },
    {
        "input": {"messages": [{"role": "user", "content": "Name a shade plant."}]},
        "preferred_output": [{"role": "assistant", "content": "Hosta."}],
        "non_preferred_output": [{"role": "assistant", "content": "Sunflower."}],
    },
    {"prompt": "Fern care:", "completion": " Keep the soil moist."},
    {"messages": [{"role": "user", "content": "An example with no reply"}]},
]


def sample_store() -> DatasetStore:
    """Return a small dataset with one example of each kind (and one mistake)."""
    lines = [orjson.dumps(v) for v in SAMPLE] + [b'{"messages": [oops']
    return DatasetStore.from_bytes(b"\n".join(lines) + b"\n")


def main() -> int:
    """Show the tab over the sample data."""
    app = studio_application(sys.argv[1:])
    doc = Document(sample_store(), title="sample")
    tab = DatasetTab()
    tab.set_document(doc)
    doc.revalidate()
    tab.resize(1100, 650)
    tab.setWindowTitle("ftstudio: Dataset tab (sample data)")
    tab.show()
    code = app.exec()
    tab.shutdown()
    doc.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
