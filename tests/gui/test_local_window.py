"""The window's side of local training, without training: settings, model list, hardware line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openai.pagination import SyncPage
from openai.types import Model
from PySide6.QtGui import QStandardItemModel

from ftstudio.core.errors import FtError
from ftstudio.core.hyperparams import local_payload
from ftstudio.core.monitor.watch import EventRow, JobInfo, WatchUpdate
from ftstudio.core.secrets import SecretStore
from ftstudio.gui.connection import ConnectionManager
from ftstudio.gui.dialogs.settings_dialog import LOCAL, SANDBOX, SettingsDialog
from ftstudio.gui.launcher.tab import LauncherTab
from ftstudio.gui.monitor import MonitorTab
from ftstudio.gui.monitor.hardware import HardwareStats
from ftstudio.gui.settings import Settings
from ftstudio.gui.widgets.model_choices import choices_from_service
from tests.gui.api_fixtures import manager_fixture, sandbox_fixture  # noqa: F401
from tests.keyrings import MemoryKeyring

MISSING = (
    "Local training needs PyTorch, transformers, peft and trl, which are not "
    "installed. Add them with: pip install 'ftstudio[train]'"
)
GIB = 1024**3


def listed(*models: dict[str, Any]) -> list[Any]:
    """Return SDK model objects as ``models.list`` gives them."""
    page = SyncPage[Model].model_validate({"object": "list", "data": list(models)})
    return list(page.data)


def local_model(name: str, parameters: int, size: int, fits: bool) -> dict[str, Any]:
    reason = (
        "" if fits else f"{name} needs about 48 GB of GPU memory; this GPU has 24 GB."
    )
    return {
        "id": name,
        "object": "model",
        "created": 1,
        "owned_by": "local",
        "ftstudio": {
            "kind": "base",
            "path": f"/models/{name}",
            "parameters": parameters,
            "size_bytes": size,
            "fits": fits,
            "need_bytes": 48 * GIB if not fits else 6 * GIB,
            "device": "cuda",
            "device_name": "NVIDIA RTX 4090",
            "device_bytes": 24 * GIB,
            "reason": reason,
        },
    }


@pytest.fixture
def mgr(qtbot: Any) -> Iterator[ConnectionManager]:
    manager = ConnectionManager(SecretStore(MemoryKeyring()))
    yield manager
    manager.shutdown()


# settings -------------------------------------------------------------------------
def test_without_the_training_extra_settings_say_how_to_add_it(
    qtbot: Any, mgr: ConnectionManager, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("ftstudio.gui.dialogs.local_box.local_missing", lambda: MISSING)
    monkeypatch.setattr("ftstudio.gui.connection.local_missing", lambda: MISSING)
    dialog = SettingsDialog(mgr)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.local.is_visible()  # only for "This computer"
    dialog.preset.setCurrentIndex(dialog.preset.findData(LOCAL))
    assert dialog.local.is_visible()
    assert "pip install 'ftstudio[train]'" in dialog.local.note.text()
    assert not dialog.key.isEnabled()
    assert "needs no key" in dialog.saved_key.text()
    dialog.local.folder.setText(str(tmp_path))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible(), "the dialog closed without starting anything"
    assert "pip install 'ftstudio[train]'" in dialog.result_label.text()
    assert not mgr.local_running
    assert mgr.describe() == "Not connected: no API key"


def test_a_missing_models_folder_is_said_plainly(
    qtbot: Any, mgr: ConnectionManager, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("ftstudio.gui.dialogs.local_box.local_missing", lambda: None)
    dialog = SettingsDialog(mgr)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.preset.setCurrentIndex(dialog.preset.findData(LOCAL))
    dialog.local.folder.setText(str(tmp_path / "nowhere"))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible()
    assert "does not exist" in dialog.result_label.text()
    assert str(tmp_path / "nowhere") in dialog.result_label.text()
    dialog.local.folder.clear()
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert "Choose the folder" in dialog.result_label.text()
    assert not mgr.local_running
    # the sandbox choice hides the local rows again
    dialog.preset.setCurrentIndex(dialog.preset.findData(SANDBOX))
    assert not dialog.local.is_visible()


def test_manager_refuses_plainly_without_the_extra(
    mgr: ConnectionManager, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("ftstudio.gui.connection.local_missing", lambda: MISSING)
    with pytest.raises(FtError) as info:
        mgr.use_local(tmp_path)
    assert info.value.kind == "missing"
    assert "ftstudio[train]" in info.value.message
    with pytest.raises(FtError, match="Choose the device"):
        mgr.use_local(tmp_path, "tpu")
    assert not mgr.local_running
    assert not mgr.free


def test_models_folder_and_device_are_remembered(qtbot: Any, tmp_path: Path) -> None:
    assert Settings().local_training() == (None, "auto")
    Settings().set_local_training(tmp_path, "cpu")
    assert Settings().local_training() == (tmp_path, "cpu")


# the launcher's model list ----------------------------------------------------------
def test_local_models_show_size_and_fit_and_a_misfit_is_greyed_with_its_reason(
    qtbot: Any, manager: ConnectionManager, tmp_path: Path
) -> None:
    models = listed(
        local_model("gpt-oss-120b", 116_800_000_000, 65 * 10**9, fits=False),
        local_model("gpt-oss-20b", 20_900_000_000, 13_800_000_000, fits=True),
        {
            "id": "text-embedding-3-small",
            "object": "model",
            "created": 1,
            "owned_by": "x",
        },
    )
    choices = choices_from_service(models)
    assert [c.name for c in choices] == ["gpt-oss-20b", "gpt-oss-120b"]
    tab = LauncherTab(manager)
    qtbot.addWidget(tab)
    tab.picker.set_model("gpt-4o-mini")  # what an OpenAI dataset targets
    tab.picker.set_choices(choices)
    combo = tab.picker.combo
    assert combo.itemText(0) == "gpt-oss-20b  · 20.9 B parameters, 13.8 GB"
    assert combo.itemText(1) == (
        "gpt-oss-120b  · 116.8 B parameters, 65.0 GB  · does not fit"
    )
    items = combo.model()
    assert isinstance(items, QStandardItemModel)
    assert items.item(0).isEnabled()
    assert not items.item(1).isEnabled()
    assert "needs about 48 GB" in str(combo.itemData(1, 3))  # the tooltip
    assert "Fits" in str(combo.itemData(0, 3))
    # an OpenAI name means nothing here: the first model that fits is chosen
    assert tab.picker.model() == "gpt-oss-20b"
    tab.picker.set_model("gpt-4o-mini")  # a dataset's target does not override it
    assert tab.picker.model() == "gpt-oss-20b"
    assert tab.picker.problem() == ""
    combo.setEditText("gpt-oss-120b")  # typed in although greyed
    assert "cannot be trained here" in tab.picker.note.text()
    assert "this GPU has 24 GB" in tab.picker.problem()
    tab.shutdown()


def test_lora_options_exist_for_local_jobs_only(
    qtbot: Any, manager: ConnectionManager
) -> None:
    tab = LauncherTab(manager)
    qtbot.addWidget(tab)
    tab.show()
    assert not tab.local_group.isVisible()  # an OpenAI-shaped service: no LoRA
    assert tab.local.rank.isEnabled()
    assert tab.local.alpha.isEnabled()
    tab.local.lora.setChecked(False)
    assert not tab.local.rank.isEnabled()
    assert "Every weight" in tab.local.lora_note.text()
    for box in (tab.local.lora, tab.local.rank, tab.local.alpha, tab.local.rate):
        assert len(box.toolTip()) > 40, "each option is explained"
    tab.shutdown()


def test_local_hyperparameters_are_checked_in_plain_words() -> None:
    assert local_payload({}) == {"lora": True, "lora_r": 16, "lora_alpha": 32}
    assert local_payload(
        {"lora": True, "lora_r": 8, "lora_alpha": 16, "learning_rate": 0.0005}
    ) == {"lora": True, "lora_r": 8, "lora_alpha": 16, "learning_rate": 0.0005}
    # without LoRA the rank and alpha mean nothing: they are not sent
    assert local_payload({"lora": False, "lora_r": 8, "learning_rate": "auto"}) == {
        "lora": False
    }
    with pytest.raises(FtError, match="LoRA rank must be a whole number from 1 to 256"):
        local_payload({"lora_r": 300})
    with pytest.raises(FtError, match="Learning rate must be a number more than 0"):
        local_payload({"learning_rate": 0})


# the monitor's hardware line ----------------------------------------------------------
def metrics_event(step: int, **data: Any) -> EventRow:
    return EventRow(
        f"ev-{step}", step, "info", f"Step {step}", "metrics", {"step": step, **data}
    )


def test_monitor_shows_throughput_and_gpu_memory_of_a_local_job(
    qtbot: Any, manager: ConnectionManager
) -> None:
    tab = MonitorTab(manager)
    qtbot.addWidget(tab)
    tab.show()
    job = JobInfo("ftjob-1", "tiny", "running", 1, n_epochs=1)
    plain = [metrics_event(1, train_loss=2.0)]  # an OpenAI job's events
    tab._on_partial([WatchUpdate(job, plain)])
    assert not tab.hardware.isVisible()
    local = [
        metrics_event(
            2,
            train_loss=1.5,
            tokens_per_second=1000.0,
            gpu_memory_mb=900.0,
            device="cuda",
        ),
        metrics_event(
            3,
            train_loss=1.2,
            tokens_per_second=3000.0,
            gpu_memory_mb=2048.0,
            device="cuda",
        ),
        metrics_event(
            4,
            train_loss=1.1,
            tokens_per_second=2000.0,
            gpu_memory_mb=1500.0,
            device="cuda",
        ),
    ]
    tab._on_partial([WatchUpdate(job, local)])
    assert tab.hardware.isVisible()
    assert tab.hardware.text() == (
        "Training on the GPU (cuda) · 2,000 tokens/s (average 2,000) · "
        "GPU memory 1.5 GB (peak 2.0 GB)"
    )
    tab.show_job("ftjob-2")  # another job: nothing of the last one stays
    assert not tab.hardware.isVisible()
    tab.shutdown()


def test_hardware_on_the_processor_has_no_gpu_memory() -> None:
    stats = HardwareStats()
    assert not stats.add([metrics_event(1, train_loss=1.0)])
    assert stats.empty
    assert stats.text() == ""
    stats.add([metrics_event(2, tokens_per_second=12.5, device="cpu")])
    assert stats.text() == "Training on the processor (cpu) · 12 tokens/s (average 12)"


def test_hardware_ignores_values_that_are_not_numbers() -> None:
    stats = HardwareStats()
    stats.add(
        [
            metrics_event(1, tokens_per_second=float("nan"), gpu_memory_mb=True),
            metrics_event(2, tokens_per_second="fast", gpu_memory_mb=None),
        ]
    )
    assert stats.empty
    stats.add([metrics_event(3, tokens_per_second=100, gpu_memory_mb=512.0)])
    stats.add([metrics_event(4, tokens_per_second=float("inf"), gpu_memory_mb=256)])
    assert (
        stats.text() == "100 tokens/s (average 100) · GPU memory 256 MB (peak 512 MB)"
    )
