#!/usr/bin/env bash
# Configures (once) and builds xgrad in build/ (Release). Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${XGRAD_BUILD_DIR:-build}
if [[ ! -f "$BUILD_DIR/CMakeCache.txt" || $# -gt 0 ]]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
fi
cmake --build "$BUILD_DIR" -j"$(nproc)"
