#!/usr/bin/env python3
"""The same estimator as bench/log_likelihood.cpp in PyTorch: log p(x) ~ logsumexp_i [log p(x|z_i) + log p(z_i)
- log q(z_i|x)] - log k, z_i ~ q(z|x), kw model (784-500 tanh -> mu, logvar 20; 20-500 tanh -> 784 logits,
Bernoulli with logits on [0,1] pixels), float32, samples in chunks of 500 per image, no gradients.
  /usr/bin/python3 bench/log_likelihood_torch.py [--images 100] [--k 5000] [--threads 1] [--blas-threads 1]"""
import argparse
import math
import os
import time

p = argparse.ArgumentParser()
p.add_argument("--images", type=int, default=100)
p.add_argument("--k", type=int, default=5000)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--blas-threads", type=int, default=None)
p.add_argument("--chunk", type=int, default=500)
a = p.parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = str(a.blas_threads or a.threads)
import torch  # noqa: E402

torch.set_num_threads(a.threads)
torch.manual_seed(0)
enc, mu_l, lv_l = torch.nn.Linear(784, 500), torch.nn.Linear(500, 20), torch.nn.Linear(500, 20)
dec1, dec2 = torch.nn.Linear(20, 500), torch.nn.Linear(500, 784)
x = torch.rand(a.images, 784)
LOG2PI = math.log(2 * math.pi)
with torch.no_grad():
    t0 = time.perf_counter()
    h = torch.tanh(enc(x))
    mu, lv = mu_l(h), lv_l(h)
    sd = torch.exp(0.5 * lv)
    out = []
    for n in range(a.images):
        terms = []
        for c0 in range(0, a.k, a.chunk):
            c = min(a.chunk, a.k - c0)
            eps = torch.randn(c, 20)
            z = mu[n] + sd[n] * eps
            logits = dec2(torch.tanh(dec1(z)))
            log_px = -torch.nn.functional.binary_cross_entropy_with_logits(
                logits, x[n].expand(c, 784), reduction="none").sum(1)
            log_pz = -0.5 * (z * z + LOG2PI).sum(1)
            log_qz = -0.5 * (eps * eps + LOG2PI + lv[n]).sum(1)
            terms.append((log_px + log_pz - log_qz).double())
        out.append(torch.logsumexp(torch.cat(terms), 0) - math.log(a.k))
    s = time.perf_counter() - t0
print(f"torch_log_likelihood images={a.images} k={a.k} threads={a.threads} blas_threads={a.blas_threads or a.threads} "
      f"seconds={s:.3f} images_per_s={a.images / s:.2f} mean={float(torch.stack(out).mean()):.3f}", flush=True)
