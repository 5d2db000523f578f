#!/usr/bin/env bash
# Issue 24, never worse than shuffling: ParallelWrapper on the bundled 3,000-image Fashion-MNIST sample
# (the command's defaults otherwise: MLP 784-128-10, SGD lr 0.05, 16 per worker, 10 epochs), seeds 0-4.
# Run from the repository root after a build; losses only (the machine was shared, see load.txt).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
D=docs/results/never-worse/parallel-wrapper
{ date -u; uptime; } > $D/load.txt
OMP_NUM_THREADS=1 ./dgrab parallel-wrapper --workers 2,4 --averaging 1 --granularities batch,example-last-layer \
    --seeds 0,1,2,3,4 --epochs 10 --out $D/a1 > $D/a1.stdout 2> $D/a1.log
{ echo "after a1:"; date -u; uptime; } >> $D/load.txt
OMP_NUM_THREADS=1 ./dgrab parallel-wrapper --workers 2,4 --averaging 5 --granularities batch \
    --seeds 0,1,2,3,4 --epochs 10 --out $D/a5 > $D/a5.stdout 2> $D/a5.log
{ echo "after a5:"; date -u; uptime; } >> $D/load.txt
python3 scripts/summarize-parallel-wrapper.py $D/a1/parallel-wrapper.csv > $D/summary-a1.md
python3 scripts/summarize-never-worse.py $D/a1/parallel-wrapper.csv > $D/never-worse-a1.md
python3 scripts/summarize-parallel-wrapper.py $D/a5/parallel-wrapper.csv > $D/summary-a5.md
python3 scripts/summarize-never-worse.py $D/a5/parallel-wrapper.csv > $D/never-worse-a5.md
