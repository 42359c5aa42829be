"""The trainer process's eyes and ears: metrics events, validation loss, checkpoints, pause.

A ``transformers`` callback turns each logged step into an OpenAI ``metrics``
event (``step``, ``train_loss``, ``train_mean_token_accuracy``, ``valid_loss`` on a
batch of the validation file now and then, ``full_valid_loss`` over all of it at
each epoch end) plus throughput and GPU memory, records epoch-end checkpoints,
and stops with a checkpoint when the service asks it to pause.
"""

from __future__ import annotations

import itertools
import time
from typing import TYPE_CHECKING, Any

from transformers import TrainerCallback

from ftstudio.sandbox.local.spec import append_line, event

if TYPE_CHECKING:
    from ftstudio.sandbox.local.spec import JobFiles


class TokenCounter:
    """Wraps a data collator and counts the real (unpadded) tokens it hands out."""

    def __init__(self, collator: Any) -> None:
        self.collator = collator
        self.tokens = 0

    def __call__(self, examples: list[Any]) -> Any:
        batch = self.collator(examples)
        for key, value in batch.items():
            if key.endswith("attention_mask"):
                self.tokens += int(value.sum())
        if not any(k.endswith("attention_mask") for k in batch):
            self.tokens += int(batch["input_ids"].numel())
        return batch


def _memory_mb(device: str) -> float | None:
    import torch

    if device == "cuda" and torch.cuda.is_available():
        return round(float(torch.cuda.max_memory_allocated()) / 2**20, 1)
    if device == "mps" and hasattr(torch, "mps"):
        return round(float(torch.mps.current_allocated_memory()) / 2**20, 1)
    return None


def _r(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


class EventsCallback(TrainerCallback):  # type: ignore[misc]
    """Writes the job's events and checkpoints while ``transformers`` trains."""

    def __init__(
        self,
        files: JobFiles,
        *,
        steps_per_epoch: int,
        total_steps: int,
        device: str,
        counter: TokenCounter,
        eval_rows: Any = None,
        batch_size: int = 1,
    ) -> None:
        self.files = files
        self.steps_per_epoch = max(1, steps_per_epoch)
        self.total_steps = total_steps
        self.device = device
        self.counter = counter
        self.trainer: Any = None  # set once the trainer exists
        self.eval_rows = eval_rows
        self.valid_every = max(1, self.steps_per_epoch // 4)
        self.batches = None
        if eval_rows is not None and len(eval_rows):
            size = min(batch_size, len(eval_rows))
            starts = range(0, len(eval_rows), size)
            self.batches = itertools.cycle(
                [
                    eval_rows.select(range(s, min(s + size, len(eval_rows))))
                    for s in starts
                ]
            )
        self.first_tokens = 0
        self.train_seconds = 0.0  # training time so far, validation excluded
        self.last_time = time.perf_counter()
        self.paused = False
        self.epoch_end = False
        self.last_metrics: dict[str, Any] = {}
        self.curve: list[dict[str, Any]] = []

    # --- transformers hooks ---------------------------------------------------
    def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        self.last_time = time.perf_counter()
        self.first_tokens = self.counter.tokens

    def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        if self.files.pause.exists():
            self.paused = True
            control.should_save = True
            control.should_training_stop = True

    def on_epoch_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        self.epoch_end = True

    def on_save(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        if not state.is_world_process_zero:  # several GPUs: the first process writes
            return
        step = state.global_step
        if self.epoch_end or step == self.total_steps:
            self.epoch_end = False
            append_line(
                self.files.checkpoints,
                {"step": step, "t": time.time(), "metrics": dict(self.last_metrics)},
            )
            append_line(
                self.files.events, event("info", f"Checkpoint created at step {step}")
            )

    def on_log(
        self, args: Any, state: Any, control: Any, logs: Any = None, **kw: Any
    ) -> None:
        logs = logs or {}
        if (
            "loss" not in logs
            or self.trainer is None
            or not state.is_world_process_zero
        ):
            return
        step = state.global_step
        self.train_seconds += time.perf_counter() - self.last_time
        # The data loader fetches one batch ahead, so a per-step count is off by
        # a batch; the run's average so far is steady and honest.
        tokens = self.counter.tokens - self.first_tokens
        rate = tokens / max(self.train_seconds, 1e-9)
        data: dict[str, Any] = {
            "step": step,
            "total_steps": self.total_steps,
            "train_loss": _r(logs["loss"]),
            "train_mean_token_accuracy": _r(
                logs.get("mean_token_accuracy", logs.get("rewards/accuracies"))
            ),
            "tokens_per_second": round(rate, 1),
            "device": self.device,
        }
        memory = _memory_mb(self.device)
        if memory is not None:
            data["gpu_memory_mb"] = memory
        self._validate(step, data)
        self.last_time = time.perf_counter()
        data = {k: v for k, v in data.items() if v is not None}
        self.last_metrics = data
        self.curve.append(data)
        text = f"Step {step}/{self.total_steps}: training loss={data['train_loss']:.2f}"
        if "valid_loss" in data:
            text += f", validation loss={data['valid_loss']:.2f}"
        if "full_valid_loss" in data:
            text += f", full validation loss={data['full_valid_loss']:.2f}"
        append_line(self.files.events, event("info", text, "metrics", data))

    # --- validation -------------------------------------------------------------
    def _evaluate(self, rows: Any) -> tuple[float | None, float | None]:
        metrics = self.trainer.evaluate(eval_dataset=rows, metric_key_prefix="ftv")
        return _r(metrics.get("ftv_loss")), _r(
            metrics.get(
                "eval_mean_token_accuracy", metrics.get("ftv_rewards/accuracies")
            )
        )

    def _validate(self, step: int, data: dict[str, Any]) -> None:
        if self.batches is None:
            return
        at_epoch_end = step % self.steps_per_epoch == 0 or step == self.total_steps
        if step % self.valid_every == 0 or at_epoch_end:
            data["valid_loss"], data["valid_mean_token_accuracy"] = self._evaluate(
                next(self.batches)
            )
        if at_epoch_end:
            data["full_valid_loss"], data["full_valid_mean_token_accuracy"] = (
                self._evaluate(self.eval_rows)
            )
