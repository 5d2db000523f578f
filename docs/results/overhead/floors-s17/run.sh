#!/usr/bin/env bash
# Issue 26, seventeenth session: the cost floors at the issue's MLP configuration, ROUNDS rounds of 10 repeats,
# batch units, nothing else running. Summary: paired.py over OUT/round*/cost.csv (see benchmarks.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
OUT=$1; R=$2
mkdir -p "$OUT"
for r in $(seq 1 "$R"); do
  echo "round $r before: $(cat /proc/loadavg)" >> "$OUT/load.txt"
  OMP_NUM_THREADS=1 "$ROOT/dgrab" cost --model mlp --workers 4 --batch 16 --limit-train 8192 --epochs 4 --repeats 10 \
      --granularities batch --floors --out "$OUT/round$r" > "$OUT/round$r.stdout" 2>/dev/null
  echo "round $r after: $(cat /proc/loadavg)" >> "$OUT/load.txt"
done
