#!/bin/bash
# A/B: cost overhead before the trainer split (b07e8c2) and now, interleaved, 2 rounds of 8 runs each.
C="cost --model mlp --workers 4 --batch 16 --limit-train 4096 --epochs 4 --repeats 8 --granularities batch,example-last-layer"
for r in 1 2; do
  uptime
  (cd /tmp/jd-old && OMP_NUM_THREADS=1 DGRAB_SKIP_BUILD=1 ./dgrab $C --out docs/results/cost/refactor-ab/old-$r 2>/dev/null | tail -1 | sed "s/^/old-$r /")
  uptime
  (cd /work/main && OMP_NUM_THREADS=1 DGRAB_SKIP_BUILD=1 ./dgrab $C --out docs/results/cost/refactor-ab/new-$r 2>/dev/null | tail -1 | sed "s/^/new-$r /")
done
uptime
