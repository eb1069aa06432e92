#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (one CTest test per Boost.Test case).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd "${XGRAD_BUILD_DIR:-build}"
ctest -j"$(nproc)" --output-on-failure --timeout 600
