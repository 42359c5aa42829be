"""The one list of automatic fixes: what each is called, does, answers and reports.

The CLI's ``ftstudio fix``, the Validator tab's buttons and its "Fix all" read
this list, so a fix added here shows up everywhere. It imports nothing heavy:
:func:`run_fix` loads :mod:`ftstudio.core.validation.fixes` on first use.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ftstudio.core.dataset.edits import Edit
    from ftstudio.core.dataset.store import DatasetStore


class FixName(StrEnum):
    """The name of each automatic fix: its function in ``fixes``, and its id.

    The values are the names settings, tests and scripts already use; a member
    compares equal to its value.
    """

    PRETTY_JSON = "fix_pretty_json"
    BLANK_LINES = "fix_blank_lines"
    FIELDS = "fix_fields"
    STRAY_FIELDS = "fix_stray_fields"
    DUPLICATES = "fix_duplicates"
    BOM = "fix_bom"
    LINE_ENDINGS = "fix_line_endings"
    FINAL_NEWLINE = "fix_final_newline"
    ALL = "all_fixes"


@dataclass(frozen=True)
class FixSpec:
    """One automatic fix: its button, what it does, and the findings it answers."""

    function: FixName
    """The name of the function in ``ftstudio.core.validation.fixes``."""
    label: str
    tooltip: str
    codes: frozenset[str]
    """Finding codes this fix resolves (when the finding says it is fixable)."""
    done: str = ""
    """What the CLI reports after it; ``{count}`` is the lines removed, in words."""
    noun: str = ""
    """What the lines removed are called (``empty line``), for ``{count}``."""


FIXES = (
    FixSpec(
        FixName.PRETTY_JSON,
        "Convert to JSON Lines",
        "The examples are spread over several lines (pretty-printed) or written "
        "as one list. Put each example on a line of its own, as OpenAI requires.",
        frozenset({"pretty_printed_json"}),
        "Converted pretty-printed JSON to one example per line",
    ),
    FixSpec(
        FixName.BLANK_LINES,
        "Remove empty lines",
        "Delete the empty lines between examples: OpenAI rejects them.",
        frozenset({"blank_line"}),
        "Removed {count}",
        "empty line",
    ),
    FixSpec(
        FixName.FIELDS,
        "Repair fields",
        'Rename the "developer" role to "system", write tool-call arguments '
        "as the JSON text OpenAI requires, and write Prompt/Completion keys in "
        "lower case.",
        frozenset({"developer_role", "tool_arguments_not_string", "capitalised_keys"}),
        "Repaired fields (developer role, tool-call arguments, capitalised keys)",
    ),
    FixSpec(
        FixName.STRAY_FIELDS,
        "Remove stray fields",
        "Remove fields OpenAI refuses in a message: unknown ones, and a weight on "
        "anything but an assistant reply. Fields the chosen trainer reads stay, "
        "and so does a field that looks misspelled (rename it yourself).",
        frozenset({"message_unrecognized_key", "invalid_weight"}),
        "Removed fields OpenAI refuses (unknown fields, weights off assistant replies)",
    ),
    FixSpec(
        FixName.DUPLICATES,
        "Remove duplicates",
        "Keep the first copy of each example that appears more than once.",
        frozenset({"duplicate_example"}),
        "Removed {count}, keeping the first of each",
        "repeated example",
    ),
    FixSpec(
        FixName.BOM,
        "Remove byte-order mark",
        "The file starts with an invisible byte-order mark that can make the "
        "upload fail. Remove it.",
        frozenset({"utf8_bom"}),
        "Removed the byte-order mark at the start",
    ),
    FixSpec(
        FixName.LINE_ENDINGS,
        "Use plain line endings",
        "The file uses Windows line endings (CRLF). Convert them to plain ones "
        "(LF), which every tool reads.",
        frozenset({"crlf_line_endings"}),
        "Changed Windows line endings (CRLF) to plain ones",
    ),
    FixSpec(
        FixName.FINAL_NEWLINE,
        "Add final line break",
        "End the last line with a line break, so tools that join files never "
        "merge two examples.",
        frozenset({"missing_final_newline"}),
        "Added a line break after the last line",
    ),
)
"""Every single fix, in the order "Fix all" and ``ftstudio fix`` apply them."""
FIX_ALL = FixSpec(
    FixName.ALL,
    "Fix all",
    "Apply every automatic fix above at once (one step to undo).",
    frozenset().union(*(spec.codes for spec in FIXES)),
)
"""All of :data:`FIXES` as one undo step."""
TARGETED = frozenset({FixName.STRAY_FIELDS, FixName.ALL})
"""Fixes that keep what the chosen trainer reads, so they take its name."""
BY_NAME = {spec.function: spec for spec in (*FIXES, FIX_ALL)}
"""Each fix (and "Fix all") by its name."""


def run_fix(spec: FixSpec, store: DatasetStore, target: str = "openai") -> Edit | None:
    """Return the edit that ``spec`` makes to ``store`` (None: nothing to fix).

    ``target`` is the trainer the file is checked for (see
    :mod:`ftstudio.core.validation.profiles`); its own fields are kept.
    """
    # imported on first use: the fixes pull in the validator and the tokenizers
    module: Any = importlib.import_module("ftstudio.core.validation.fixes")
    function = getattr(module, spec.function)
    edit: Edit | None = (
        function(store, target) if spec.function in TARGETED else function(store)
    )
    return edit
