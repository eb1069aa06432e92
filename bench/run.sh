#!/usr/bin/env bash
# Side-by-side benchmarks (issue 6), all in one run so the ratios hold on a noisy machine:
# xgrad's VAE step and per-op overhead, the GEMM-only bound, PyTorch and libtorch on the same models.
#   bash bench/run.sh [quick|full]        -> bench/results/<timestamp>.txt and a summary table on stdout
# quick: batch 100 only, fewer repetitions (~3 min); full: every batch size and thread count (~8 min).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-quick}
bash scripts/install-deps.sh --bench
bash scripts/build.sh --target bench_all -DXGRAD_BUILD_BENCH=ON >/dev/null
B=build/bench
SHARED=${XGRAD_SHARED_BENCH:-../shared/bench}
mkdir -p "$B" bench/results
[ -x "$B/gemm_bound" ] || g++ -O2 -std=c++17 -o "$B/gemm_bound" "$SHARED/gemm_bound.cpp" \
  -I/usr/include/x86_64-linux-gnu/openblas-pthread -L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas
[ -x "$B/libtorch_vae" ] || g++ -O2 -std=c++17 -o "$B/libtorch_vae" "$SHARED/libtorch_vae.cpp" \
  -I/usr/include/torch/csrc/api/include -ltorch -ltorch_cpu -lc10 -lz -ldl
PY=/usr/bin/python3
OUT=bench/results/$(date +%Y%m%d-%H%M%S).txt
# The GEMM bound and xgrad's step alternate in ROUNDS rounds of REPS / ROUNDS repetitions, so every xgrad figure has
# a bound measured seconds before it (the host's speed drifts by 10-20 % within minutes).
if [[ $MODE == quick ]]; then BATCHES="100"; REPS=5; ROUNDS=2; else BATCHES="16 100 256"; REPS=7; ROUNDS=3; fi
ROUND_REPS=$(( (REPS + ROUNDS - 1) / ROUNDS ))
steps_for() { case $1 in 16) echo 100;; 100) echo 50;; *) echo 20;; esac; }
{
  for cfg in kw dl4j; do for b in $BATCHES; do S=$(steps_for "$b")
    for round in $(seq $ROUNDS); do
      "$B/gemm_bound" --config $cfg --batch $b --threads 1,2 --steps $S --reps $ROUND_REPS --square 0 | grep -v '^#'
      "$B/vae_step" --config $cfg --batch $b --threads 1,2 --steps $S --reps $ROUND_REPS
    done
    # torch: 1 thread; 2 threads as OMP2/BLAS1 and OMP1/BLAS2 (the better one counts, see shared/bench/README)
    for tb in "1 1" "2 1" "1 2"; do set -- $tb
      $PY "$SHARED/torch_vae.py" --config $cfg --batch $b --threads $1 --blas-threads $2 --steps $S --reps $REPS
      "$B/libtorch_vae" --config $cfg --batch $b --threads $1 --blas-threads $2 --steps $S --reps $REPS
    done
  done; done
  for t in 1 2; do
    "$B/op_overhead" --threads $t
    $PY "$SHARED/overhead.py" --threads $t
    "$B/op_overhead" --threads $t --sizes 1024 --links 30 --reps 5   # elementwise kernels: 1M elements, 64 blocks
  done
  "$B/vae_step" --memory --threads 2 --epoch-examples 20000
  "$B/cache_lines"   # the cost of updating memory the other core touched last (why weights keep to one core)
} 2>&1 | tee "$OUT"
$PY bench/summarize.py "$OUT"
