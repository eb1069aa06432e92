#!/usr/bin/python3
"""PyTorch side of bench/conv_ops: the same cases, timed the same way, printed the same way.

    /usr/bin/python3 bench/conv_ops_torch.py [--threads 1,2] [--rounds 5] [--reps 10]
 -> torch case=NAME threads=T ms_median=... ms_min=... ms_max=...

Cases: conv2d / conv_transpose2d forward + backward (dx except for the first conv's input, dw, db) at the conv
VAE's shapes, batch 100, float32, k4 s2 p1; and one training step (forward, cross-entropy, backward, Adam) of
examples/cnn_classifier's network (common/fashion_cnn.hpp) at batch 64 on random data. Run with Debian's
/usr/bin/python3 (torch 1.13.1, oneDNN 2.6.3 for convolutions, OpenBLAS for the dense layers). T sets both
torch.set_num_threads and OpenBLAS's pool.
"""
import argparse
import ctypes
import os
import time

p = argparse.ArgumentParser()
p.add_argument("--threads", default="1,2")
p.add_argument("--rounds", type=int, default=5)
p.add_argument("--reps", type=int, default=10)
args = p.parse_args()
THREADS = [int(t) for t in args.threads.split(",")]
os.environ.setdefault("OMP_NUM_THREADS", str(max(THREADS)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def openblas():
    with open("/proc/self/maps") as f:
        libs = {l.split()[-1] for l in f if "openblas" in l and ".so" in l}
    for path in libs:
        try:
            h = ctypes.CDLL(path)
            h.openblas_set_num_threads
            return h
        except (OSError, AttributeError):
            pass
    return None


def set_threads(t):
    torch.set_num_threads(t)
    if BLAS is not None:
        BLAS.openblas_set_num_threads(t)


torch.manual_seed(1)
n = 100
x1 = torch.randn(n, 1, 28, 28)
x2 = torch.randn(n, 32, 14, 14, requires_grad=True)
x3 = torch.randn(n, 64, 7, 7, requires_grad=True)
w1 = torch.randn(32, 1, 4, 4, requires_grad=True)
w2 = torch.randn(64, 32, 4, 4, requires_grad=True)
b32 = torch.randn(32, requires_grad=True)
b64 = torch.randn(64, requires_grad=True)
b1 = torch.randn(1, requires_grad=True)


def fwd_bwd(y):
    y.backward(torch.ones_like(y))


class FashionCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 5, padding=2, bias=False)
        self.n1 = nn.BatchNorm2d(32, momentum=0.1, eps=1e-5)
        self.c2 = nn.Conv2d(32, 64, 5, padding=2, bias=False)
        self.n2 = nn.BatchNorm2d(64, momentum=0.1, eps=1e-5)
        self.d = nn.Linear(64 * 7 * 7, 256)
        self.o = nn.Linear(256, 10)

    def forward(self, x):
        x = x.view(-1, 1, 28, 28)
        x = F.max_pool2d(F.relu(self.n1(self.c1(x))), 2)
        x = F.max_pool2d(F.relu(self.n2(self.c2(x))), 2)
        x = F.relu(self.d(x.flatten(1)))
        return self.o(F.dropout(x, 0.5, self.training))


cnn = FashionCnn()
opt = torch.optim.Adam(cnn.parameters(), lr=1e-3)
CNN_STEPS, CNN_BATCH = 5, 64
cnn_x = torch.rand(CNN_STEPS * CNN_BATCH, 784)
cnn_y = torch.arange(CNN_STEPS * CNN_BATCH) % 10


def cnn_epoch():
    for s in range(CNN_STEPS):
        xb = cnn_x[s * CNN_BATCH:(s + 1) * CNN_BATCH]
        yb = cnn_y[s * CNN_BATCH:(s + 1) * CNN_BATCH]
        opt.zero_grad()
        F.cross_entropy(cnn(xb), yb).backward()
        opt.step()


cases = [
    ("conv2d_1x28x28_32x14x14", lambda: fwd_bwd(F.conv2d(x1, w1, b32, stride=2, padding=1)), 1.0),
    ("conv2d_32x14x14_64x7x7", lambda: fwd_bwd(F.conv2d(x2, w2, b64, stride=2, padding=1)), 1.0),
    ("convT_64x7x7_32x14x14", lambda: fwd_bwd(F.conv_transpose2d(x3, w2, b32, stride=2, padding=1)), 1.0),
    ("convT_32x14x14_1x28x28", lambda: fwd_bwd(F.conv_transpose2d(x2, w1, b1, stride=2, padding=1)), 1.0),
    ("cnn_classifier_step", cnn_epoch, 1.0 / CNN_STEPS),
]
BLAS = openblas()
times = {(c, t): [] for c, _, _ in cases for t in THREADS}
for r in range(args.rounds):
    for t in THREADS:
        set_threads(t)
        for name, f, scale in cases:
            f()
            reps = max(1, args.reps // 5) if name == "cnn_classifier_step" else args.reps
            t0 = time.perf_counter()
            for _ in range(reps):
                f()
            times[(name, t)].append((time.perf_counter() - t0) * 1e3 / reps * scale)
for name, _, _ in cases:
    for t in THREADS:
        v = sorted(times[(name, t)])
        print(f"torch case={name} threads={t} ms_median={v[len(v) // 2]:.4f} ms_min={v[0]:.4f} ms_max={v[-1]:.4f}")
