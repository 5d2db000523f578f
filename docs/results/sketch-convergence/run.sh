#!/usr/bin/env bash
# Issue 13, the price of sketching in convergence: CD-GraB balancing count-sketches of K values (--sketch K) instead
# of whole gradients, K = 64, 256, 1024, on the setting of docs/results/recursive-convergence (Fashion-MNIST MLP,
# 60k images, n = 4 x 16, Nesterovs lr 0.01, seeds 0-2, 10 epochs), batch and example-last-layer units. The
# whole-gradient CD-GraB runs are those of docs/results/recursive-convergence (same seeds, same initial networks:
# epoch 1, which no gradient has shaped yet, is bit-identical across the runs, which summary.py checks).
# Usage: docs/results/sketch-convergence/run.sh [OUT_BASE] [MODEL] [EXTRA ARGS...]
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT="${1:-docs/results/sketch-convergence}"
MODEL="${2:-mlp}"
shift 2 || shift $#
export OMP_NUM_THREADS=1
# Several JVMs side by side: a small heap makes the GC free ND4J's off-heap buffers early (without it two runs
# and a build exceeded 24 GiB and one run was killed by the kernel).
export JAVA_OPTS="${JAVA_OPTS:--Xmx2g -Dorg.bytedeco.javacpp.maxbytes=5G}"
for g in batch example-last-layer; do
    for k in 64 256 1024; do
        ./dgrab fashion-mnist --model "$MODEL" --granularity "$g" --orders cd-grab --sketch "$k" --seeds 0,1,2 \
            --epochs 10 "$@" --out "$OUT/fmnist-$MODEL-$g-k$k" > "$OUT/fmnist-$MODEL-$g-k$k.log" 2>&1
    done
done
