#!/usr/bin/env bash
# Never worse than shuffling (issue 24), the training commands' defaults not measured before, 5 seeds each,
# CD-GraB vs D-RR only (the commands' default --orders also run the ID-GraB variants):
#   spark   ./dgrab spark's defaults (bundled 3,000-image sample, MLP, 4 workers x 16, SGD lr 0.05, batch units,
#           averaging 1, the default sketch: 1 % of a gradient's bytes), local[4]
#   lenet   ./dgrab fashion-mnist's defaults (LeNet-5, 4 workers x 16, Nesterov lr 0.01, last-layer units) on the
#           first 8,000 training / 2,000 test images (all 60,000 take about 15 min per run here)
#   lm      ./dgrab lm on the King James Bible as in benchmarks.md (600 sequences), seeds 3 and 4 (0-2 were run
#           before with identical options: docs/results/lm/kjv-600-s3)
#   lenet34 the same, seeds 3 and 4 only (seeds 0-2 are docs/results/convergence/fmnist-lenet-8k-example-last-layer)
# Usage: run.sh [spark] [lenet] [lenet34] [lm]    DGRAB names the launcher (default: ./dgrab of this checkout).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DGRAB="${DGRAB:-$ROOT/dgrab}"
export OMP_NUM_THREADS=1
for what in "$@"; do
    echo "$what start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> "$OUT/load.txt"
    case "$what" in
        spark) "$DGRAB" spark --seeds 0,1,2,3,4 --orders cd-grab,d-rr --no-chart --out "$OUT/spark" ;;
        lenet) "$DGRAB" fashion-mnist --seeds 0,1,2,3,4 --orders cd-grab,d-rr --limit-train 8000 --limit-test 2000 \
                   --no-chart --out "$OUT/lenet-8k" ;;
        lenet34) "$DGRAB" fashion-mnist --seeds 3,4 --orders cd-grab,d-rr --limit-train 8000 --limit-test 2000 \
                   --no-chart --out "$OUT/lenet-8k-s34" ;;   # seeds 0-2: docs/results/convergence (commit aeed560)
        lm) JAVA_OPTS=-Xmx2g "$DGRAB" lm --data-dir /tmp/kjv --limit-train 600 --limit-test 300 --vocab-limit 2000 \
                --epochs 10 --seeds 3,4 --orders cd-grab,d-rr --no-chart --out "$OUT/lm-kjv-600-s34" ;;
        *) echo "unknown: $what" >&2; exit 2 ;;
    esac > "$OUT/$what.stdout" 2> "$OUT/$what.log"
    echo "$what end $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> "$OUT/load.txt"
done
