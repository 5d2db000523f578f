#!/usr/bin/env bash
# Herding bound of cd-grab-recursive per tree depth against CD-GraB (issue 13): the paper's random-vector setting,
# d = 16, 10 rounds, seed 0, n x m = 10^6 vectors for n = 5, 10, 50, 100 workers. Writes n<N>/herding.csv here and
# prints each run's summary line. About 1 to 1.5 minutes per configuration on the shared 2-core machine.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
export OMP_NUM_THREADS=1
for cfg in 5:200000 10:100000 50:20000 100:10000; do
    n="${cfg%%:*}"
    m="${cfg##*:}"
    "$ROOT/dgrab" herding --dim 16 --workers "$n" --per-worker "$m" --rounds 10 --seed 0 \
        --orders cd-grab,cd-grab-recursive --depths 0,1,2,3,4,6,8 --no-chart --out "$HERE/n$n" | tail -1
done
