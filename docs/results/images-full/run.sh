#!/usr/bin/env bash
# Issue 22, full: CD-GraB vs D-RR on all 60,000 Fashion-MNIST training images (10,000 test images), LeNet-5,
# 4 workers x batch 16, Nesterov lr 0.01, example-last-layer units, 10 epochs, one process per (config, seed):
#   png-flip    PNG files (./dgrab make-images) read on demand every epoch by DataVec's ImageRecordReader through
#               dgrab's OrderedDataSetIterator, random horizontal flip on every read (cifar10 --images --augment flip)
#   idx-memory  the same images from the IDX files, in memory, DataParallelTrainer (fashion-mnist)
# Writes <config>/seed<S>/metrics.csv and stdout.txt here, and load.txt (uptime before and after each run).
# Two runs at a time (each trains on one thread; OMP_NUM_THREADS=1), so epoch times are not comparable across
# configs; the experiment is about loss and accuracy.
#   DGRAB=/path/to/dgrab docs/results/images-full/run.sh SEED...   (default: 0 1 2)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DGRAB="${DGRAB:-$ROOT/dgrab}"
DATA="${DGRAB_IMAGES_DATA:-$ROOT/runs/images/fashion-png}"
COMMON=(--workers 4 --batch 16 --epochs 10 --orders cd-grab,d-rr --no-chart)
export OMP_NUM_THREADS=1

if [[ ! -d "$DATA/train" ]]; then
    "$DGRAB" make-images --out "$DATA"
fi
run() {  # config seed
    local c=$1 s=$2 d="$OUT/$1/seed$2"
    [[ -f "$d/metrics.csv" ]] && return 0      # done in an earlier session
    mkdir -p "$d.part"
    echo "$c seed $s before: $(uptime) $(git -C "$(dirname "$DGRAB")" rev-parse --short HEAD)" >> "$OUT/load.txt"
    case "$c" in
        png-flip)   "$DGRAB" cifar10 --images "$DATA" --augment flip "${COMMON[@]}" --seeds "$s" --out "$d.part" ;;
        idx-memory) "$DGRAB" fashion-mnist "${COMMON[@]}" --seeds "$s" --out "$d.part" ;;
    esac > "$d.part/stdout.txt" 2>&1
    echo "$c seed $s after: $(uptime)" >> "$OUT/load.txt"
    rm -rf "$d" && mv "$d.part" "$d"
}
for s in "${@:-0 1 2}"; do
  for seed in $s; do
    run png-flip "$seed" & run idx-memory "$seed" & wait
  done
done
