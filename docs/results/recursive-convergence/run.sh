#!/usr/bin/env bash
# Issue 13, convergence: cd-grab-recursive (default depth 6) against cd-grab and d-rr on Fashion-MNIST, n = 4
# workers x 16, Nesterovs lr 0.01, 3 seeds, 10 epochs (the first 3 epochs are the 3-epoch runs: the learning rate is
# constant and no ordering knows the number of epochs), batch and example-last-layer units, MLP on all 60k images,
# LeNet-5 on the first 8k (as in docs/benchmarks.md, Convergence). Two lanes run side by side on 2 cores.
# Usage: docs/results/recursive-convergence/run.sh [OUT_BASE]   (default: docs/results/recursive-convergence)
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT="${1:-docs/results/recursive-convergence}"
export OMP_NUM_THREADS=1
# Several JVMs side by side: a small heap makes the GC free ND4J's off-heap buffers early (without it two runs
# and a build exceeded 24 GiB and one run was killed by the kernel).
export JAVA_OPTS="${JAVA_OPTS:--Xmx2g -Dorg.bytedeco.javacpp.maxbytes=5G}"
ORDERS=cd-grab-recursive,cd-grab,d-rr
run() { # model granularity extra-args...
    local model=$1 g=$2; shift 2
    ./dgrab fashion-mnist --model "$model" --granularity "$g" --orders "$ORDERS" --seeds 0,1,2 --epochs 10 \
        "$@" --out "$OUT/fmnist-$model-$g" > "$OUT/fmnist-$model-$g.log" 2>&1
}
( run mlp batch; run lenet batch --limit-train 8000 --limit-test 2000 ) &
( run mlp example-last-layer; run lenet example-last-layer --limit-train 8000 --limit-test 2000 ) &
wait
