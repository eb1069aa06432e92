#!/usr/bin/env bash
# Installs the Debian packages xgrad needs, only when one is missing (idempotent, fast when all are there).
# Usage: scripts/install-deps.sh [--bench]   (--bench adds PyTorch/libtorch for the side-by-side benchmarks)
set -euo pipefail
packages=(
  cmake g++ make pkg-config          # build
  libxtensor-dev xtl-dev libxsimd-dev # arrays and SIMD
  libopenblas-dev                     # GEMM (CBLAS): double, and float without oneDNN
  libdnnl-dev                         # oneDNN's sgemm for most float GEMM blocks (optional at build time: XGRAD_DNNL)
  ocl-icd-opencl-dev                  # OpenCL headers + libOpenCL.so: Debian's dnnl-config.cmake requires them (GPU runtime OCL)
  libtbb-dev                          # parallel kernels
  libboost-test-dev                   # unit tests
  clang-14 libclang-rt-14-dev         # the libFuzzer harnesses of fuzz/ (libFuzzer, ASan, UBSan runtimes)
  zlib1g-dev                          # gzip IDX files, CRC32 checksums of model files
  nlohmann-json3-dev                  # configurations and model metadata
  libcli11-dev                        # the trainer's command line
  libstb-dev                          # PNG pictures (stb_image_write)
  libopenmpi-dev openmpi-bin          # data-parallel training over MPI (xgrad::distributed, mpirun)
  dataset-fashion-mnist               # the data of the main job
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-torch libtorch-dev python3-numpy)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
