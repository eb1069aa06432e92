#!/usr/bin/env bash
# Configures (once) and builds xgrad in build/ (Release).
# Usage: scripts/build.sh [--target NAME]... [cmake configure arguments...]
# With --target only those targets (and what they link) are built; without, everything.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${XGRAD_BUILD_DIR:-build}
targets=()
configure=()
while (($#)); do
  if [[ $1 == --target ]]; then
    [[ $# -ge 2 ]] || { echo "build.sh: --target needs a target name" >&2; exit 2; }
    targets+=(--target "$2")
    shift 2
  else
    configure+=("$1")
    shift
  fi
done
# (re)configure when never configured, when a configure failed half-way (a cache but no Makefile), or when asked
if [[ ! -f "$BUILD_DIR/CMakeCache.txt" || ! -f "$BUILD_DIR/Makefile" || ${#configure[@]} -gt 0 ]]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "${configure[@]}" >/dev/null
fi
cmake --build "$BUILD_DIR" -j"$(nproc)" "${targets[@]}"
