#!/usr/bin/env bash
# The main job: installs what is missing, builds, trains the default VAE on Fashion-MNIST and writes
# out/vae/ (model, metrics.csv, PNG pictures, report.md). When the report is newer than the trainer
# binary nothing changed, so it is not trained again (pass --force to retrain). Other arguments go to
# `xgrad-vae train` (see `build/examples/trainer/xgrad-vae train --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
force=0
args=()
for a in "$@"; do
  if [[ $a == --force ]]; then force=1; else args+=("$a"); fi
done
bash scripts/install-deps.sh
bash scripts/build.sh
exe=${XGRAD_BUILD_DIR:-build}/examples/trainer/xgrad-vae
out=out/vae
if [[ $force == 0 && ${#args[@]} == 0 && -f $out/report.md && $out/report.md -nt $exe ]]; then
  echo "main: $out/report.md is up to date with $exe (use --force to train again)"
  exit 0
fi
# Debian's OpenBLAS 0.3.21 predates AMD's AVX-512 CPUs (Zen 4) and runs its AVX2 (Haswell) kernels there; its
# SkylakeX kernels, which need only AVX-512 F/DQ/BW/VL, are 1.5-1.75x faster on them (bench/README.md).
# Chosen only on such an AMD CPU and when the caller has not picked a core (OpenBLAS reads this at load).
has_avx512_subsets() {
  local flags
  flags=" $(grep -m1 '^flags' /proc/cpuinfo || true) "
  for f in avx512f avx512dq avx512bw avx512vl; do [[ $flags == *" $f "* ]] || return 1; done
}
if [[ -z ${OPENBLAS_CORETYPE:-} ]] && grep -qm1 AuthenticAMD /proc/cpuinfo && has_avx512_subsets; then
  export OPENBLAS_CORETYPE=SKYLAKEX
  echo "main: OPENBLAS_CORETYPE=SKYLAKEX (AMD CPU with AVX-512; OpenBLAS 0.3.21 would use its AVX2 kernels)"
fi
"$exe" train --out "$out" "${args[@]}"
echo "main: report at $out/report.md"
