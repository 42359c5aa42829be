"""Settings, Launch, Monitor and Playground against the real local trainer (a tiny model, CPU)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.dialogs.settings_dialog import LOCAL, SANDBOX, SettingsDialog
from ftstudio.gui.launcher.tab import LauncherTab
from ftstudio.gui.monitor import MonitorTab
from ftstudio.gui.playground import PlaygroundTab
from ftstudio.sandbox.local import available
from tests import local_fixtures
from tests.keyrings import MemoryKeyring
from tests.local_fixtures import QA, qa_rows
from tests.sandbox_data import write_jsonl

pytestmark = [
    pytest.mark.skipif(
        available() is not None, reason=available() or "local training is available"
    ),
    pytest.mark.slow,
]
tiny_models_dir = local_fixtures.tiny_models_dir  # the shared tiny model, built once
EPOCHS = 40
"""Full fine-tuning at a high rate learns the ten answers by heart (under a minute)."""
SHOTS = os.environ.get("FTSTUDIO_SCREENSHOTS")


class Yes:
    """Answers every question of the launcher with yes, and remembers them."""

    def __init__(self) -> None:
        self.questions: list[tuple[str, str]] = []

    def __call__(self, title: str, text: str) -> bool:
        self.questions.append((title, text))
        return True


def shot(widget: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def manager(
    qtbot: Any, tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[ConnectionManager]:
    """A manager that the Settings dialog pointed at the local trainer (on the CPU)."""
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-hf-cache"))  # only ours
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    dialog = SettingsDialog(mgr)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.preset.setCurrentIndex(dialog.preset.findData(LOCAL))
    assert "Jobs train for real" in dialog.local.note.text()  # nothing is missing
    dialog.local.folder.setText(str(tiny_models_dir))
    dialog.local.device.setCurrentIndex(dialog.local.device.findData("cpu"))
    with qtbot.waitSignal(mgr.changed, timeout=60_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert not dialog.isVisible(), dialog.result_label.text()
    yield mgr
    mgr.shutdown()


def launch_tiny_job(qtbot: Any, manager: ConnectionManager, tmp_path: Path) -> str:
    """Launch a full fine-tune of the tiny model from the Launch tab; return the job id."""
    tab = LauncherTab(manager)
    qtbot.addWidget(tab)
    tab.ask = Yes()
    tab.resize(1100, 900)
    tab.show()
    qtbot.waitUntil(lambda: tab.picker.model() == "tiny-llama", timeout=20_000)
    assert tab.local_group.isVisible()
    assert "parameters" in tab.picker.combo.currentText()
    assert tab.picker.note.text().startswith("Fits")
    tab.files.set_training_file(write_jsonl(tmp_path / "gates.jsonl", qa_rows()))
    tab.hyper.rows["n_epochs"].set_value(EPOCHS)
    tab.hyper.rows["batch_size"].set_value(5)
    tab.local.lora.setChecked(False)
    tab.local.rate_auto.setChecked(False)
    tab.local.rate.setValue(0.002)
    tab.hyper.seed.set_value(7)
    tab.hyper.suffix.setText("gates")
    qtbot.waitUntil(lambda: tab.cost.text().startswith("This computer"), timeout=20_000)
    shot(tab, "local_launcher")
    with qtbot.waitSignal(tab.job_launched, timeout=60_000) as launched:
        tab.launch_button.click()
    qtbot.waitUntil(lambda: tab._launcher.current is None, timeout=10_000)
    titles = [t for t, _ in tab.ask.questions]
    assert titles == ["Launch despite warnings?", "Start fine-tuning?"]
    # 10 examples are few (a warning); a local model is not "unknown" (no warning)
    assert tab.ask.questions[0][1].startswith("gates.jsonl has 1 warning(s).")
    assert "bills" not in tab.ask.questions[1][1]
    assert "This computer: no charge" in tab.ask.questions[1][1]
    tab.shutdown()
    return str(launched.args[0])


def test_settings_launch_monitor_and_playground_on_this_computer(
    qtbot: Any, manager: ConnectionManager, tmp_path: Path
) -> None:
    assert manager.local_running
    assert manager.describe().startswith("This computer, local training")
    job_id = launch_tiny_job(qtbot, manager, tmp_path)
    job = manager.client().fine_tuning.jobs.retrieve(job_id)
    hyper = job.method.supervised.hyperparameters.model_dump()  # type: ignore[union-attr]
    assert hyper["n_epochs"] == EPOCHS
    assert hyper["batch_size"] == 5
    assert hyper.get("lora") is False, hyper
    assert hyper.get("learning_rate") == pytest.approx(0.002), hyper

    monitor = MonitorTab(manager)
    qtbot.addWidget(monitor)
    monitor.poll_interval = 0.2
    monitor.resize(1024, 700)
    monitor.show()
    monitor.show_job(job_id)

    def finished() -> None:
        assert monitor.job is not None
        assert monitor.job.status == "succeeded", monitor.job.error
        # full fine-tuning keeps the last three epochs' checkpoints
        assert monitor.checkpoints_model.rowCount() == 3

    qtbot.waitUntil(finished, timeout=180_000)
    text = monitor.hardware.text()
    assert monitor.hardware.isVisible()
    assert text.startswith("Training on the processor (cpu)"), text
    assert "tokens/s" in text
    assert "GPU memory" not in text  # the CPU reports none
    assert len(monitor.series) == EPOCHS * 2  # 10 examples, 5 a step
    assert monitor.header["cost"].text().startswith("No charge: ")
    shot(monitor, "local_monitor")
    # a checkpoint goes to the playground, which answers with it
    monitor.checkpoints_view.selectRow(2)  # the last epoch's
    with qtbot.waitSignal(monitor.chat_with_model) as chosen:
        monitor.chat_button.click()
    checkpoint = str(chosen.args[0])
    assert ":local:" in checkpoint
    assert ":ckpt-step-" in checkpoint
    model = monitor.job.fine_tuned_model if monitor.job else None
    monitor.shutdown()
    assert model is not None
    assert model.startswith("ft:tiny-llama:local:gates:")

    play = PlaygroundTab(manager)
    qtbot.addWidget(play)
    play.resize(1024, 700)
    play.show()
    picker = play.chat.panels[0].picker
    qtbot.waitUntil(lambda: picker.findText(checkpoint) >= 0, timeout=20_000)
    assert picker.findText(model) >= 0
    assert picker.findText("tiny-llama") >= 0  # the base model, to compare

    def reply(name: str, question: str = QA[0][0]) -> str:
        play.chat.new_button.click()
        play.chat.knobs.temperature.setValue(0)
        play.set_model(name)
        play.chat.message.setPlainText(question)
        play.chat.send_button.click()
        qtbot.waitUntil(lambda: not play.chat.busy, timeout=60_000)
        panel = play.chat.panels[0]
        assert panel.usage.text().startswith("Tokens: "), panel.usage.text()
        return panel.reply_text

    assert reply("tiny-llama") != QA[0][1]  # the random base model does not know
    learned = [reply(model, q) == a for q, a in QA[:3]]
    assert sum(learned) >= 2, learned  # the fine-tuned one learned the answers
    # the last checkpoint is the final model: it answers the same
    assert reply(checkpoint) == reply(model)
    shot(play, "local_playground")
    play.shutdown()

    # Settings shows what runs; the sandbox replaces the local trainer
    again = SettingsDialog(manager)
    qtbot.addWidget(again)
    again.show()
    assert again.preset.currentData() == LOCAL
    assert again.local.folder.text() == str(manager.local_options[0])  # type: ignore[index]
    assert again.local.device_name() == "cpu"
    again.preset.setCurrentIndex(again.preset.findData(SANDBOX))
    with qtbot.waitSignal(manager.changed):
        again.buttons.button(again.buttons.StandardButton.Save).click()
    assert manager.sandbox_running
    assert not manager.local_running


def test_a_device_this_computer_lacks_is_refused_in_plain_words(
    qtbot: Any, tiny_models_dir: Path
) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this computer has a CUDA GPU")
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    dialog = SettingsDialog(mgr)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.preset.setCurrentIndex(dialog.preset.findData(LOCAL))
    dialog.local.folder.setText(str(tiny_models_dir))
    dialog.local.device.setCurrentIndex(dialog.local.device.findData("cuda"))
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    save.click()
    assert dialog.result_label.text().startswith("Starting the local trainer")
    assert not save.isEnabled()  # one start at a time
    qtbot.waitUntil(save.isEnabled, timeout=60_000)
    assert dialog.isVisible()
    assert "No CUDA GPU" in dialog.result_label.text()
    assert not mgr.local_running
    dialog.reject()
    mgr.shutdown()


def test_a_start_given_up_for_the_sandbox_leaves_no_trainer_running(
    qtbot: Any,
    tiny_models_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from ftstudio.sandbox.server import SandboxServer

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-hf-cache"))
    running: set[SandboxServer] = set()
    start, stop = SandboxServer.start, SandboxServer.stop

    def counted_start(self: SandboxServer) -> str:
        running.add(self)
        return start(self)

    def counted_stop(self: SandboxServer) -> None:
        running.discard(self)
        stop(self)

    monkeypatch.setattr(SandboxServer, "start", counted_start)
    monkeypatch.setattr(SandboxServer, "stop", counted_stop)
    mgr = ConnectionManager(SecretStore(MemoryKeyring()))
    dialog = SettingsDialog(mgr)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.preset.setCurrentIndex(dialog.preset.findData(LOCAL))
    dialog.local.folder.setText(str(tiny_models_dir))
    dialog.local.device.setCurrentIndex(dialog.local.device.findData("cpu"))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.result_label.text().startswith("Starting the local trainer")
    dialog.sandbox.click()  # changed their mind while it starts
    assert mgr.sandbox_running
    qtbot.waitUntil(lambda: len(running) == 1, timeout=30_000)
    assert running == {mgr._sandbox}  # only the sandbox runs
    assert not mgr.local_running
    mgr.shutdown()
    assert not running
