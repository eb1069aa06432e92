#!/usr/bin/env bash
# ThreadSanitizer run of the tests that use threads: TBB kernels and reductions (tests/autograd threads), GEMM
# blocks (blas_gemm), optimizers over row blocks (nn/optim optimizers), the VAE on 1 and 2 threads
# (nn/layers vae_threads), concurrent training (nn/train network), the trainer's progress line and its Ctrl-C
# handling (trainer_progress, trainer_interrupt, which run the TSan-built xgrad-vae). Builds them in build-tsan/
# with g++ -fsanitize=thread (CMake option XGRAD_TSAN, -O1 -g) and fails on any report not justified in
# scripts/tsan.supp. Not part of scripts/test.sh: see the README ("Sanitizers") for its cost.
# Usage: scripts/tsan.sh [ctest arguments...]   e.g. scripts/tsan.sh -R threads
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g" -DXGRAD_TSAN=ON \
  -DXGRAD_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build build-tsan -j"$(nproc)" --target test_autograd test_nn_layers test_nn_optim test_nn_train test_trainer
regex='^test_autograd/(threads|blas_gemm)/|^test_nn_layers/vae_threads/|^test_nn_optim/optimizers/'
regex+='|^test_nn_train/network/|^test_trainer/trainer_(progress|interrupt)/'
cd build-tsan
TSAN_OPTIONS="suppressions=$PWD/../scripts/tsan.supp second_deadlock_stack=1 history_size=4 ${TSAN_OPTIONS:-}" \
  ctest -R "$regex" -j"$(nproc)" --output-on-failure --timeout 1800 "$@"
