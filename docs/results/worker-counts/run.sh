#!/usr/bin/env bash
# Worker counts at the same total batch (issue 24): the demo's task (MLP 784-128-10 on the bundled 3,000-image
# Fashion-MNIST sample, SGD lr 0.05, example-last-layer units, 10 epochs) with 4 x 16, 16 x 4 and 64 x 1 workers x
# batch, CD-GraB vs D-RR vs ID-GraB (pair balancing per worker), seeds 0-4. One ./dgrab demo per worker count,
# its stdout beside its metrics.csv; load averages in load.txt.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
: > "$HERE/load.txt"
for wb in 4x16 16x4 64x1; do
    w=${wb%x*}; b=${wb#*x}
    echo "$(date -u +%FT%TZ) $wb start: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$HERE/load.txt"
    "$ROOT/dgrab" demo --workers "$w" --batch "$b" --seeds 0,1,2,3,4 --orders cd-grab,d-rr,id-grab-pair \
        --out "$HERE/w$w-b$b" > "$HERE/w$w-b$b.stdout"
    echo "$(date -u +%FT%TZ) $wb end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$HERE/load.txt"
done
