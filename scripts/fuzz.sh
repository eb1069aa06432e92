#!/usr/bin/env bash
# Builds the libFuzzer harnesses of fuzz/ (clang-14, ASan + UBSan + libFuzzer coverage on the parsers; see
# fuzz/CMakeLists.txt) in build-fuzz/ against the normal build's libraries, writes the seed corpora, and runs
# every harness for the given time (or number of runs). Prints one line per harness: runs, coverage (cov: edges,
# ft: features) and corpus size. Any crash, sanitizer report, leak, timeout (an input taking > 10 s) or
# out-of-memory (> 2 GB) fails the run; its input is saved as build-fuzz/artifacts/<harness>-crash-... .
# Usage: scripts/fuzz.sh [SECONDS per harness, default 60] [--runs N] [--only HARNESS]...
#   e.g. scripts/fuzz.sh 20; scripts/fuzz.sh 3600 --runs 1000000 --only npy
# Corpora grow in build-fuzz/corpus/<harness>/ across runs; inputs that once crashed are kept in
# fuzz/regressions/<harness>/ (and as Boost.Test cases) and replayed by every run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
runs=-1
only=()
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    [0-9]*) seconds=$1; shift ;;
    *) echo "fuzz.sh: unknown argument $1 (usage: scripts/fuzz.sh [SECONDS] [--runs N] [--only HARNESS]...)" >&2; exit 2 ;;
  esac
done
bash scripts/install-deps.sh
bash scripts/build.sh --target xgrad_nn >/dev/null  # the libraries the harnesses link (nothing to do when built)
out=build-fuzz
cmake --install "${XGRAD_BUILD_DIR:-build}" --prefix "$PWD/$out/xgrad" >/dev/null
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# XGRAD_FUZZ_FLAGS: the harnesses' optimisation (default -O1 -g, for campaigns; the test command's 10 s smoke
# uses -O0, which compiles 2.4x faster and runs about half as many inputs). A change rebuilds them.
flags=${XGRAD_FUZZ_FLAGS:--O1 -g}
cmake -S fuzz -B "$out/build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="$flags" -DCMAKE_PREFIX_PATH="$PWD/$out/xgrad" "${launcher[@]}" >/dev/null
cmake --build "$out/build" -j"$(nproc)" --target fuzz_all
rm -rf "$out/seeds"
"$out/build/fuzz_make_seeds" "$out/seeds"

harnesses=()
for exe in "$out"/build/fuzz_*; do
  name=${exe##*/fuzz_}
  [[ $name == make_seeds || ! -x $exe ]] && continue
  if ((${#only[@]})); then
    keep=0
    for o in "${only[@]}"; do [[ $o == "$name" ]] && keep=1; done
    ((keep)) || continue
  fi
  harnesses+=("$name")
done
((${#harnesses[@]})) || { echo "fuzz.sh: no harness matches ${only[*]}" >&2; exit 2; }

passed=0
failed=0
mkdir -p "$out/artifacts" "$out/logs"
for name in "${harnesses[@]}"; do
  corpus=$out/corpus/$name
  mkdir -p "$corpus"
  dirs=("$corpus")
  for d in "$out/seeds/$name" "fuzz/seeds/$name" "fuzz/regressions/$name"; do
    [[ -d $d ]] && dirs+=("$d")
  done
  log=$out/logs/$name.log
  rc=0
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 UBSAN_OPTIONS=print_stacktrace=1 \
    "$out/build/fuzz_$name" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -close_fd_mask=1 -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-" "${dirs[@]}" \
    >"$log" 2>&1 || rc=$?
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  executed=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
  cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+)\/.*/cov \1, ft \2, corpus \3/p' <<<"$done_line")
  if [[ $rc == 0 && -n $done_line ]]; then
    echo "fuzz_$name: ok: $executed runs in ${seconds} s max, ${cov:-no coverage line}"
    passed=$((passed + 1))
  else
    echo "fuzz_$name: FAILED (exit $rc): $executed runs; report in $log:"
    grep -E 'ERROR: |SUMMARY: |runtime error|fuzz invariant|uncaught exception|Test unit written|terminate called|what\(\)' \
      "$log" | head -12 | sed 's/^/  /'
    failed=$((failed + 1))
  fi
done
echo "fuzz harnesses:"
echo "$passed passed, $failed failed"
((failed == 0))
