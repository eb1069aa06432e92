#!/usr/bin/env bash
# Issue 17 on this machine: the kw and dl4j training steps at global batch 100 and 256 as 1 rank x 2 threads
# against 2 ranks x 1 thread (overlap on and off, 4 MiB and 1 MiB buckets; kw's 3.3 MB gradient is one 4 MiB
# bucket, so only the 1 MiB run can overlap), then the ping-pong latency/bandwidth over shared memory (vader) and
# TCP (loopback). Every mpirun is repeated RUNS times; bench/mpi_summarize.py prints the medians.
#   bash bench/mpi_run.sh [RUNS]   -> bench/measurements/mpi-<timestamp>.txt, tables on stdout (~3 min)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
B=${XGRAD_BUILD_DIR:-build}
cmake --build "$B" -j2 --target mpi_step mpi_pingpong >/dev/null
mpi() { bash tests/distributed/mpirun.sh "$@"; }
OUT=bench/measurements/mpi-$(date +%Y%m%d-%H%M%S).txt
{
  echo "# $(date -u) $(lscpu | grep -m1 'Model name' | tr -s ' ') nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"
  for run in $(seq "$RUNS"); do
    mpi 1 "$B/bench/mpi_step" --threads 2
    mpi 2 "$B/bench/mpi_step" --threads 1 --overlap 1,0
    mpi 2 "$B/bench/mpi_step" --threads 1 --overlap 1,0 --bucket-kb 1024
    mpi 2 "$B/bench/mpi_pingpong" --transport shm
    OMPI_MCA_btl=tcp,self mpi 2 "$B/bench/mpi_pingpong" --transport tcp
  done
} 2>&1 | tee "$OUT"
/usr/bin/python3 bench/mpi_summarize.py "$OUT"
