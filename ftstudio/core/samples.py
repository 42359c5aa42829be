"""The bundled sample datasets, and a writable copy of one to open (Help → Open sample).

The originals live inside the app (``resources/samples``), which may be read-only
(an installed bundle, a signed macOS app) and must stay pristine for the
self-test. So a sample is opened from a copy in the user's data folder; a copy
the user has changed is kept, and a fresh one gets the next free name.
"""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import dataclass
from pathlib import Path

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.paths import user_data_dir
from ftstudio.core.resources import resource_path


@dataclass(frozen=True)
class Sample:
    """One bundled sample dataset.

    Attributes
    ----------
    name
        The file name in ``resources/samples``.
    title
        The menu text.
    description
        One sentence for a status tip.
    """

    name: str
    title: str
    description: str

    @property
    def path(self) -> Path:
        """Return the bundled original (read it, never write it)."""
        return resource_path("samples", self.name)


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "customer_support.jsonl",
        "Customer support (clean)",
        "60 chat examples for a fictional outdoor shop, ready to train.",
    ),
    Sample(
        "customer_support_mistakes.jsonl",
        "Customer support with mistakes",
        "20 lines with typical mistakes for trying the validator and its fixes.",
    ),
    Sample(
        "customer_support_validation.jsonl",
        "Customer support validation set",
        "12 held-out examples to use as a validation file.",
    ),
)


def get_sample(name: str) -> Sample:
    """Return the sample whose file is ``name``.

    Raises
    ------
    KeyError
        If there is no such sample, listing the ones that exist.
    """
    for sample in SAMPLES:
        if sample.name == name:
            return sample
    known = ", ".join(s.name for s in SAMPLES)
    msg = f"no sample named {name!r}; known samples: {known}"
    raise KeyError(msg)


def copy_sample(name: str, folder: Path | None = None) -> Path:
    """Return a writable copy of the sample ``name``, made if needed.

    An unchanged earlier copy is reused; one the user has edited is left alone
    and the fresh copy is named ``customer_support-2.jsonl`` and so on.

    Parameters
    ----------
    name
        The sample's file name (see :data:`SAMPLES`).
    folder
        Where copies go; by default ``samples`` in the user's data folder.

    Raises
    ------
    FtError
        If the original is missing or the copy cannot be written.
    """
    sample = get_sample(name)
    target_dir = folder if folder is not None else user_data_dir() / "samples"
    original = sample.path
    stem, suffix = Path(name).stem, Path(name).suffix
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        for number in range(1, 1000):
            label = stem if number == 1 else f"{stem}-{number}"
            target = target_dir / f"{label}{suffix}"
            if not target.exists():
                shutil.copyfile(original, target)
                return target
            if filecmp.cmp(original, target, shallow=False):
                return target
    except OSError as exc:
        msg = f"The sample “{sample.title}” could not be copied to {target_dir}."
        raise FtError(ErrorKind.IO, msg, str(exc)) from exc
    msg = f"There are too many copies of the sample “{sample.title}” in {target_dir}."
    raise FtError(ErrorKind.IO, msg)
