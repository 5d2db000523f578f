#!/usr/bin/env bash
# Issue 10 benchmark, from the repository root:   docs/results/spark/run.sh
# writes docs/results/spark/{w1,w5,dpt}/seed<S>/ (metrics.csv, spark.csv, logs) and prints the summary (summary.py).
# What it measures (docs/benchmarks.md, "Spark"):
#   - local[4], Fashion-MNIST MLP (first 9,984 images: whole batches in every shard, as W > 1 needs), 4 workers x
#     batch 16, plain SGD lr 0.05, 3 seeds, 10 epochs, averaging frequency W = 1 and W = 5: CD-GraB vs D-RR final
#     train loss (metrics.csv);
#   - per-step time against DataParallelTrainer (the fashion-mnist command with the same model and options);
#   - ordering bytes per epoch and the driver's ordering share of the epoch time (spark.csv);
#   - DataParallelTrainer's CD-GraB with Spark's default sketch (k = 1,011), to tell the sketch's price from Spark's.
# The three runs of a seed follow each other (seed outer loop), so a busy machine slows all three alike.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=${OUT:-docs/results/spark}
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
export OMP_NUM_THREADS=1 SPARK_LOCAL_IP=127.0.0.1
mkdir -p "$OUT/w1" "$OUT/w5" "$OUT/dpt"
COMMON=(--data-dir "$DATA" --limit-train 9984 --workers 4 --batch 16 --lr 0.05 --optimizer sgd --model mlp --epochs 10
        --granularity batch)
BOTH=(--orders cd-grab,d-rr)
for seed in 0 1 2; do
    for w in 1 5; do
        ./dgrab spark --master 'local[4]' --averaging-frequency "$w" "${COMMON[@]}" "${BOTH[@]}" --seeds "$seed" \
            --out "$OUT/w$w/seed$seed" > "$OUT/w$w/seed$seed.log" 2>&1
    done
    # The in-process reference: DataParallelTrainer, same model, shards and orders (W = 1 equivalent).
    ./dgrab fashion-mnist "${COMMON[@]}" "${BOTH[@]}" --seeds "$seed" --out "$OUT/dpt/seed$seed" > "$OUT/dpt/seed$seed.log" 2>&1
done
# What the sketch alone costs: DataParallelTrainer's CD-GraB balancing the sketch Spark uses by default (k = 1,011).
./dgrab fashion-mnist "${COMMON[@]}" --orders cd-grab --seeds 0,1,2 --sketch 1011 --out "$OUT/dpt-sketch1011" \
    > "$OUT/dpt-sketch1011.log" 2>&1
python3 "$(dirname "$0")/summary.py" "$OUT"
