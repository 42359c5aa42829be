"""Split the open dataset into a training file and a validation file."""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ftstudio.gui.widgets.progress import show_on_bar
from ftstudio.workers import TaskRunner

if TYPE_CHECKING:
    from ftstudio.core.cancel import CancelToken
    from ftstudio.core.dataset.store import DatasetStore
    from ftstudio.core.errors import FtError
    from ftstudio.core.progress import Progress
    from ftstudio.gui.document import Document

DEFAULT_PERCENT = 10
SEED_TIP = (
    "Which examples go to validation is chosen at random. The same number always "
    "gives the same split of the same file; pick another number for another split."
)
SHARE_TIP = (
    "The part of your examples kept aside to check the model during training. "
    "The model never learns from them, so their score shows how well it does on "
    "examples it has not seen. 10 to 20 % is usual."
)


def _split_task(
    store: DatasetStore, ratio: float, seed: int, train: Path, validation: Path
) -> Callable[[CancelToken], Generator[Any, None, tuple[int, int]]]:
    def run(cancel: CancelToken) -> Generator[Any, None, tuple[int, int]]:
        from ftstudio.core.dataset import split

        plan = yield from split.plan_split_iter(store, ratio, seed, cancel)
        yield from split.write_split_iter(store, plan, train, validation, cancel)
        return plan.train_count, plan.validation_count

    return run


class SplitDialog(QDialog):
    """Choose the validation share, a seed and two file names; write both files.

    The dataset is read as it is now, unsaved edits included. The dialog is
    modal, so the dataset cannot change while the files are written.
    """

    split_written = Signal(object, object)
    """The training and the validation file (paths) were written."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Split into training and validation")
        self.setModal(True)
        self._doc = doc
        self._busy = False
        self._done = False
        self._error = ""
        self.runner = TaskRunner(self)

        self.share = QSpinBox()
        self.share.setRange(1, 50)
        self.share.setValue(DEFAULT_PERCENT)
        self.share.setSuffix(" %")
        self.share.setAccessibleName("Share of examples for validation")
        self.share.setToolTip(SHARE_TIP)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setAccessibleName("Random seed")
        self.seed.setToolTip(SEED_TIP)
        folder, stem = self._default_place()
        self._folder = folder
        self.train_path = self._path_edit(
            folder / f"{stem}_train.jsonl", "Training file"
        )
        self.validation_path = self._path_edit(
            folder / f"{stem}_validation.jsonl", "Validation file"
        )
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Split status")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.split_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.split_button.setText("&Split")
        self.buttons.accepted.connect(self._on_split)
        self.buttons.rejected.connect(self.reject)
        for signal in (
            self.share.valueChanged,
            self.train_path.textChanged,
            self.validation_path.textChanged,
        ):
            signal.connect(self._on_input_changed)
        self._build_layout()
        self._refresh()

    def _default_place(self) -> tuple[Path, str]:
        path = self._doc.path
        if path is not None:
            return path.parent, path.stem
        from ftstudio.gui.settings import Settings

        return Settings().last_folder(), Path(self._doc.title).stem or "dataset"

    def _path_edit(self, default: Path, name: str) -> QLineEdit:
        edit = QLineEdit(str(default))
        edit.setAccessibleName(name)
        return edit

    def _browse_row(self, edit: QLineEdit) -> QHBoxLayout:
        button = QPushButton("Choose…")
        button.setAccessibleName(f"Choose the {edit.accessibleName().lower()}")
        button.clicked.connect(lambda: self._choose(edit))  # GUI thread only, no args
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        return row

    def _build_layout(self) -> None:
        intro = QLabel(
            f"Write the examples of {self._doc.title} to two new files. Identical "
            "examples always land in the same file, so the two files never share an "
            "example. Unsaved edits are included; the open dataset is not changed."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Validation share:", self.share)
        form.addRow("Random &seed:", self.seed)
        for text, edit in (
            ("&Training file:", self.train_path),
            ("V&alidation file:", self.validation_path),
        ):
            path_label = QLabel(text)
            path_label.setBuddy(edit)  # a row holding a layout gets no buddy
            form.addRow(path_label, self._browse_row(edit))
        for field, tip in ((self.share, SHARE_TIP), (self.seed, SEED_TIP)):
            label = form.labelForField(field)
            if label is not None:
                label.setToolTip(tip)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.counts)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.resize(640, 0)

    def _choose(self, edit: QLineEdit) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, edit.accessibleName(), edit.text(), "JSON Lines (*.jsonl)"
        )
        if name:
            edit.setText(name)

    def target(self, edit: QLineEdit) -> Path:
        """Return the file named in ``edit`` (a bare name goes beside the dataset)."""
        path = Path(edit.text().strip()).expanduser()
        return path if path.is_absolute() else self._folder / path

    # checks -----------------------------------------------------------------
    def examples(self) -> int:
        """Return how many examples the dataset has (from the last report)."""
        report = self._doc.report
        return report.examples if report is not None else len(self._doc.store)

    def problem(self) -> str:
        """Say what stops the split ("" when it can go ahead)."""
        if self.examples() < 2:
            return "Splitting needs at least two examples."
        train = self.target(self.train_path)
        validation = self.target(self.validation_path)
        if not all(e.text().strip() for e in (self.train_path, self.validation_path)):
            return "Choose a name for both files."
        if train.is_dir() or validation.is_dir():
            return "Choose a file name, not a folder."
        if train.resolve() == validation.resolve():
            return "The training and the validation file must be two different files."
        source = self._doc.path
        if source is not None and source.resolve() in (
            train.resolve(),
            validation.resolve(),
        ):
            return (
                "Choose new file names: the split must not overwrite the open dataset."
            )
        for path in (train, validation):
            if not path.parent.is_dir():
                return f"The folder {path.parent} does not exist."
        return ""

    @Slot()
    def _on_input_changed(self) -> None:
        self._error = ""  # it was about the previous choice
        self._refresh()

    def _refresh(self) -> None:
        if self._done:
            return
        n = self.examples()
        validation = min(n - 1, max(1, round(n * self.share.value() / 100)))
        if n >= 2:
            self.counts.setText(
                f"About {n - validation:,} examples for training and {validation:,} "
                "for validation (duplicates move together, so it can differ a little)."
            )
        problem = self.problem()
        replaced = [
            self.target(e).name
            for e in (self.train_path, self.validation_path)
            if self.target(e).is_file()
        ]
        note = f"{' and '.join(replaced)} will be replaced." if replaced else ""
        if not self._busy:
            self.status.setText(self._error or problem or note)
        self.split_button.setEnabled(not self._busy and not problem)

    # writing ----------------------------------------------------------------
    @Slot()
    def _on_split(self) -> None:
        if self._done:
            self.accept()
            return
        if self.problem():
            return
        train = self.target(self.train_path)
        validation = self.target(self.validation_path)
        self._busy = True
        self.status.setText("Writing the files…")
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.split_button.setEnabled(False)
        task = self.runner.start(
            _split_task(
                self._doc.store,
                self.share.value() / 100,
                self.seed.value(),
                train,
                validation,
            ),
            "Splitting the dataset",
        )
        task.progressed.connect(self._on_progress)
        task.succeeded.connect(self._on_written)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_finished)
        task.start()

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        show_on_bar(self.progress, progress)

    @Slot(object)
    def _on_written(self, counts: tuple[int, int]) -> None:
        train, validation = (
            self.target(self.train_path),
            self.target(self.validation_path),
        )
        self._done = True
        self.status.setText(
            f"Done: {counts[0]:,} examples in {train.name} and {counts[1]:,} in "
            f"{validation.name} (in {train.parent})."
        )
        self.split_button.setText("&Close")
        self.split_button.setEnabled(True)
        for widget in (self.share, self.seed, self.train_path, self.validation_path):
            widget.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setVisible(False)
        self.split_written.emit(train, validation)

    @Slot(object)
    def _on_failed(self, error: FtError) -> None:
        self._error = error.message
        self.status.setToolTip(error.detail)

    @Slot()
    def _on_finished(self) -> None:
        self._busy = False
        self.progress.setVisible(False)
        if self._done:
            self.split_button.setEnabled(True)
        else:
            self._refresh()

    def done(self, result: int) -> None:
        # Closing while the files are written stops the writing. Each file is
        # written atomically, so neither is ever left half-written.
        self.runner.shutdown()
        super().done(result)
