#!/usr/bin/env python3
"""Means and spreads of bench/vae_quality.sh's results: the last epoch's test -ELBO and training images/s per model
(xgrad conv, PyTorch conv, the dense latent variants), and for the latent variants evaluate's -log p(x) (k = 5000)
with each variant's gain over the standard prior of the same seed.
  python3 bench/vae_quality_summary.py bench/results/vae_quality-conv.txt bench/results/vae_quality-latent.txt"""
import re
import statistics
import sys
from collections import defaultdict

final = {}           # (model, seed) -> (epoch, test -ELBO, images/s, seconds)
speed = defaultdict(list)  # (system, threads) -> training images/s of the speed group's rounds
logpx = {}           # (model, seed) -> -log p(x)
for path in sys.argv[1:]:
    for line in open(path):
        m = re.match(r"xgrad speed-t(\d+) seed=\d+ metrics: (.*)", line)
        if m:
            speed[("xgrad", int(m.group(1)))].append(10000 / float(m.group(2).split(",")[-1]))
            continue
        m = re.match(r"threads=(\d+) blas_threads=(\d+) torch_conv_vae .* images_per_s=(\S+)", line)
        if m:
            speed[(f"torch (OpenMP {m.group(1)}, OpenBLAS {m.group(2)})", int(m.group(1)) * int(m.group(2)))].append(
                float(m.group(3)))
            continue
        m = re.match(r"xgrad (\S+) seed=(\d+) metrics: (.*)", line)
        if m:
            f = m.group(3).split(",")  # epoch,train_loss,train_neg_elbo,train_recon,train_kl,test_neg_elbo,...,seconds
            key = ("xgrad " + m.group(1), int(m.group(2)))
            epoch = int(f[0])
            if key not in final or final[key][0] < epoch:
                final[key] = (epoch, float(f[5]), None, float(f[-1]))
            continue
        m = re.match(r"torch_conv_vae epoch=(\d+) seed=(\d+) train_seconds=(\S+) images_per_s=(\S+) "
                     r"train_neg_elbo=\S+ test_neg_elbo=(\S+)", line)
        if m:
            key = ("torch conv", int(m.group(2)))
            epoch = int(m.group(1))
            if key not in final or final[key][0] < epoch:
                final[key] = (epoch, float(m.group(5)), float(m.group(4)), float(m.group(3)))
            continue
        m = re.match(r"xgrad (\S+) seed=(\d+) evaluate:\s+-log p\(x\), importance-weighted\s+(\S+) nats", line)
        if m:
            logpx[("xgrad " + m.group(1), int(m.group(2)))] = float(m.group(3))


def spread(v):
    return f"{statistics.mean(v):.2f} ({min(v):.2f}-{max(v):.2f}, n={len(v)})"


by_model = defaultdict(list)
for (model, seed), row in sorted(final.items()):
    by_model[model].append((seed, row))
for model, rows in by_model.items():  # runs still going (or cut short) are left out
    last = max(r[0] for _, r in rows)
    rows[:] = [(s, r) for s, r in rows if r[0] == last]
print("| model | epochs | test -ELBO, last epoch: mean (min-max) | seconds of training, last epoch |")
print("|---|---|---|---|")
for model, rows in by_model.items():
    print(f"| {model} | {rows[0][1][0]} | {spread([r[1] for _, r in rows])} | {spread([r[3] for _, r in rows])} |")
if logpx:
    print()
    print("| model | -log p(x), k = 5000: mean (min-max) | gain over standard, same seed: mean (min-max) |")
    print("|---|---|---|")
    models = sorted({m for m, _ in logpx})
    for model in models:
        seeds = sorted(s for m, s in logpx if m == model)
        values = [logpx[(model, s)] for s in seeds]
        gains = [logpx[("xgrad standard", s)] - logpx[(model, s)] for s in seeds if ("xgrad standard", s) in logpx]
        print(f"| {model} | {spread(values)} | {spread(gains) if model != 'xgrad standard' and gains else '-'} |")
if speed:
    print()
    print("| system | threads | training images/s: median (min-max) | xgrad / this |")
    print("|---|---|---|---|")
    for (system, t), v in sorted(speed.items(), key=lambda kv: (kv[0][1], kv[0][0] != "xgrad")):
        x = speed.get(("xgrad", t))
        ratio = f"{statistics.median(x) / statistics.median(v):.2f}" if x and system != "xgrad" else "-"
        print(f"| {system} | {t} | {statistics.median(v):.0f} ({min(v):.0f}-{max(v):.0f}, n={len(v)}) | {ratio} |")
