#!/usr/bin/env bash
# `xgrad-vae train` under mpirun (ctest's distributed/trainer_* tests).
# Usage: trainer_mpi.sh CASE XGRAD_VAE MODEL_DIFF WORK_DIR
#   matches_one_process  2 and 3 ranks (uneven shards of 50: 25/25, 17/17/16) against one process, 3 epochs, and a
#                        repeat 3-rank run bit-identical to the first
#   matches_one_process_float64  the same in float64 with 2 and 3 ranks (tolerance 1e-12), and a repeat 2-rank run
#                        bit-identical to the first
#   iwae_matches_one_process  --iwae-k 5: 3 ranks against one process in float64 (1e-10) and float32 (1e-4)
#   resume               2 ranks for 2 epochs, then --resume to 3 epochs; bit-identical to 3 epochs in one go
#   settings_mismatch    ranks started with different --batch-size: every rank stops at start naming the setting
#   killed_rank          rank 1 killed (SIGKILL) in epoch 2: the job ends within seconds, the epoch-1 checkpoint
#                        loads and --resume finishes the run
#   stopped_rank         rank 1 stopped (SIGSTOP): the others report the deadline (XGRAD_MPI_TIMEOUT=3) within seconds
#   interrupted          SIGTERM to rank 1 alone: every rank stops in the same epoch (they agree at each step), the
#                        job's status is 130 and the checkpoint resumes; then SIGINT to mpirun (Open MPI 4.1 sends
#                        the ranks SIGTERM, then SIGKILL after 1 s): every rank reports the interrupt, resume works
set -uo pipefail
case_name=$1 vae=$2 diff=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
mpi() { bash "$here/mpirun.sh" "$@"; }
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
base=(train --test-limit 100 --encoder-layers 64 --decoder-layers 64 --latent 8 --threads 1 --progress none)
common=("${base[@]}" --limit 600 --batch-size 50)
fail() { echo "FAIL: $*"; exit 1; }

case $case_name in
matches_one_process)
  "$vae" "${common[@]}" --epochs 3 --out one > one.log 2>&1 || { cat one.log; fail "one process"; }
  for n in 2 3; do
    mpi $n "$vae" "${common[@]}" --epochs 3 --out np$n > np$n.log 2>&1 || { cat np$n.log; fail "$n ranks"; }
    echo "$n ranks vs one process after 3 epochs (36 steps):"
    "$diff" one/model.xgrad np$n/model.xgrad 1e-5 || fail "$n ranks differ from one process by more than 1e-5"
  done
  grep -q "3 ranks" np3.log || fail "the 3-rank log does not say 3 ranks"
  [[ $(grep -c "^epoch 3/3" np3.log) == 1 ]] || fail "more than rank 0 printed progress"
  mpi 3 "$vae" "${common[@]}" --epochs 3 --out np3b > np3b.log 2>&1 || { cat np3b.log; fail "repeat"; }
  "$diff" np3/model.xgrad np3b/model.xgrad 0 || fail "repeat 3-rank runs are not bit-identical"
  ;;
matches_one_process_float64)
  "$vae" "${common[@]}" --dtype float64 --epochs 3 --out one > one.log 2>&1 || { cat one.log; fail "one process"; }
  for n in 2 3; do
    mpi $n "$vae" "${common[@]}" --dtype float64 --epochs 3 --out np$n > np$n.log 2>&1 || { cat np$n.log; fail "$n ranks"; }
    echo "float64: $n ranks vs one process after 3 epochs (36 steps):"
    "$diff" one/model.xgrad np$n/model.xgrad 1e-12 || fail "$n ranks differ from one process by more than 1e-12"
  done
  mpi 2 "$vae" "${common[@]}" --dtype float64 --epochs 3 --out np2b > np2b.log 2>&1 || { cat np2b.log; fail "repeat"; }
  "$diff" np2/model.xgrad np2b/model.xgrad 0 || fail "repeat 2-rank runs are not bit-identical"
  ;;
iwae_matches_one_process)
  for dtype in float64 float32; do
    tol=1e-10; [[ $dtype == float32 ]] && tol=1e-4
    iw=("${common[@]}" --iwae-k 5 --dtype $dtype --epochs 3)
    "$vae" "${iw[@]}" --out one_$dtype > one_$dtype.log 2>&1 || { cat one_$dtype.log; fail "one process"; }
    mpi 3 "$vae" "${iw[@]}" --out np3_$dtype > np3_$dtype.log 2>&1 || { cat np3_$dtype.log; fail "3 ranks"; }
    grep -q "IWAE objective k=5" np3_$dtype.log || { cat np3_$dtype.log; fail "not the IWAE objective"; }
    echo "IWAE k=5, $dtype: 3 ranks vs one process after 3 epochs (36 steps):"
    "$diff" one_$dtype/model.xgrad np3_$dtype/model.xgrad $tol || fail "3 ranks differ from one process by more than $tol"
  done
  ;;
resume)
  mpi 2 "$vae" "${common[@]}" --epochs 3 --out full > full.log 2>&1 || { cat full.log; fail "full"; }
  mpi 2 "$vae" "${common[@]}" --epochs 2 --out part > part.log 2>&1 || { cat part.log; fail "part"; }
  mpi 2 "$vae" "${common[@]}" --epochs 3 --out part --resume > resume.log 2>&1 || { cat resume.log; fail "resume"; }
  grep -q "resuming from part/model.xgrad after epoch 2" resume.log || { cat resume.log; fail "no resume message"; }
  "$diff" full/model.xgrad part/model.xgrad 0 || fail "2+1 epochs with --resume differ from 3 epochs"
  ;;
settings_mismatch)
  start=$(date +%s)
  mpi 1 "$vae" "${common[@]}" --epochs 1 --out mm : -np 1 "$vae" "${base[@]}" --limit 600 --epochs 1 --out mm \
    --batch-size 60 > mm.log 2>&1 && fail "mismatched settings were accepted"
  cat mm.log
  for r in 0 1; do
    grep -q "rank $r of 2: error: the ranks were started with different settings: rank 1: setting 'batch_size' is 60 here but 50 on rank 0" mm.log ||
      fail "rank $r did not name the mismatch"
  done
  (( $(date +%s) - start < 30 )) || fail "took too long"
  [[ ! -e mm/model.xgrad ]] || fail "a model was written"
  ;;
killed_rank|stopped_rank)
  sig=KILL; [[ $case_name == stopped_rank ]] && sig=STOP
  args=("${base[@]}" --limit 6000 --batch-size 50 --epochs 4 --out run)
  XGRAD_MPI_TIMEOUT=3 mpi 2 "$vae" "${args[@]}" > run.log 2>&1 &
  job=$!
  for _ in $(seq 600); do [[ -e run/model.xgrad ]] && break; sleep 0.1; done
  [[ -e run/model.xgrad ]] || { kill $job; cat run.log; fail "no checkpoint after epoch 1"; }
  # rank 1: the xgrad-vae whose environment says OMPI_COMM_WORLD_RANK=1, a child of this job's mpirun
  victim=""
  for p in $(pgrep -P "$(pgrep -P $job -f mpirun || echo $job)" 2>/dev/null) $(pgrep -f "xgrad-vae.*--out run"); do
    tr '\0' '\n' < /proc/$p/environ 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 && { victim=$p; break; }
  done
  [[ -n $victim ]] || { kill $job; fail "rank 1 not found"; }
  kill -$sig "$victim"
  start=$(date +%s.%N)
  wait $job
  rc=$?
  took=$(echo "$(date +%s.%N) - $start" | bc)
  cat run.log
  echo "the job ended $took s after SIGKILL/SIGSTOP of rank 1, status $rc"
  (( rc != 0 )) || fail "the job succeeded"
  (( $(echo "$took < 20" | bc) )) || fail "the job took $took s to end"
  if [[ $sig == STOP ]]; then
    grep -q "rank 0 of 2: error: .*waited 3.* s without completion; another rank has probably died" run.log ||
      fail "rank 0 did not report the deadline"
  fi
  "$diff" run/model.xgrad run/model.xgrad 0 > /dev/null || fail "the checkpoint does not load"
  mpi 2 "$vae" "${args[@]}" --resume > resume.log 2>&1 || { cat resume.log; fail "resume after the fault"; }
  grep -q "resuming from run/model.xgrad after epoch" resume.log || fail "no resume message"
  ;;
interrupted)
  args=("${base[@]}" --limit 6000 --batch-size 50 --epochs 30 --out run)
  rank_pid() {  # the xgrad-vae of rank $2 among the children of mpirun $1
    for p in $(pgrep -P "$1"); do
      tr '\0' '\n' < /proc/$p/environ 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2" && { echo "$p"; return; }
    done
  }
  wait_checkpoint() {
    for _ in $(seq 600); do [[ -e run/model.xgrad ]] && return 0; sleep 0.1; done
    return 1
  }
  # 1. SIGTERM to rank 1 only
  mpi 2 "$vae" "${args[@]}" > term.log 2>&1 &
  job=$!
  wait_checkpoint || { kill $job; cat term.log; fail "no checkpoint after epoch 1"; }
  victim=$(rank_pid "$(pgrep -P $job -f mpirun)" 1)
  [[ -n $victim ]] || { kill $job; fail "rank 1 not found"; }
  kill -TERM "$victim"
  start=$(date +%s.%N)
  wait $job
  rc=$?
  took=$(echo "$(date +%s.%N) - $start" | bc)
  cat term.log
  echo "SIGTERM to rank 1: the job ended after $took s, status $rc"
  (( rc == 130 )) || fail "status $rc, not 130"
  (( $(echo "$took < 20" | bc) )) || fail "the job took $took s to end"
  e0=$(grep -o "rank 0 of 2: interrupted in epoch [0-9]*" term.log | grep -o "[0-9]*$")
  e1=$(grep -o "rank 1 of 2: interrupted in epoch [0-9]*" term.log | grep -o "[0-9]*$")
  [[ -n $e0 && $e0 == "$e1" ]] || fail "the ranks did not stop in the same epoch ('$e0', '$e1')"
  "$diff" run/model.xgrad run/model.xgrad 0 > /dev/null || fail "the checkpoint does not load"
  # 2. SIGINT to mpirun (as Ctrl-C in its terminal); rank output in files: mpirun's own stops forwarding on abort
  rm -rf run out
  mpi 2 --output-filename "$work/out" "$vae" "${args[@]}" > int.log 2>&1 &
  job=$!
  wait_checkpoint || { kill $job; cat int.log; fail "no checkpoint after epoch 1"; }
  kill -INT "$(pgrep -P $job -f mpirun)"
  start=$(date +%s.%N)
  wait $job
  rc=$?
  took=$(echo "$(date +%s.%N) - $start" | bc)
  echo "SIGINT to mpirun: the job ended after $took s, status $rc"
  (( rc != 0 )) || fail "the job succeeded"
  (( $(echo "$took < 20" | bc) )) || fail "the job took $took s to end"
  for r in 0 1; do
    cat out/*/rank.$r/stderr
    grep -q "rank $r of 2: interrupted in epoch" out/*/rank.$r/stderr || fail "rank $r did not stop at a step"
  done
  mpi 2 "$vae" "${args[@]}" --resume > resume.log 2>&1 || { cat resume.log; fail "resume after the interrupt"; }
  grep -q "resuming from run/model.xgrad after epoch" resume.log || fail "no resume message"
  ;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS $case_name"
