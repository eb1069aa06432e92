#!/usr/bin/python3
"""Summarises one bench/run.sh output file into markdown tables with the issue-6 ratios.

    /usr/bin/python3 bench/summarize.py bench/results/<file>.txt
Every ratio compares numbers measured in the same run. The GEMM bound and xgrad's step are measured in
alternating rounds (run.sh): xgrad/bound is the median of the per-round ratios (each bound a few seconds from
its xgrad), its range the lowest and highest round; their ms columns are medians over the rounds.
"torch"/"libtorch" at 2 threads take the better of OMP2/BLAS1 and OMP1/BLAS2 (as a user who tuned it would);
at 1 thread OMP1/BLAS1.
"""
import statistics
import sys
from collections import defaultdict


def parse(path):
    rows = []
    for line in open(path):
        parts = line.split()
        if not parts or "=" in parts[0]:
            continue
        kv = {}
        for p in parts[1:]:
            if "=" in p:
                k, v = p.split("=", 1)
                kv[k] = v
        rows.append((parts[0], kv))
    return rows


def main(path):
    rows = parse(path)
    bound, xg, torch, libtorch = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    ovh = {}
    mem = []
    tape = None
    cache = []
    for kind, kv in rows:
        if kind in ("gemm_bound", "xgrad", "torch", "libtorch"):
            key = (kv["config"], int(kv["batch"]), int(kv["threads"]))
            ms = float(kv["step_ms_median"])
        if kind == "gemm_bound":  # one round prints layout brief, then torch: the round's bound is the faster
            if kv.get("layout") == "torch" and bound[key]:
                bound[key][-1] = min(bound[key][-1], ms)
            else:
                bound[key].append(ms)
        elif kind == "xgrad":
            xg[key].append(ms)
        elif kind in ("torch", "libtorch"):
            c, b, t = key
            bt = int(kv.get("blas_threads", t))
            total = max(t, bt)
            (torch if kind == "torch" else libtorch)[(c, b, total)].append(ms)
        elif kind in ("overhead", "xgrad_overhead"):
            ovh[(kind, kv["size"], int(kv["threads"]))] = float(kv["fwdbwd_us_per_op"])
        elif kind == "xgrad_memory":
            mem.append(kv)
        elif kind == "xgrad_tape":
            tape = kv
        elif kind == "cache_lines":
            cache.append(kv)
    print("| config | batch | threads | GEMM bound ms | xgrad ms | xgrad/bound | range over rounds | torch ms "
          "| torch/xgrad | libtorch ms | libtorch/xgrad | xgrad samples/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for key in sorted(xg):
        c, b, t = key
        x = statistics.median(xg[key])
        bd = statistics.median(bound[key]) if bound.get(key) else None
        pairs = [xr / br for xr, br in zip(xg[key], bound.get(key, []))]
        ratio = f"{statistics.median(pairs):.2f}" if pairs else "-"
        spread = f"{min(pairs):.2f}-{max(pairs):.2f}" if pairs else "-"
        tb = min(torch[key]) if torch.get(key) else None
        lb = min(libtorch[key]) if libtorch.get(key) else None
        f = lambda v: f"{v:.3f}" if v is not None else "-"  # noqa: E731
        r = lambda a, b: f"{a / b:.2f}" if a is not None and b else "-"  # noqa: E731
        print(f"| {c} | {b} | {t} | {f(bd)} | {x:.3f} | {ratio} | {spread} | {f(tb)} | {r(tb, x)} | {f(lb)} "
              f"| {r(lb, x)} | {b / x * 1000:.0f} |")
    xg = {key: statistics.median(v) for key, v in xg.items()}
    if ovh:
        print("\n| size | threads | xgrad us/op (fwd+bwd) | torch us/op | xgrad/torch |")
        print("|---|---|---|---|---|")
        for (kind, size, t), v in sorted(ovh.items()):
            if kind != "xgrad_overhead":
                continue
            tv = ovh.get(("overhead", size, t))
            print(f"| {size} | {t} | {v:.3f} | {tv if tv is not None else '-'} | "
                  f"{(v / tv) if tv else float('nan'):.3f} |")
    scaling = [(c, b, xg[(c, b, 1)] / xg[(c, b, 2)]) for (c, b, t) in sorted(xg) if t == 1 and (c, b, 2) in xg]
    kernels = [(size, ovh[("xgrad_overhead", size, 1)] / ovh[("xgrad_overhead", size, 2)])
               for (kind, size, t) in sorted(ovh) if kind == "xgrad_overhead" and t == 1
               and ("xgrad_overhead", size, 2) in ovh]
    if scaling or kernels:
        print("\n| thread scaling 1 -> 2 | speed-up |")
        print("|---|---|")
        for c, b, r in scaling:
            print(f"| step {c} batch {b} | {r:.2f} |")
        for size, r in kernels:
            print(f"| op chain {size} (fwd+bwd) | {r:.2f} |")
    if mem:
        print("\n| epoch | rss MiB | peak rss MiB | base MiB | dataset MiB | params MiB | budget MiB "
              "| (peak - base) / budget |")
        print("|---|---|---|---|---|---|---|---|")
        for kv in mem:
            print(f"| {kv['epoch']} | {kv['rss_mib']} | {kv['peak_rss_mib']} | {kv['base_rss_mib']} | "
                  f"{kv['dataset_mib']} | {kv['params_mib']} | {kv.get('budget_mib', '-')} "
                  f"| {kv.get('peak_over_budget', '-')} |")
    if tape:
        print(f"\nTape: {tape['bytes_per_node']} bytes per node (1x1 float32 values included).")
    if cache:
        print("\n| the other core last ... the weight | update us | ratio |")
        print("|---|---|---|")
        for kv in cache:
            print(f"| {kv['case']} | {kv['update_us']} | {kv['ratio_to_local']} |")


if __name__ == "__main__":
    main(sys.argv[1])
