#!/usr/bin/env bash
# Issue 15's quality runs (10 epochs each, batch 100, Adam 1e-3, dynamic binarisation, Bernoulli, J = 32):
#   conv    xgrad-vae --architecture conv --activation relu, and the same model in PyTorch (bench/conv_vae_torch.py)
#   latent  the dense default (784-512-[32]-512-784) with --prior standard, --prior vamp:500 and --flow iaf:2
#           (LATENT_VARIANTS: a subset, or iaf4), each followed by evaluate's -log p(x) (k = 5000, the first
#           LL_SUBSET test images, default 1000)
#   speed   the conv VAE's training images/s, xgrad and PyTorch interleaved (one epoch of the first 10000 images per
#           SEED as a round), 1 and 2 threads (PyTorch at 2: 2 OpenMP + 1 OpenBLAS threads and 1 + 2)
# Usage: bash bench/vae_quality.sh conv|latent|speed [SEEDS...] (default 1 2 3); THREADS (default 1), EPOCHS
# (default 10).
# Appends one line per epoch / evaluation to bench/results/vae_quality-<group>.txt; bench/vae_quality_summary.py
# prints the means and spreads.
set -euo pipefail
cd "$(dirname "$0")/.."
group=${1:?usage: bench/vae_quality.sh conv|latent [SEEDS...]}
shift
seeds=("$@")
((${#seeds[@]})) || seeds=(1 2 3)
threads=${THREADS:-1}
epochs=${EPOCHS:-10}
ll_subset=${LL_SUBSET:-1000}
bash scripts/install-deps.sh --bench
bash scripts/build.sh --target xgrad-vae >/dev/null
exe=${XGRAD_BUILD_DIR:-build}/examples/trainer/xgrad-vae
mkdir -p bench/results
log=bench/results/vae_quality-$group.txt
runs=out/vae_quality
grep -m1 "model name" /proc/cpuinfo >>"$log"
xgrad_run() {  # name seed args...
  local name=$1 seed=$2
  shift 2
  local dir=$runs/$name-seed$seed
  "$exe" train --epochs "$epochs" --seed "$seed" --threads "$threads" --progress none --out "$dir" "$@" >/dev/null
  tail -n +2 "$dir/metrics.csv" | sed "s/^/xgrad $name seed=$seed metrics: /" >>"$log"
}
for seed in "${seeds[@]}"; do
  case $group in
    conv)
      xgrad_run conv "$seed" --architecture conv --activation relu
      /usr/bin/python3 bench/conv_vae_torch.py --epochs "$epochs" --seed "$seed" --threads "$threads" >>"$log"
      ;;
    latent)
      for name in ${LATENT_VARIANTS:-standard vamp500 iaf2}; do
        case $name in
          standard) args=(--prior standard) ;;
          vamp500) args=(--prior vamp:500) ;;
          iaf2) args=(--flow iaf:2) ;;  # amortised IAF (context: the heads)
          iaf4) args=(--flow iaf:4) ;;
          *) echo "vae_quality.sh: unknown latent variant $name" >&2; exit 2 ;;
        esac
        xgrad_run "$name" "$seed" "${args[@]}"
        "$exe" evaluate --model "$runs/$name-seed$seed/model.xgrad" --k 5000 --ll-subset "$ll_subset" \
          --threads "$threads" --progress none | grep -E "negative ELBO|log p\(x\)" |
          sed "s/^/xgrad $name seed=$seed evaluate: /" >>"$log"
      done
      ;;
    speed)
      for t in 1 2; do
        threads=$t epochs=1 xgrad_run speed-t$t "$seed" --architecture conv --activation relu \
          --limit 10000 --test-limit 500
        /usr/bin/python3 bench/conv_vae_torch.py --epochs 1 --limit 10000 --seed "$seed" --threads "$t" \
          --blas-threads 1 | sed "s/^/threads=$t blas_threads=1 /" >>"$log"
        ((t == 1)) || /usr/bin/python3 bench/conv_vae_torch.py --epochs 1 --limit 10000 --seed "$seed" --threads 1 \
          --blas-threads 2 | sed "s/^/threads=1 blas_threads=2 /" >>"$log"
      done
      ;;
    *) echo "vae_quality.sh: unknown group $group (conv, latent or speed)" >&2; exit 2 ;;
  esac
done
echo "vae_quality.sh: appended to $log"
