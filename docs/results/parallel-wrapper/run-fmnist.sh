#!/usr/bin/env bash
# Issue 9, ParallelWrapper on Fashion-MNIST (the Debian package's IDX files; the first 10,000 training images, all
# 10,000 test images): MLP 784-128-10, plain SGD lr 0.05, 16 examples per worker batch, 10 epochs, seeds 0-2.
#  1. observer A/B at batch units with averaging 1 (the configuration that missed the 5 % target): CD-GraB observing
#     on dgrab's observer thread and on the workers, D-RR, interleaved per seed;
#  2. the grid: 2 and 4 workers, averaging 1 and 5, batch and example-last-layer units, CD-GraB (observer thread,
#     the default) against D-RR.
# Usage: docs/results/parallel-wrapper/run-fmnist.sh [OUT_BASE]
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT="${1:-docs/results/parallel-wrapper}"
export OMP_NUM_THREADS=1
export JAVA_OPTS="${JAVA_OPTS:--Xmx2g -Dorg.bytedeco.javacpp.maxbytes=5G}"
DATA=(--data-dir /usr/share/datasets/fashion-mnist --limit-train 10000 --seeds 0,1,2 --epochs 10)
./dgrab parallel-wrapper "${DATA[@]}" --workers 2,4 --averaging 1 --granularities batch --observers thread,workers \
    --out "$OUT/fmnist-10k-observer-ab" > "$OUT/fmnist-10k-observer-ab.log" 2>&1
./dgrab parallel-wrapper "${DATA[@]}" --workers 2,4 --averaging 1,5 --granularities batch,example-last-layer \
    --out "$OUT/fmnist-10k" > "$OUT/fmnist-10k.log" 2>&1
# 3. (eighth session) the epoch-time overhead on the otherwise idle machine: averaging 1, both unit kinds, observing
#    on the workers (the default), CD-GraB and D-RR alternating per configuration and seed.
./dgrab parallel-wrapper "${DATA[@]}" --workers 2,4 --averaging 1 --granularities batch,example-last-layer \
    --observers workers --out "$OUT/fmnist-10k-overhead-quiet" > "$OUT/fmnist-10k-overhead-quiet.log" 2>&1
# 4. (ninth session) the whole grid again with the runs of one configuration and seed side by side in one JVM,
#    taking turns epoch by epoch (paired epoch times), and the time spent in dgrab's listener per epoch; averaging 1
#    with both observer modes, averaging 5 observing on the workers. About 43 minutes on the idle machine.
./dgrab parallel-wrapper "${DATA[@]}" --workers 2,4 --averaging 1 --granularities batch,example-last-layer \
    --observers workers,thread --out "$OUT/fmnist-10k-interleaved-a1" > "$OUT/fmnist-10k-interleaved-a1.log" 2>&1
./dgrab parallel-wrapper "${DATA[@]}" --workers 2,4 --averaging 5 --granularities batch,example-last-layer \
    --observers workers --out "$OUT/fmnist-10k-interleaved-a5" > "$OUT/fmnist-10k-interleaved-a5.log" 2>&1
# 5. (tenth session) The same grid on the first 9,984 images (624 mini-batches of 16), so that every worker has the
#    same number of batches and no epoch ends in a partial round (10,000 images give 625 batches: with 4 workers the
#    last round is worker 0's batch alone, averaged with weight 1 instead of 1/4; see pw-rounds/). Losses only: the
#    machine was busy with builds, so its epoch times are not used. About 25 minutes.
DATA_WHOLE=(--data-dir /usr/share/datasets/fashion-mnist --limit-train 9984 --seeds 0,1,2 --epochs 10)
./dgrab parallel-wrapper "${DATA_WHOLE[@]}" --workers 2,4 --averaging 1 --granularities batch,example-last-layer \
    --observers workers --out "$OUT/fmnist-9984-a1" > "$OUT/fmnist-9984-a1.log" 2>&1
./dgrab parallel-wrapper "${DATA_WHOLE[@]}" --workers 2,4 --averaging 5 --granularities batch,example-last-layer \
    --observers workers --out "$OUT/fmnist-9984-a5" > "$OUT/fmnist-9984-a5.log" 2>&1
