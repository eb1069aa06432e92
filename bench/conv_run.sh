#!/usr/bin/env bash
# The conv benchmark of issue 14, in one run so the ratios hold on a noisy machine: xgrad (bench/conv_ops),
# PyTorch 1.13 (bench/conv_ops_torch.py) and oneDNN 2.6.3's primitives alone (bench/conv_dnnl), interleaved in
# ROUNDS rounds, 1 and 2 threads.  bash bench/conv_run.sh [ROUNDS]  -> bench/results/conv-<timestamp>.txt + table
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
bash scripts/install-deps.sh --bench
bash scripts/build.sh --target conv_ops --target conv_dnnl >/dev/null
mkdir -p bench/results
OUT=bench/results/conv-$(date +%Y%m%d-%H%M%S).txt
{
  grep -m1 "model name" /proc/cpuinfo
  for r in $(seq "$ROUNDS"); do
    build/bench/conv_ops --rounds 1
    /usr/bin/python3 bench/conv_ops_torch.py --rounds 1
    build/bench/conv_dnnl --rounds 1
  done
} 2>&1 | tee "$OUT"
/usr/bin/python3 bench/conv_summarize.py "$OUT"
