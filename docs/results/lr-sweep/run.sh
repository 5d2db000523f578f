#!/usr/bin/env bash
# Learning rates (issue 24): LeNet-5 on Fashion-MNIST (first 4,096 training images, first 2,000 test images),
# 16 workers x batch 4, the command's default optimizer (Nesterov momentum 0.9), 10 epochs, seeds 0-2, CD-GraB vs
# D-RR, one learning rate per call. Usage: run.sh LR [LR...]   (here: run.sh 0.1 0.0125 & run.sh 0.05 0.025 &)
# lr 0.2 diverged on the first 8,000 images in epoch 1 (loss 2.306, chance level), so 0.1 is the top rate;
# diverged-8k/ keeps that log and the abandoned 8,000-image lr 0.1 run's first epochs (too slow beside other jobs).
# DGRAB names the launcher (default: ./dgrab of this checkout).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DGRAB="${DGRAB:-$ROOT/dgrab}"
export OMP_NUM_THREADS=1
for lr in "$@"; do
    echo "lr $lr start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> "$OUT/load.txt"
    "$DGRAB" fashion-mnist --model lenet --workers 16 --batch 4 --lr "$lr" --epochs 10 --limit-train 4096 \
        --limit-test 2000         --seeds 0,1,2 --orders cd-grab,d-rr --no-chart --out "$OUT/lr$lr" > "$OUT/lr$lr.stdout" 2> "$OUT/lr$lr.log"
    echo "lr $lr end $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> "$OUT/load.txt"
done
