#!/usr/bin/env bash
# Two "machines" on this one: network namespaces xgrad_ns0 (10.77.0.1) and xgrad_ns1 (10.77.0.2) joined by a veth
# pair, one MPI rank in each, Open MPI's TCP transport between them (issue 17). Needs root (ip netns). mpirun
# runs in xgrad_ns0; it starts the daemon of 10.77.0.2 through a launcher script (--mca plm_rsh_agent) that does
# `ip netns exec xgrad_ns1` instead of ssh. Both namespaces see the same file system (same binaries and data).
# Runs: mpi_pingpong across the veth, then `xgrad-vae train` (1 epoch, a 6000-image subset) with one rank per
# namespace, the same training as one process and as 2 ranks on one host, and the parameters compared
# (xgrad_model_diff): the veth run must be bit-identical to the one-host 2-rank run.
# The namespaces are removed on exit (also on failure).
#   bash bench/mpi_veth.sh [WORK_DIR]   (default /tmp/xgrad_veth; output also in bench/measurements/veth-*.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
B=$(pwd)/${XGRAD_BUILD_DIR:-build}
WORK=${1:-/tmp/xgrad_veth}
NS0=xgrad_ns0 NS1=xgrad_ns1
cmake --build "$B" -j2 --target mpi_pingpong xgrad-vae xgrad_model_diff >/dev/null
cleanup() {
  ip netns del $NS0 2>/dev/null || true
  ip netns del $NS1 2>/dev/null || true
}
trap cleanup EXIT
cleanup
rm -rf "$WORK" && mkdir -p "$WORK"
ip netns add $NS0
ip netns add $NS1
ip link add xgrad_veth0 type veth peer name xgrad_veth1
ip link set xgrad_veth0 netns $NS0
ip link set xgrad_veth1 netns $NS1
ip -n $NS0 addr add 10.77.0.1/24 dev xgrad_veth0
ip -n $NS1 addr add 10.77.0.2/24 dev xgrad_veth1
for ns in $NS0 $NS1; do
  ip -n $ns link set lo up
done
ip -n $NS0 link set xgrad_veth0 up
ip -n $NS1 link set xgrad_veth1 up
ip -n $NS0 -br addr show xgrad_veth0; ip -n $NS1 -br addr show xgrad_veth1

# Open MPI's rsh launcher calls "AGENT HOST COMMAND..." (as it would call ssh).
cat > "$WORK/netns_agent.sh" <<AGENT
#!/bin/sh
host=\$1
shift
case \$host in
10.77.0.1) ns=$NS0 ;;
10.77.0.2) ns=$NS1 ;;
*) echo "netns_agent: unknown host \$host" >&2; exit 1 ;;
esac
exec ip netns exec \$ns /bin/sh -c "\$*"
AGENT
chmod +x "$WORK/netns_agent.sh"
printf '10.77.0.1 slots=1\n10.77.0.2 slots=1\n' > "$WORK/hosts"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi_veth() {
  ip netns exec $NS0 mpirun -np 2 --hostfile "$WORK/hosts" --map-by node --bind-to none \
    --mca plm_rsh_agent "$WORK/netns_agent.sh" --mca btl tcp,self \
    --mca btl_tcp_if_include 10.77.0.0/24 --mca oob_tcp_if_include 10.77.0.0/24 "$@"
}
OUT=bench/measurements/veth-$(date +%Y%m%d-%H%M%S).txt
train=(train --limit 6000 --test-limit 500 --epochs 1 --batch-size 100 --threads 1 --progress none)
{
  echo "# $(date -u) veth between network namespaces; $(lscpu | grep -m1 'Model name' | tr -s ' ') nproc=$(nproc)"
  echo "# where each rank ran:"
  mpi_veth sh -c 'echo "rank $OMPI_COMM_WORLD_RANK: $(ip -o -4 addr show | grep -o "10\.77\.0\.[0-9]*")"'
  for run in 1 2 3; do
    mpi_veth "$B/bench/mpi_pingpong" --transport tcp-veth
  done
  echo "# xgrad-vae ${train[*]}: one process, then one rank per namespace"
  t0=$(date +%s.%N)
  "$B/examples/trainer/xgrad-vae" "${train[@]}" --out "$WORK/one" > "$WORK/one.log" 2>&1 || { cat "$WORK/one.log"; exit 1; }
  echo "one process: $(echo "$(date +%s.%N) - $t0" | bc) s"
  grep -E "thread|epoch 1/1" "$WORK/one.log"
  t0=$(date +%s.%N)
  mpi_veth "$B/examples/trainer/xgrad-vae" "${train[@]}" --out "$WORK/veth" > "$WORK/veth.log" 2>&1 ||
    { cat "$WORK/veth.log"; exit 1; }
  echo "2 ranks over veth: $(echo "$(date +%s.%N) - $t0" | bc) s"
  grep -E "ranks|epoch 1/1" "$WORK/veth.log"
  bash tests/distributed/mpirun.sh 2 "$B/examples/trainer/xgrad-vae" "${train[@]}" --out "$WORK/local" \
    > "$WORK/local.log" 2>&1 || { cat "$WORK/local.log"; exit 1; }
  echo "# parameters, 2 ranks over veth vs 2 ranks on one host (shared memory): must be bit-identical"
  "$B/tests/distributed/xgrad_model_diff" "$WORK/local/model.xgrad" "$WORK/veth/model.xgrad" 0
  echo "# parameters, 2 ranks over veth vs one process (float32 rounding, see bench/README.md):"
  "$B/tests/distributed/xgrad_model_diff" "$WORK/one/model.xgrad" "$WORK/veth/model.xgrad" 1 || true
} 2>&1 | tee "$OUT"
