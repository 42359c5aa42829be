#!/usr/bin/env bash
# The GPU check, run once on a lent GPU machine (see bench/README.md, "Local training"):
# a small random gpt-oss-shaped model trained through `ftstudio serve --device cuda`,
# against a plain TRL script. Packages the machine lacks travel as wheels in .whl/.
set -uo pipefail
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.txt"
python3 -c "import torch, transformers, trl, peft, datasets, pyarrow; print('torch', torch.__version__, 'transformers', transformers.__version__, 'trl', trl.__version__, 'peft', peft.__version__, 'datasets', datasets.__version__, 'pyarrow', pyarrow.__version__)" | tee -a "$OUT/gpu.txt"
python3 bench/train_bench.py --device cuda --shape gpt-oss --hidden 1024 --layers 8 --examples 800 --epochs 2 --batch 8 --rounds 2 --json "$OUT/gpu-gpt-oss.json" 2>&1 | tee "$OUT/gpu-gpt-oss.log" | grep -v -i warn
