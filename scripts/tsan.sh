#!/usr/bin/env bash
# ThreadSanitizer run of the tests that use threads: TBB kernels and reductions (tests/autograd threads), GEMM
# blocks (blas_gemm, every backend), conv/pooling/normalization kernels (their 1-vs-2-thread cases), optimizers over row blocks (nn/optim optimizers), the VAE on 1 and 2 threads
# (nn/layers vae_threads), concurrent training (nn/train network), the trainer's progress line and its Ctrl-C
# handling (trainer_progress, trainer_interrupt, which run the TSan-built xgrad-vae). Builds them in build-tsan/
# with g++ -fsanitize=thread (CMake option XGRAD_TSAN, -O1 -g) and fails on any report not justified in
# scripts/tsan.supp. Not part of scripts/test.sh: see the README ("Sanitizers") for its cost.
# Usage: scripts/tsan.sh [ctest arguments...]   e.g. scripts/tsan.sh -R threads
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# A TSan-instrumented oneTBB, so that TSan sees TBB's task hand-offs (Debian's libtbb.so.12 is not instrumented):
# Debian's own source package of the installed version (deb-src through a private apt list, the system's apt
# configuration untouched), built once with oneTBB's TBB_SANITIZE=thread into build-tsan/onetbb/install.
tbb_root=$PWD/build-tsan/onetbb
if [[ ! -f $tbb_root/install/lib/cmake/TBB/TBBConfig.cmake ]]; then
  tbb_version=$(dpkg-query -W -f='${Version}' libtbb-dev)
  mkdir -p "$tbb_root/apt/lists/partial" "$tbb_root/src"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
    >"$tbb_root/apt/sources.list"
  apt_private=(-o Dir::Etc::sourcelist="$tbb_root/apt/sources.list" -o Dir::Etc::sourceparts=-
    -o Dir::State::Lists="$tbb_root/apt/lists" -o APT::Get::List-Cleanup=0)
  apt-get "${apt_private[@]}" update -qq
  (cd "$tbb_root/src" && apt-get "${apt_private[@]}" source --download-only -qq "onetbb=$tbb_version")
  tar -xf "$tbb_root"/src/onetbb_*.orig.tar.* -C "$tbb_root/src"
  cmake -S "$tbb_root"/src/oneTBB-* -B "$tbb_root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_SANITIZE=thread \
    -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBBMALLOC_BUILD=OFF -DTBB_STRICT=OFF \
    -DCMAKE_INSTALL_PREFIX="$tbb_root/install" -DCMAKE_INSTALL_LIBDIR=lib >/dev/null
  cmake --build "$tbb_root/build" -j"$(nproc)" >/dev/null
  cmake --install "$tbb_root/build" >/dev/null
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g" -DXGRAD_TSAN=ON \
  -DXGRAD_BUILD_BENCH=OFF -DTBB_DIR="$tbb_root/install/lib/cmake/TBB" "${launcher[@]}" >/dev/null
cmake --build build-tsan -j"$(nproc)" --target test_autograd test_nn_layers test_nn_optim test_nn_train test_trainer
regex='^test_autograd/(threads|blas_gemm)/|^test_autograd/(conv|pooling|normalization)/bit_identical_for_1_and_2_threads|^test_nn_layers/vae_threads/|^test_nn_optim/optimizers/'
regex+='|^test_nn_train/network/|^test_trainer/trainer_(progress|interrupt)/'
cd build-tsan
LD_LIBRARY_PATH="$tbb_root/install/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
TSAN_OPTIONS="suppressions=$PWD/../scripts/tsan.supp second_deadlock_stack=1 history_size=4 ${TSAN_OPTIONS:-}" \
  ctest -R "$regex" -j"$(nproc)" --output-on-failure --timeout 1800 "$@"
