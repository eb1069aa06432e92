#!/usr/bin/env python3
"""Tables of bench/gemm_run.sh's output (issue 18): the FLOP limit, a step's products per GEMM library, and xgrad's
steps per GEMM backend against the FLOP limit and PyTorch, all from one run.

FLOP limit at T threads = the fastest 2048^3 sgemm of any library at T threads (gemm_limit lines); a step's
bound = its GEMM FLOPs / that rate; xgrad/bound = step time / bound. PyTorch at 2 threads: the better of
OMP2/BLAS1 and OMP1/BLAS2. Usage: gemm_summarize.py FILE..."""
import sys
from collections import defaultdict


def fields(line):
    parts = line.split()
    return parts[0], dict(p.split("=", 1) for p in parts[1:] if "=" in p)


def main(paths):
    limit = defaultdict(dict)  # threads -> lib -> gflops
    prods = defaultdict(dict)  # (config, batch, threads) -> lib -> ms
    gflop = {}
    steps = defaultdict(dict)  # (config, batch, threads) -> backend -> ms
    torch = defaultdict(list)  # (config, batch, threads) -> ms
    loglik = defaultdict(dict)  # threads -> "xgrad" / "torch" -> best images/s
    for path in paths:
        for line in open(path):
            if not line.strip() or line.startswith("#"):
                continue
            kind, f = fields(line)
            if kind == "gemm_limit":
                limit[int(f["threads"])][f["lib"]] = float(f["gflops_median"])
            elif kind == "gemm_step":
                key = (f["config"], int(f["batch"]), int(f["threads"]))
                prods[key][f["lib"]] = float(f["ms_median"])
                gflop[(f["config"], int(f["batch"]))] = float(f["step_gflop"])
            elif kind == "xgrad" and "gemm" in f:
                steps[(f["config"], int(f["batch"]), int(f["threads"]))][f["gemm"]] = float(f["step_ms_median"])
            elif kind in ("xgrad_log_likelihood", "torch_log_likelihood"):
                who = kind.split("_")[0]
                threads = max(int(f["threads"]), int(f.get("blas_threads", f["threads"])))
                loglik[threads][who] = max(loglik[threads].get(who, 0.0), float(f["images_per_s"]))
            elif kind == "torch":
                threads = max(int(f["threads"]), int(f.get("blas_threads", f["threads"])))
                torch[(f["config"], int(f["batch"]), threads)].append(float(f["step_ms_median"]))
    print("| threads | " + " | ".join(sorted(next(iter(limit.values())))) + " | FLOP limit GFLOP/s |")
    print("|---" * (len(next(iter(limit.values()))) + 2) + "|")
    for t in sorted(limit):
        libs = limit[t]
        print(f"| {t} | " + " | ".join(f"{libs[k]:.1f}" for k in sorted(libs)) + f" | {max(libs.values()):.1f} |")
    libs = sorted(next(iter(prods.values())))
    print("\nA step's products alone, ms (GFLOP per step in brackets):\n")
    print("| config | batch | threads | " + " | ".join(libs) + " |")
    print("|---" * (len(libs) + 3) + "|")
    for key in sorted(prods):
        c, b, t = key
        print(f"| {c} ({gflop[(c, b)]:.4f}) | {b} | {t} | " + " | ".join(f"{prods[key].get(l, float('nan')):.3f}"
                                                                        for l in libs) + " |")
    print("\nxgrad's training step (forward, backward, Adam) per GEMM backend, against the FLOP limit and PyTorch:\n")
    print("| config | batch | threads | bound ms | openblas ms | dnnl ms | auto ms | auto/bound | torch ms "
          "| torch/auto (speed ratio) |")
    print("|---" * 10 + "|")
    for key in sorted(steps):
        c, b, t = key
        if t not in limit or (c, b) not in gflop:
            continue
        bound = gflop[(c, b)] / max(limit[t].values()) * 1e3
        s = steps[key]
        tt = min(torch[key]) if torch.get(key) else float("nan")
        auto = s.get("auto", float("nan"))
        print(f"| {c} | {b} | {t} | {bound:.3f} | {s.get('openblas', float('nan')):.3f} | "
              f"{s.get('dnnl', float('nan')):.3f} | {auto:.3f} | {auto / bound:.2f} | {tt:.3f} | {tt / auto:.2f} |")

    if loglik:
        print("\nlog_likelihood(x, 5000), images/s:\n")
        print("| threads | xgrad | torch | xgrad/torch |")
        print("|---|---|---|---|")
        for t in sorted(loglik):
            xg, tt = loglik[t].get("xgrad", float("nan")), loglik[t].get("torch", float("nan"))
            print(f"| {t} | {xg:.2f} | {tt:.2f} | {xg / tt:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
