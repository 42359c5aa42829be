"""Training throughput: ``ftstudio serve --trainer local`` against a plain TRL script.

Both train the same tiny random model (built here, no download) on the same
generated chat data with the same LoRA settings, each in its own process, one
after the other, in one run. Throughput is real (unpadded) tokens per second
of ``trainer.train()``; the ratio is the service's over the plain script's.

    .venv/bin/python bench/train_bench.py                      # CPU, a Llama
    python bench/train_bench.py --device cuda --shape gpt-oss --hidden 512 --layers 4
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "amber",
    "basil",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "garnet",
    "harbor",
    "indigo",
    "juniper",
    "kelp",
    "lumen",
    "maple",
    "nectar",
    "onyx",
    "pepper",
    "quartz",
    "raven",
    "sierra",
    "tundra",
    "umber",
    "violet",
    "willow",
    "xenon",
    "yarrow",
    "zephyr",
]

PLAIN = r"""
import json, sys, time
from datasets import Dataset
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import SFTConfig, SFTTrainer
from peft import LoraConfig
import torch
model_dir, data, out, device, epochs, batch = sys.argv[1:7]
tok = AutoTokenizer.from_pretrained(model_dir)
dtype = torch.bfloat16 if device == "cuda" else torch.float32
model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=dtype)
rows = [json.loads(l) for l in open(data)]
ids = [tok.apply_chat_template(r["messages"], tokenize=True, return_dict=True)["input_ids"] for r in rows]
ds = Dataset.from_list([{"input_ids": i} for i in ids])
args = SFTConfig(output_dir=out, num_train_epochs=int(epochs), per_device_train_batch_size=int(batch),
    learning_rate=1e-4, logging_steps=1, save_strategy="epoch", report_to=[], disable_tqdm=True,
    use_cpu=device == "cpu", bf16=device == "cuda", seed=7, max_length=4096)
peft = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules="all-linear", task_type="CAUSAL_LM")
trainer = SFTTrainer(model=model, args=args, train_dataset=ds, processing_class=tok, peft_config=peft)
result = trainer.train()
tokens = sum(len(i) for i in ids) * int(epochs)
peak = torch.cuda.max_memory_allocated() / 2**20 if device == "cuda" else None
print(json.dumps({"tokens": tokens, "runtime": result.metrics["train_runtime"], "peak_mb": peak}))
"""


def make_data(path: Path, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    with path.open("w") as fh:
        for i in range(n):
            q = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
            a = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 120)))
            texts += [q, a]
            fh.write(
                json.dumps(
                    {
                        "messages": [
                            {"role": "user", "content": f"{i}: {q}"},
                            {"role": "assistant", "content": a},
                        ]
                    }
                )
                + "\n"
            )
    return texts


def run_plain(model: Path, data: Path, work: Path, args: argparse.Namespace) -> dict:
    script = work / "plain.py"
    script.write_text(PLAIN)
    out = subprocess.run(
        [
            sys.executable,
            str(script),
            str(model),
            str(data),
            str(work / "plain-out"),
            args.device,
            str(args.epochs),
            str(args.batch),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_service(
    model_root: Path, data: Path, work: Path, args: argparse.Namespace
) -> dict:
    from openai import OpenAI

    key = "bench-key-not-secret"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ftstudio",
            "serve",
            "--trainer",
            "local",
            "--models",
            str(model_root),
            "--device",
            args.device,
            "--port",
            "0",
            "--data",
            str(work / "svc"),
            "--key",
            key,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    url = None
    for line in proc.stdout:
        found = re.search(r"Base URL: (\S+)", line)
        if found:
            url = found.group(1)
            break
    assert url, "the service did not start"
    client = OpenAI(base_url=url, api_key=key, max_retries=2, timeout=120)
    try:
        with data.open("rb") as fh:
            training = client.files.create(file=fh, purpose="fine-tune")
        hyper = {
            "n_epochs": args.epochs,
            "batch_size": args.batch,
            "learning_rate": 1e-4,
            "lora_r": 16,
            "lora_alpha": 32,
        }
        job = client.fine_tuning.jobs.create(
            model="bench-model",
            training_file=training.id,
            seed=7,
            method={"type": "supervised", "supervised": {"hyperparameters": hyper}},
        )
        while (job := client.fine_tuning.jobs.retrieve(job.id)).status not in (
            "succeeded",
            "failed",
            "cancelled",
        ):
            time.sleep(0.5)
        assert job.status == "succeeded", job.error
        events = [
            e
            for e in client.fine_tuning.jobs.list_events(job.id, limit=100)
            if e.type == "metrics"
        ]
        outcome = json.loads(
            (work / "svc" / "local-jobs" / job.id / "outcome.json").read_text()
        )
        last = events[0].data
        return {
            "tokens": outcome["tokens"],
            "runtime": outcome["train_runtime"],
            "peak_mb": outcome.get("peak_gpu_memory_mb"),
            "event_tokens_per_second": last.get("tokens_per_second"),
            "event_gpu_memory_mb": last.get("gpu_memory_mb"),
        }
    finally:
        client.close()
        proc.terminate()
        proc.wait(30)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--device", default="cpu")
    p.add_argument("--shape", default="llama", choices=("llama", "gpt-oss"))
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--examples", type=int, default=200)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="alternate the two this many times; the best of each counts",
    )
    p.add_argument(
        "--json", type=Path, default=None, help="also write the figures here"
    )
    args = p.parse_args()
    from ftstudio.sandbox.local.tiny import make_tiny_model

    work = Path(tempfile.mkdtemp(prefix="ftstudio-train-bench-"))
    try:
        data = work / "train.jsonl"
        texts = make_data(data, args.examples, seed=7)
        model = make_tiny_model(
            work / "models" / "bench-model",
            texts,
            shape=args.shape,
            hidden=args.hidden,
            layers=args.layers,
            vocab=2048,
        )
        plains, services = [], []
        for r in range(args.rounds):
            round_dir = work / f"round{r}"
            round_dir.mkdir()
            plains.append(run_plain(model, data, round_dir, args))
            services.append(run_service(work / "models", data, round_dir, args))
        plain = min(plains, key=lambda x: x["runtime"])
        service = min(services, key=lambda x: x["runtime"])
        tps_plain = plain["tokens"] / plain["runtime"]
        tps_service = service["tokens"] / service["runtime"]
        figures = {
            "args": vars(args) | {"json": None},
            "plain": plain,
            "service": service,
            "all_plain": plains,
            "all_service": services,
            "plain_tokens_per_second": tps_plain,
            "service_tokens_per_second": tps_service,
            "ratio": tps_service / tps_plain,
        }
        print(
            f"model: {args.shape}, hidden {args.hidden}, {args.layers} layers; {args.examples} examples x {args.epochs} epochs, batch {args.batch}, LoRA r16, {args.device}"
        )
        print(
            f"plain TRL script : {plain['tokens']:>9,} tokens in {plain['runtime']:7.2f} s = {tps_plain:10,.0f} tokens/s  peak GPU {plain['peak_mb']} MB"
        )
        print(
            f"ftstudio serve   : {service['tokens']:>9,} tokens in {service['runtime']:7.2f} s = {tps_service:10,.0f} tokens/s  peak GPU {service['peak_mb']} MB"
        )
        print(f"ratio (serve / plain): {figures['ratio']:.3f}")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1, default=str))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
