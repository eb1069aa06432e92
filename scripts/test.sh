#!/usr/bin/env bash
# Installs what is missing, builds, builds the libFuzzer harnesses (at -O0: quick to compile) and runs each for
# XGRAD_FUZZ_SECONDS (default 10) seconds (scripts/fuzz.sh; any crash, leak or timeout fails), then runs every test (one CTest test per
# Boost.Test case), so the run closes with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
XGRAD_FUZZ_FLAGS=${XGRAD_FUZZ_FLAGS:--O0} bash scripts/fuzz.sh "${XGRAD_FUZZ_SECONDS:-10}"
cd "${XGRAD_BUILD_DIR:-build}"
ctest -j"$(nproc)" --output-on-failure --timeout 600
