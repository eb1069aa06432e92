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
bash scripts/build.sh --target xgrad-vae  # the trainer and the libraries it links, nothing else
exe=${XGRAD_BUILD_DIR:-build}/examples/trainer/xgrad-vae
out=out/vae
if [[ $force == 0 && ${#args[@]} == 0 && -f $out/report.md && $out/report.md -nt $exe ]]; then
  echo "main: $out/report.md is up to date with $exe (use --force to train again)"
  exit 0
fi
"$exe" train --out "$out" "${args[@]}"
echo "main: report at $out/report.md"
