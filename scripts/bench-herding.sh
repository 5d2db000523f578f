#!/usr/bin/env bash
# Benchmark 1 of docs/benchmarks.md: the CD-GraB paper's random-vector herding experiment in its five
# (per-worker m, workers n) configurations, d = 16. Writes docs/results/herding/m<M>-n<N>/{herding.csv,herding.png}
# and a summary table docs/results/herding/summary.csv (bounds after the last round).
# Usage: scripts/bench-herding.sh [ROUNDS] [SEED]   (defaults: 10 rounds, seed 0; about 10 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS="${1:-10}"
SEED="${2:-0}"
OUT=docs/results/herding
mkdir -p "$OUT"
summary="$OUT/summary.csv"
echo "per_worker,workers,rounds,seed,cd-grab,d-rr,id-grab-mean,id-grab-pair" > "$summary.tmp"
for cfg in "200000 5" "100000 10" "50000 20" "20000 50" "10000 100"; do
    set -- $cfg
    m=$1
    n=$2
    dir="$OUT/m$m-n$n"
    line=$(JAVA_OPTS="${JAVA_OPTS:--Xmx6g}" ./dgrab herding --dim 16 --workers "$n" --per-worker "$m" --rounds "$ROUNDS" \
        --seed "$SEED" --out "$dir" | tail -n 1)
    echo "m=$m n=$n: $line" >&2
    # "herding cd-grab=v d-rr=v id-grab-mean=v id-grab-pair=v" -> CSV values in that order
    vals=$(echo "$line" | sed -E 's/^herding //; s/[a-z-]+=//g; s/ /,/g')
    echo "$m,$n,$ROUNDS,$SEED,$vals" >> "$summary.tmp"
done
mv "$summary.tmp" "$summary"
cat "$summary"
