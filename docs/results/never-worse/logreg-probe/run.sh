#!/usr/bin/env bash
# Why CD-GraB ends above D-RR with logreg's old defaults on breast_cancer (issue 24, never worse): the same 5 seeds
# and 10 epochs with one option changed at a time. D names scikit-learn's data folder (see benchmarks.md).
set -euo pipefail
OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$OUT/../../../.." && pwd)"
D="${D:-/tmp/sklearn/usr/lib/python3/dist-packages/sklearn/datasets/data}"
export OMP_NUM_THREADS=1
run() { "$ROOT/dgrab" logreg --csv "$D/breast_cancer.csv" --skip-lines 1 --seeds 0,1,2,3,4 --no-chart "$@"; }
# the old defaults (--granularity example-last-layer, now given explicitly), with two more orderings
run --granularity example-last-layer --orders cd-grab,d-rr,cd-grab-recursive,shuffle-once --out "$OUT/default"
for cfg in "b4:--batch 4" "w1:--workers 1" "lr05:--lr 0.05"; do
    name=${cfg%%:*}; read -r -a opts <<< "${cfg#*:}"
    echo "$name $(run --granularity example-last-layer --orders cd-grab,d-rr "${opts[@]}" --out "$OUT/$name" | grep summary)"
done > "$OUT/probe.txt"
echo "batch $(run --granularity batch --orders cd-grab,d-rr --out "$OUT/batch" | grep summary)" >> "$OUT/probe.txt"
