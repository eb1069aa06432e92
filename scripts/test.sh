#!/usr/bin/env bash
# Installs what is missing, builds, runs every test (one CTest test per Boost.Test case), then builds the
# libFuzzer harnesses and runs each for XGRAD_FUZZ_SECONDS (default 10) seconds (scripts/fuzz.sh). The last line
# is fuzz.sh's "N passed, N failed", or ctest's summary when a unit test failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
(cd "${XGRAD_BUILD_DIR:-build}" && ctest -j"$(nproc)" --output-on-failure --timeout 600)
bash scripts/fuzz.sh "${XGRAD_FUZZ_SECONDS:-10}"
