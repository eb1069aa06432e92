#!/usr/bin/env bash
# Anomaly detection on Debian's copy of the UCI handwritten digits (python3-sklearn's digits.csv.gz: 1797 images
# of 8x8 pixels, grey levels 0..16, and the digit 0..9 as the last column). A VAE with a Bernoulli likelihood on
# grey levels (pixels / 16) is trained on 70 % of the images of one digit (default 0); the other 30 % of that digit
# (normal, label 0) and every image of the other digits (anomaly, label 1) are scored. The script writes the
# images as a [N, 8, 8] float64 .npy, so the trainer knows their shape and anomaly pictures the most and least
# typical ones. anomaly writes OUT_DIR/anomaly/: anomaly_scores.csv, anomaly.md (the report), anomaly_roc.png and
# anomaly_typical.png; the script prints the report's detection table.
# Usage: bash examples/digits/run.sh [BUILD_DIR] [OUT_DIR] [DIGIT]
set -euo pipefail
BUILD=${1:-build}
OUT=${2:-out/digits}
DIGIT=${3:-0}
CSV=/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz
[ -f "$CSV" ] || { echo "$CSV missing: apt-get install python3-sklearn" >&2; exit 3; }
mkdir -p "$OUT"
python3 - "$CSV" "$OUT" "$DIGIT" <<'PY'
import csv, gzip, random, struct, sys
src, out, digit = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [list(map(int, r)) for r in csv.reader(gzip.open(src, "rt"))]
normal = [r[:64] for r in rows if r[64] == digit]
others = [r[:64] for r in rows if r[64] != digit]
random.Random(1).shuffle(normal)
k = int(0.7 * len(normal))
train, held = normal[:k], normal[k:]

def write_npy(path, images):  # NPY 1.0, little-endian float64, shape (N, 8, 8), pixels / 16 in [0, 1]
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (%d, 8, 8), }" % len(images)
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
        for img in images:
            f.write(struct.pack("<64d", *(v / 16.0 for v in img)))

write_npy(out + "/train.npy", train)
write_npy(out + "/score.npy", held + others)
open(out + "/labels.txt", "w").write("0\n" * len(held) + "1\n" * len(others))
print(f"digit {digit}: {len(train)} training images; scoring {len(held)} of digit {digit} (normal) "
      f"+ {len(others)} of the other digits (anomalies)")
PY
"$BUILD/examples/trainer/xgrad-vae" train --data "$OUT/train.npy" --distribution bernoulli --binarization none \
  --encoder-layers 64 --decoder-layers 64 --latent 4 --epochs 200 --batch-size 25 --progress none --out "$OUT/run" | tail -1
"$BUILD/examples/trainer/xgrad-vae" anomaly --model "$OUT/run/model.xgrad" --data "$OUT/score.npy" \
  --labels "$OUT/labels.txt" --k 200 --progress none --out "$OUT/anomaly"
sed -n '/^## Detection/,/^!\[ROC/p' "$OUT/anomaly/anomaly.md"
