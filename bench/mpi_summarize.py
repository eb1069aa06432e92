#!/usr/bin/env python3
"""Medians over repeated runs of bench/mpi_run.sh's output (mpi_step, mpi_step_hidden, mpi_pingpong lines).

    python3 bench/mpi_summarize.py bench/measurements/mpi-<timestamp>.txt
"""
import statistics
import sys
from collections import defaultdict

KEYS = {
    "mpi_step": ["config", "batch", "ranks", "threads", "overlap", "bucket_kb"],
    "mpi_step_hidden": ["config", "batch", "ranks", "bucket_kb"],
    "mpi_pingpong": ["transport", "bytes"],
}
VALUES = {
    "mpi_step": ["steps_per_s", "step_ms", "backward_ms", "finish_wait_ms", "allreduce_alone_ms", "allreduce_alone_min_ms"],
    "mpi_step_hidden": ["hidden", "wait_on_ms", "wait_off_ms"],
    "mpi_pingpong": ["latency_us", "bandwidth_gb_s"],
}


def ratios(groups, order):
    """2 ranks x 1 thread against 1 rank x 2 threads, steps/s, within each run (the i-th of every line), median."""
    for key in order:
        if key[0] != "mpi_step" or key[3] != "2":
            continue
        base = ("mpi_step", key[1], key[2], "1", "2", "-1", "4096")
        if base not in groups:
            continue
        r = [a / b for a, b in zip(groups[key]["steps_per_s"], groups[base]["steps_per_s"])]
        print(f"ratio config={key[1]} batch={key[2]} 2x1/1x2 overlap={key[5]} bucket_kb={key[6]}: "
              f"median {statistics.median(r):.3f} (per run {', '.join(f'{x:.3f}' for x in r)})")


def main(path):
    groups = defaultdict(lambda: defaultdict(list))
    order = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0] not in KEYS:
                continue
            kv = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
            key = (parts[0],) + tuple(kv.get(k, "") for k in KEYS[parts[0]])
            if key not in groups:
                order.append(key)
            for v in VALUES[parts[0]]:
                if v in kv:
                    groups[key][v].append(float(kv[v]))
    ratios(groups, order)
    for key in order:
        kind = key[0]
        ident = " ".join(f"{k}={v}" for k, v in zip(KEYS[kind], key[1:]))
        vals = " ".join(
            f"{v}={statistics.median(xs):.4g} (n={len(xs)}, {min(xs):.4g}..{max(xs):.4g})"
            for v, xs in groups[key].items())
        print(f"{kind} {ident} {vals}")


if __name__ == "__main__":
    main(sys.argv[1])
