#!/usr/bin/python3
"""The conv VAE of `xgrad-vae train --architecture conv --activation relu` (issue 15) in PyTorch, for the quality and
step-time comparison of bench/vae_quality.sh:
  encoder Conv(1,32,4,2,1)-ReLU-Conv(32,64,4,2,1)-ReLU-Linear(3136,256)-ReLU -> mu, logvar Linear(256,J) each;
  decoder Linear(J,256)-ReLU-Linear(256,3136)-ReLU-ConvT(64,32,4,2,1)-ReLU-ConvT(32,1,4,2,1) = Bernoulli logits.
Loss per image: sum of BCE-with-logits + analytic KL, batch mean; one reparameterised sample; Adam lr 1e-3; dynamic
binarisation (each training batch x ~ Bernoulli(grey levels), redrawn every epoch); the test set binarised once
with a fixed seed; each epoch reshuffles. Default torch init (xgrad: Xavier), float32.

  /usr/bin/python3 bench/conv_vae_torch.py --epochs 10 --seed 1 [--latent 32] [--threads 1] [--blas-threads 1]
 -> per epoch: torch_conv_vae epoch=E seed=S train_seconds=... images_per_s=... train_neg_elbo=... test_neg_elbo=...
  /usr/bin/python3 bench/conv_vae_torch.py --steps 50 [--threads T]   (timing: median ms per training step)
 -> torch_conv_vae_step threads=T blas_threads=B ms_median=... ms_min=... ms_max=...
"""
import argparse
import ctypes
import os
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=0)
p.add_argument("--steps", type=int, default=0)
p.add_argument("--reps", type=int, default=5)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--latent", type=int, default=32)
p.add_argument("--batch", type=int, default=100)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--blas-threads", type=int, default=None)
p.add_argument("--limit", type=int, default=0)
a = p.parse_args()
blas_threads = a.blas_threads or a.threads
os.environ["OPENBLAS_NUM_THREADS"] = str(blas_threads)
os.environ.setdefault("OMP_NUM_THREADS", str(a.threads))
sys.path.insert(0, "/work/shared/bench")
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(a.threads)


class ConvVae(nn.Module):
    def __init__(self, j):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(1, 32, 4, 2, 1), nn.Conv2d(32, 64, 4, 2, 1)
        self.e = nn.Linear(64 * 7 * 7, 256)
        self.mu, self.lv = nn.Linear(256, j), nn.Linear(256, j)
        self.d1, self.d2 = nn.Linear(j, 256), nn.Linear(256, 64 * 7 * 7)
        self.t1, self.t2 = nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ConvTranspose2d(32, 1, 4, 2, 1)

    def encode(self, x):
        h = F.relu(self.c2(F.relu(self.c1(x.view(-1, 1, 28, 28)))))
        h = F.relu(self.e(h.flatten(1)))
        return self.mu(h), self.lv(h)

    def decode(self, z):
        h = F.relu(self.d2(F.relu(self.d1(z)))).view(-1, 64, 7, 7)
        return self.t2(F.relu(self.t1(h))).flatten(1)

    def neg_elbo(self, x):  # [N] per image
        mu, lv = self.encode(x)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        rec = F.binary_cross_entropy_with_logits(self.decode(z), x, reduction="none").sum(1)
        kl = 0.5 * (mu * mu + lv.exp() - 1 - lv).sum(1)
        return rec + kl


def fashion():
    from idx import load_fashion_mnist  # /work/shared/bench/idx.py (Debian's dataset-fashion-mnist)
    xtr, xte = load_fashion_mnist()
    return torch.from_numpy(np.ascontiguousarray(xtr)), torch.from_numpy(np.ascontiguousarray(xte))


torch.manual_seed(a.seed)
model = ConvVae(a.latent)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def step(xb):
    opt.zero_grad(set_to_none=True)
    loss = model.neg_elbo(xb).mean()
    loss.backward()
    opt.step()
    return float(loss)


if a.steps:
    x = torch.bernoulli(torch.rand(a.batch * a.steps, 784))
    for i in range(10):
        step(x[:a.batch])
    times = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        for i in range(a.steps):
            step(x[i * a.batch:(i + 1) * a.batch])
        times.append((time.perf_counter() - t0) * 1e3 / a.steps)
    times.sort()
    print(f"torch_conv_vae_step threads={a.threads} blas_threads={blas_threads} ms_median={times[len(times) // 2]:.3f} "
          f"ms_min={times[0]:.3f} ms_max={times[-1]:.3f}", flush=True)
    sys.exit(0)

xtr, xte = fashion()
if a.limit:
    xtr = xtr[:a.limit]
gen = torch.Generator().manual_seed(a.seed + 1000)
xte_bin = torch.bernoulli(xte, generator=torch.Generator().manual_seed(20240517))
eval_gen_seed = 7
for epoch in range(1, a.epochs + 1):
    model.train()
    perm = torch.randperm(len(xtr), generator=gen)
    total, t0 = 0.0, time.perf_counter()
    for b0 in range(0, len(xtr), a.batch):
        xb = torch.bernoulli(xtr[perm[b0:b0 + a.batch]], generator=gen)
        total += step(xb) * len(xb)
    secs = time.perf_counter() - t0
    model.eval()
    torch.manual_seed(eval_gen_seed)
    with torch.no_grad():
        test = float(torch.cat([model.neg_elbo(xte_bin[i:i + 500]) for i in range(0, len(xte_bin), 500)]).mean())
    print(f"torch_conv_vae epoch={epoch} seed={a.seed} train_seconds={secs:.1f} images_per_s={len(xtr) / secs:.0f} "
          f"train_neg_elbo={total / len(xtr):.2f} test_neg_elbo={test:.2f}", flush=True)
