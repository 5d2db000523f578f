#!/usr/bin/env bash
# Issue 22, reduced: CD-GraB vs D-RR on Fashion-MNIST's first 10,000 training images (all 10,000 test images),
# LeNet-5, 4 workers x batch 16, Nesterov lr 0.01, example-last-layer units, seeds 0,1,2, 5 epochs:
#   png-flip    PNG files (./dgrab make-images) read on demand every epoch by DataVec's ImageRecordReader through
#               dgrab's OrderedDataSetIterator, random horizontal flip on every read (cifar10 --images --augment flip)
#   idx-memory  the same images from the IDX files, in memory, DataParallelTrainer (fashion-mnist --limit-train)
# Writes <config>/metrics.csv and <config>/stdout.txt here, and load.txt (uptime before and after each run).
# Needs the IDX files in /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist).
# The issue's full run: the same two commands with make-images without --limit-train, without --limit-train in
# fashion-mnist, and --epochs 10.
#   docs/results/images/run.sh [CONFIG...]   (default: png-flip idx-memory)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA="${DGRAB_IMAGES_DATA:-$ROOT/runs/images/fashion-png-10k}"
COMMON=(--workers 4 --batch 16 --seeds 0,1,2 --epochs 5 --orders cd-grab,d-rr --no-chart)
export OMP_NUM_THREADS=1

if [[ ! -d "$DATA/train" ]]; then
    "$ROOT/dgrab" make-images --out "$DATA" --limit-train 10000
fi
for config in "${@:-png-flip idx-memory}"; do
  for c in $config; do
    mkdir -p "$OUT/$c"
    echo "$c before: $(uptime)" >> "$OUT/load.txt"
    case "$c" in
        png-flip)   "$ROOT/dgrab" cifar10 --images "$DATA" --augment flip "${COMMON[@]}" --out "$OUT/$c" ;;
        png-none)   "$ROOT/dgrab" cifar10 --images "$DATA" "${COMMON[@]}" --out "$OUT/$c" ;;
        idx-memory) "$ROOT/dgrab" fashion-mnist --limit-train 10000 "${COMMON[@]}" --out "$OUT/$c" ;;
        *) echo "unknown config $c" >&2; exit 2 ;;
    esac > "$OUT/$c/stdout.txt"
    echo "$c after: $(uptime)" >> "$OUT/load.txt"
  done
done
