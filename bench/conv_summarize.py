#!/usr/bin/python3
"""Table of bench/conv_run.sh's lines: per case and thread count the median over rounds of each implementation's
ms_median, and the ratios other/xgrad (> 1: xgrad is faster).   conv_summarize.py FILE"""
import statistics
import sys
from collections import defaultdict

ms = defaultdict(list)
for line in open(sys.argv[1]):
    parts = line.split()
    if not parts or "case=" not in line:
        continue
    kv = dict(p.split("=", 1) for p in parts[1:])
    ms[(kv["case"], int(kv["threads"]), parts[0])].append(float(kv["ms_median"]))
impls = ["xgrad", "torch", "dnnl_plain", "dnnl_blocked"]
cases = sorted({(c, t) for c, t, _ in ms}, key=lambda k: (k[1], k[0]))
print("| case | threads | " + " | ".join(f"{i} ms" for i in impls) + " | torch/xgrad | dnnl_plain/xgrad | dnnl_blocked/xgrad |")
print("|---" * (len(impls) + 5) + "|")
for c, t in cases:
    med = {i: statistics.median(ms[(c, t, i)]) if ms.get((c, t, i)) else None for i in impls}
    cell = lambda v: f"{v:.3f}" if v is not None else "-"  # noqa: E731
    ratio = lambda i: f"{med[i] / med['xgrad']:.2f}" if med[i] and med["xgrad"] else "-"  # noqa: E731
    print(f"| {c} | {t} | " + " | ".join(cell(med[i]) for i in impls) +
          f" | {ratio('torch')} | {ratio('dnnl_plain')} | {ratio('dnnl_blocked')} |")
