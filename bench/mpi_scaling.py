#!/usr/bin/env python3
"""Alpha-beta model of data-parallel training on N machines (issue 17), printed as a markdown table.

Ring allreduce of M gradient bytes over N machines (reduce-scatter + allgather, 2(N-1) messages of M/N bytes):
    T_ar(N) = 2 (N-1) alpha + 2 (N-1)/N * M / B
Weak scaling: every machine computes a step of batch b in t_c (measured, 1 machine); global batch N*b.
    efficiency without overlap = t_c / (t_c + T_ar)
    efficiency with overlap    = t_c / (t_c + max(T_ar - f_bw * t_c, T_last))
where f_bw * t_c is the backward time the allreduce can hide behind (f_bw: the backward's share of a step) and
T_last the allreduce of the last bucket (it can only start when backward ends): bucket of `last_bytes`.
    python3 bench/mpi_scaling.py --model kw:3263296:8.0 --model dl4j:2143312:4.4 [--alpha-us 20] [--f-bw 0.5]
--model NAME:GRAD_BYTES:STEP_MS (STEP_MS: one machine's step, the measured 1 rank x 2 threads).
"""
import argparse

LINKS = {"10GbE": 10e9 / 8 * 0.9, "25GbE": 25e9 / 8 * 0.9}  # bytes/s, 90 % of the line rate for TCP payload
MACHINES = [2, 4, 8, 16, 32, 64]


def t_allreduce(n, m, alpha, bw):
    return 2 * (n - 1) * alpha + 2 * (n - 1) / n * m / bw


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", action="append", required=True, help="NAME:GRAD_BYTES:STEP_MS")
    ap.add_argument("--alpha-us", type=float, default=20.0, help="per-message latency, microseconds")
    ap.add_argument("--f-bw", type=float, default=0.5, help="share of the step that is backward")
    ap.add_argument("--last-bytes", type=float, default=1 << 20, help="size of the last bucket (bytes)")
    a = ap.parse_args()
    alpha = a.alpha_us * 1e-6
    print(f"alpha = {a.alpha_us:g} us, B = 90 % of the line rate, backward = {a.f_bw:g} of a step, "
          f"last bucket {a.last_bytes / 2**20:g} MiB\n")
    print("| model | step ms | link | " + " | ".join(f"N={n}" for n in MACHINES) + " |")
    print("|---|---|---|" + "---|" * len(MACHINES))
    for spec in a.model:
        name, m, t_c = spec.split(":")
        m, t_c = float(m), float(t_c) * 1e-3
        for link, bw in LINKS.items():
            cells = []
            for n in MACHINES:
                t = t_allreduce(n, m, alpha, bw)
                t_last = t_allreduce(n, min(m, a.last_bytes), alpha, bw)
                exposed = max(t - a.f_bw * t_c, t_last)
                cells.append(f"{t * 1e3:.2f} ms: {t_c / (t_c + t):.0%} / {t_c / (t_c + exposed):.0%}")
            print(f"| {name} ({m / 1e6:.2f} MB) | {t_c * 1e3:.2f} | {link} | " + " | ".join(cells) + " |")
    print("\ncells: allreduce time per step: efficiency without / with overlap (speed-up = N x efficiency)")


if __name__ == "__main__":
    main()
