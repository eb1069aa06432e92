#!/usr/bin/env bash
# Runs a program on N local ranks with the flags CI needs: as root (Open MPI refuses root unless told twice),
# more ranks than cores (--oversubscribe), no core binding (ranks and their TBB threads share the cores), and the
# shared-memory + TCP transports only (no InfiniBand probing in containers; OMPI_MCA_btl set by the caller wins).
# Usage: tests/distributed/mpirun.sh N program [args...]
set -euo pipefail
n=$1
shift
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=${OMPI_MCA_btl:-self,vader,tcp} OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_hwloc_base_binding_policy=none
exec mpirun -np "$n" --oversubscribe --bind-to none "$@"
