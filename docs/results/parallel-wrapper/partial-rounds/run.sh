#!/usr/bin/env bash
# Is it the partial last round, or worker 0's odd shard, that unsettles CD-GraB under ParallelWrapper? 4 workers,
# averaging 1, batch units (the source's mini-batches of 16), 3 seeds, 10 epochs, observing on the workers:
#   10,048 images = 628 batches: 157 per worker, every round whole, every shard odd (a lone unit each)
#   10,016 images = 626 batches: 157, 157, 156, 156: the last round has 2 batches, weight 1/2 each instead of 1/4
#   10,000 images = 625 batches: 157, 156, 156, 156: the last round is worker 0's batch alone, weight 1
# Losses only (run beside editing, not timed). About 15 minutes.
# Usage, from the repository root after a build: docs/results/parallel-wrapper/partial-rounds/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../../.."
OUT=docs/results/parallel-wrapper/partial-rounds
export OMP_NUM_THREADS=1
export JAVA_OPTS="${JAVA_OPTS:--Xmx2g -Dorg.bytedeco.javacpp.maxbytes=5G}"
for n in 10048 10016 10000; do
  ./dgrab parallel-wrapper --data-dir /usr/share/datasets/fashion-mnist --limit-train $n --seeds 0,1,2 --epochs 10 \
      --workers 4 --averaging 1 --granularities batch --observers workers --out "$OUT/n$n" > "$OUT/n$n.log" 2>&1
done
