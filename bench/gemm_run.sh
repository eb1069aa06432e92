#!/usr/bin/env bash
# Issue 18 in one run: the FLOP limit (sgemm 2048^3) and a step's products per GEMM library (gemm_backends),
# xgrad's kw and dl4j steps per GEMM backend (vae_step --gemm), and PyTorch's steps (../shared/bench/torch_vae.py,
# 1 thread; 2 threads as OMP2/BLAS1 and OMP1/BLAS2, the better counts), 1 and 2 threads, batch 16/100/256;
# log_likelihood(x, 5000) images/s on 100 images, xgrad and PyTorch (bench/log_likelihood*).
#   bash bench/gemm_run.sh [REPS]   -> bench/measurements/gemm-<timestamp>.txt, tables on stdout (~15 min)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-5}
bash scripts/install-deps.sh --bench
XGRAD_BUILD_DIR=${XGRAD_BUILD_DIR:-build} bash scripts/build.sh --target vae_step --target gemm_backends --target log_likelihood >/dev/null
B=${XGRAD_BUILD_DIR:-build}/bench
SHARED=${XGRAD_SHARED_BENCH:-../shared/bench}
OUT=bench/measurements/gemm-$(date +%Y%m%d-%H%M%S).txt
{
  "$B/gemm_backends" --reps "$REPS"
  "$B/vae_step" --gemm openblas,dnnl,auto --threads 1,2 --reps "$REPS"
  for cfg in kw dl4j; do for b in 16 100 256; do
    for tb in "1 1" "2 1" "1 2"; do set -- $tb
      /usr/bin/python3 "$SHARED/torch_vae.py" --config $cfg --batch $b --threads $1 --blas-threads $2 --reps "$REPS"
    done
  done; done
  # evaluation: log_likelihood(x, 5000), xgrad and the same estimator in PyTorch (better of the 2-thread layouts)
  "$B/log_likelihood" --images 100 --threads 1,2
  for tb in "1 1" "2 1" "1 2"; do set -- $tb
    /usr/bin/python3 bench/log_likelihood_torch.py --images 100 --threads $1 --blas-threads $2
  done
} 2>&1 | tee "$OUT"
/usr/bin/python3 bench/gemm_summarize.py "$OUT"
