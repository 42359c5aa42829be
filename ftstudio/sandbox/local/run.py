"""One training run with Hugging Face TRL (SFT or DPO) and PEFT LoRA, from a job's spec.

Runs inside the trainer process (``python -m ftstudio.sandbox.local.worker``),
never in the studio's or the HTTP server's process.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any

import orjson

from ftstudio.sandbox.local.spec import JobFiles, TrainSpec, append_line, event

log = logging.getLogger(__name__)


def _lines(path: str | None) -> list[dict[str, Any]]:
    if not path:
        return []
    out = []
    with Path(path).open("rb") as fh:
        for raw in fh:
            if raw.strip():
                out.append(orjson.loads(raw))
    return out


def _dtype(device: str) -> Any:
    import torch

    if device == "cuda" and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float32


def _lora_config(spec: TrainSpec) -> Any:
    if not spec.lora:
        return None
    from peft import LoraConfig

    return LoraConfig(
        r=spec.lora_r,
        lora_alpha=spec.lora_alpha,
        lora_dropout=0.0,
        target_modules="all-linear",
        task_type="CAUSAL_LM",
    )


def _common_args(
    spec: TrainSpec, files: JobFiles, micro: int, accumulate: int
) -> dict[str, Any]:
    return {
        "output_dir": str(files.run_dir),
        "num_train_epochs": spec.n_epochs,
        "per_device_train_batch_size": micro,
        "per_device_eval_batch_size": micro,
        "gradient_accumulation_steps": accumulate,
        "learning_rate": spec.learning_rate,
        "lr_scheduler_type": "linear",
        "warmup_steps": 0,
        "seed": spec.seed,
        "data_seed": spec.seed,
        "logging_steps": 1,
        "save_strategy": "epoch",
        "eval_strategy": "no",
        "report_to": [],
        "disable_tqdm": True,
        "use_cpu": spec.device == "cpu",
        "bf16": _dtype(spec.device) is not _dtype("cpu"),
        "dataloader_num_workers": 0,
        "save_only_model": False,
        # A full checkpoint holds every weight and the optimizer's state (about
        # 12 bytes a parameter): keep the last three, as OpenAI does. LoRA
        # checkpoints are small and all kept.
        "save_total_limit": None if spec.lora else 3,
        "max_length": spec.max_length,
    }


def micro_batches(batch_size: int, cap: int = 8) -> tuple[int, int]:
    """Split ``batch_size`` into (examples per forward pass, passes per step)."""
    micro = max(d for d in range(1, min(batch_size, cap) + 1) if batch_size % d == 0)
    return micro, batch_size // micro


def _model(spec: TrainSpec) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(spec.model_path)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(
        spec.model_path, dtype=_dtype(spec.device)
    )
    return model, tokenizer


def _supervised(
    spec: TrainSpec, files: JobFiles, model: Any, tokenizer: Any
) -> tuple[Any, Any, int]:
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    from ftstudio.sandbox.local.data import tokenize_supervised

    train = tokenize_supervised(tokenizer, _lines(spec.training_file), spec.max_length)
    if train.truncated:
        append_line(
            files.events,
            event(
                "warning",
                f"{train.truncated} example(s) are longer than {spec.max_length} tokens and were cut to that length.",
            ),
        )
    if train.skipped:
        append_line(
            files.events,
            event(
                "warning",
                f"{train.skipped} example(s) have no reply to train on (every assistant weight is 0) and were left out.",
            ),
        )
    valid = tokenize_supervised(
        tokenizer, _lines(spec.validation_file), spec.max_length
    )
    micro, accumulate = micro_batches(spec.batch_size)
    args = SFTConfig(**_common_args(spec, files, micro, accumulate), packing=False)
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(train.rows),
        eval_dataset=Dataset.from_list(valid.rows) if valid.rows else None,
        processing_class=tokenizer,
        peft_config=_lora_config(spec),
    )
    return trainer, trainer.eval_dataset, train.tokens


def _dpo(
    spec: TrainSpec, files: JobFiles, model: Any, tokenizer: Any
) -> tuple[Any, Any, int]:
    from datasets import Dataset
    from trl import DPOConfig, DPOTrainer

    from ftstudio.sandbox.local.data import preference_rows

    rows = preference_rows(_lines(spec.training_file))
    valid = preference_rows(_lines(spec.validation_file))
    micro, accumulate = micro_batches(spec.batch_size)
    args = DPOConfig(**_common_args(spec, files, micro, accumulate), beta=spec.beta)
    trainer = DPOTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(rows),
        eval_dataset=Dataset.from_list(valid) if valid else None,
        processing_class=tokenizer,
        peft_config=_lora_config(spec),
    )
    columns = ("prompt_input_ids", "chosen_input_ids", "rejected_input_ids")
    tokens = sum(
        sum(len(ids) for ids in trainer.train_dataset[c])
        for c in columns
        if c in trainer.train_dataset.column_names
    )
    return trainer, trainer.eval_dataset, tokens


def train(spec: TrainSpec, files: JobFiles) -> dict[str, Any]:
    """Train as ``spec`` says; return the outcome written to ``outcome.json``."""
    import torch
    from transformers import set_seed

    from ftstudio.sandbox.local.callbacks import EventsCallback, TokenCounter
    from ftstudio.sandbox.local.results import results_csv

    set_seed(spec.seed)
    started = time.time()
    model, tokenizer = _model(spec)
    build = _dpo if spec.method == "dpo" else _supervised
    trainer, eval_rows, file_tokens = build(spec, files, model, tokenizer)
    examples = len(trainer.train_dataset)
    counter = TokenCounter(trainer.data_collator)
    trainer.data_collator = counter
    steps_per_epoch = max(1, math.ceil(examples / spec.batch_size))
    callback = EventsCallback(
        files,
        steps_per_epoch=steps_per_epoch,
        total_steps=steps_per_epoch * spec.n_epochs,
        device=spec.device,
        counter=counter,
        eval_rows=eval_rows,
        batch_size=spec.batch_size,
    )
    callback.trainer = trainer
    trainer.add_callback(callback)
    if spec.resume_from:
        append_line(
            files.events,
            event("info", "Fine-tuning job resumed from its last checkpoint"),
        )
    else:
        append_line(files.events, event("info", "Fine-tuning job started"))
    output = trainer.train(resume_from_checkpoint=spec.resume_from)
    runtime = float(output.metrics.get("train_runtime", time.time() - started))
    outcome: dict[str, Any] = {
        "train_runtime": runtime,
        "tokens": counter.tokens,
        "tokens_per_second": counter.tokens / max(runtime, 1e-9),
        "step": trainer.state.global_step,
        "trained_tokens": file_tokens * spec.n_epochs,
        "peak_gpu_memory_mb": round(torch.cuda.max_memory_allocated() / 2**20, 1)
        if spec.device == "cuda"
        else None,
    }
    if callback.paused:
        outcome["status"] = "paused"
        return outcome
    trainer.save_model(str(files.model_dir))
    tokenizer.save_pretrained(str(files.model_dir))
    results_csv(files)
    outcome["status"] = "succeeded"
    return outcome
