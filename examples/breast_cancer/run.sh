#!/usr/bin/env bash
# Anomaly detection on Debian's copy of the Wisconsin breast-cancer table (python3-sklearn's
# breast_cancer.csv: 569 rows x 30 reals + target, 0 = malignant, 1 = benign). A Gaussian VAE is trained on
# 70 % of the benign rows (raw values: the trainer standardises the Gaussian columns with the mean and std of its
# training rows, saved in the model and applied to the scored rows);
# the other 30 % of the benign rows and every malignant row are scored, malignant = anomaly (label 1, the
# score table's column 'malignant', given to anomaly as --label-column). anomaly writes OUT_DIR/anomaly/:
# anomaly_scores.csv, anomaly.md (the report: AUROC and average precision, most/least typical rows) and
# anomaly_roc.png; the script prints the report's detection table.
# Usage: bash examples/breast_cancer/run.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
BUILD=${1:-build}
OUT=${2:-out/breast_cancer}
CSV=/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv
[ -f "$CSV" ] || { echo "$CSV missing: apt-get install python3-sklearn" >&2; exit 3; }
mkdir -p "$OUT"
python3 - "$CSV" "$OUT" <<'PY'
import csv, random, sys
src, out = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(src)))[1:]
benign = [list(map(float, r[:30])) for r in rows if r[30] == "1"]
malignant = [list(map(float, r[:30])) for r in rows if r[30] == "0"]
random.Random(1).shuffle(benign)
k = int(0.7 * len(benign))
train, held = benign[:k], benign[k:]
row = lambda r: ",".join("%.6g" % v for v in r)
names = ",".join("c%d" % (j + 1) for j in range(30))
open(out + "/train.csv", "w").write(names + "\n" + "".join(row(r) + "\n" for r in train))
open(out + "/score.csv", "w").write(names + ",malignant\n" + "".join(row(r) + ",0\n" for r in held) +
                                    "".join(row(r) + ",1\n" for r in malignant))
print(f"{len(train)} benign training rows; scoring {len(held)} benign + {len(malignant)} malignant")
PY
"$BUILD/examples/trainer/xgrad-vae" train --data "$OUT/train.csv" --distribution gaussian --binarization none \
  --encoder-layers 64 --decoder-layers 64 --latent 4 --epochs 200 --batch-size 25 --progress none --out "$OUT/run" | tail -1
"$BUILD/examples/trainer/xgrad-vae" anomaly --model "$OUT/run/model.xgrad" --data "$OUT/score.csv" \
  --label-column malignant --k 200 --progress none --out "$OUT/anomaly"
# The report's detection table (AUROC and average precision of each score); the whole report, with the ROC
# curves and the most and least typical rows, is $OUT/anomaly/anomaly.md.
sed -n '/^## Detection/,/^!\[ROC/p' "$OUT/anomaly/anomaly.md"
