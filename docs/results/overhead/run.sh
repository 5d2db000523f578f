#!/usr/bin/env bash
# Issue 26 measurements, in the order they were run (docs/benchmarks.md, "Epoch-time overhead (issue 26)").
# BASE: a checkout of 905bc15 built with `mvn -B -q -o package -DskipTests` (never install), e.g.
#   git worktree add /tmp/base905 905bc15 && (cd /tmp/base905 && mvn -B -q -o package -DskipTests)
# Every run saves `uptime` before and after in its directory (load.txt); dgrab cost --compare-to also writes the
# load average of every child run to its own load.txt.
set -euo pipefail
cd "$(dirname "$0")/../../.."
BASE=${BASE:-/tmp/base905}
R=docs/results/overhead
what=${1:-all}

# The issue's MLP configuration with 2,048 instead of 8,192 images and 3 epochs instead of 4: under the load of this
# session (10-17 on 2 cores) an 8,192-image epoch took 4-10 s and one --compare-to round about 35 minutes.
mlp=(--model mlp --workers 4 --batch 16 --limit-train 2048 --epochs 3 --granularities batch,example-last-layer)

if [[ $what == all || $what == compare-mlp ]]; then
  # Before/after: this build against 905bc15, alternating, 10 repeats per run, 2 rounds.
  uptime > $R/load-compare-mlp.txt
  OMP_NUM_THREADS=1 ./dgrab cost "${mlp[@]}" --repeats 10 --compare-to "$BASE" --rounds 2 --out $R/compare-mlp \
    | tee $R/compare-mlp.txt
  uptime >> $R/load-compare-mlp.txt
fi
if [[ $what == all || $what == threads ]]; then
  # The 2-core question: ordering on the training thread (--sync-ordering), and ND4J on 2 OpenMP threads.
  for v in sync omp2; do
    uptime > $R/load-$v.txt
    if [[ $v == sync ]]; then
      OMP_NUM_THREADS=1 ./dgrab cost "${mlp[@]}" --repeats 10 --sync-ordering --out $R/mlp-$v | tee $R/mlp-$v.txt
    else
      OMP_NUM_THREADS=2 ./dgrab cost "${mlp[@]}" --repeats 10 --out $R/mlp-$v | tee $R/mlp-$v.txt
    fi
    uptime >> $R/load-$v.txt
  done
fi
if [[ $what == all || $what == compare-mlp-8192 ]]; then
  # The issue's configuration exactly (8,192 images, 4 epochs), once the load had dropped.
  uptime > $R/load-compare-mlp-8192.txt
  OMP_NUM_THREADS=1 ./dgrab cost --model mlp --workers 4 --batch 16 --limit-train 8192 --epochs 4 --repeats 10 \
    --granularities batch,example-last-layer --compare-to "$BASE" --rounds 2 --out $R/compare-mlp-8192 \
    | tee $R/compare-mlp-8192.txt
  uptime >> $R/load-compare-mlp-8192.txt
fi
if [[ $what == all || $what == compare-main-8192 ]]; then
  # This branch against main's library code (MAIN: 8432080's dgrab-core and dgrab-dl4j classes with this branch's
  # CostCommand, so that both record CPU time), last-layer units only: is the gap to 905bc15 main's or this branch's?
  MAIN=${MAIN:-/tmp/wt26-snap}
  uptime > $R/load-compare-main-8192.txt
  OMP_NUM_THREADS=1 ./dgrab cost --model mlp --workers 4 --batch 16 --limit-train 8192 --epochs 4 --repeats 10 \
    --granularities example-last-layer --compare-to "$MAIN" --rounds 2 --out $R/compare-main-8192 \
    | tee $R/compare-main-8192.txt
  uptime >> $R/load-compare-main-8192.txt
fi
if [[ $what == all || $what == compare-lenet ]]; then
  uptime > $R/load-compare-lenet.txt
  OMP_NUM_THREADS=1 ./dgrab cost --model lenet --workers 4 --batch 16 --limit-train 1024 --epochs 2 --repeats 10 \
    --granularities batch,example-last-layer --compare-to "$BASE" --rounds 1 --out $R/compare-lenet \
    | tee $R/compare-lenet.txt
  uptime >> $R/load-compare-lenet.txt
fi
