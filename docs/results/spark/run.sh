#!/usr/bin/env bash
# Issue 10 benchmark (not run yet: the session that wrote it shared 2 cores with other benchmarks, which would
# distort every time). Run on an otherwise idle machine with at least 4 cores, from the repository root:
#   docs/results/spark/run.sh            # writes docs/results/spark/{w1,w5}/ and dpt/
# What it measures (docs/benchmarks.md, "Spark"):
#   - local[4], Fashion-MNIST MLP (first 59,904 images: whole batches in every shard, as W > 1 needs), 4 workers x batch 16, plain SGD lr 0.05, 3 seeds, 10 epochs,
#     averaging frequency W = 1 and W = 5: CD-GraB vs D-RR final train loss (metrics.csv, summary line);
#   - per-step time against DataParallelTrainer (the fashion-mnist command with the same model and options);
#   - ordering bytes per epoch and the driver's ordering share of the epoch time (spark.csv).
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=docs/results/spark
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
export OMP_NUM_THREADS=1 SPARK_LOCAL_IP=127.0.0.1
COMMON=(--data-dir "$DATA" --limit-train 59904 --workers 4 --batch 16 --lr 0.05 --optimizer sgd --model mlp --epochs 10
        --seeds 0,1,2 --orders cd-grab,d-rr --granularity batch)
for w in 1 5; do
    ./dgrab spark --master 'local[4]' --averaging-frequency "$w" "${COMMON[@]}" --out "$OUT/w$w" \
        | tee "$OUT/w$w.log"
done
# The in-process reference: DataParallelTrainer, same model, shards and orders (W = 1 equivalent).
./dgrab fashion-mnist "${COMMON[@]}" --out "$OUT/dpt" | tee "$OUT/dpt.log"
python3 - "$OUT" <<'PY'
import csv, sys, statistics as st
out = sys.argv[1]
steps = 59904 // (4 * 16)
for run in ("w1", "w5", "dpt"):
    rows = list(csv.DictReader(open(f"{out}/{run}/metrics.csv")))
    for order in ("cd-grab", "d-rr"):
        last = [float(r["train_loss"]) for r in rows if r["order"] == order and r["epoch"] == "10"]
        secs = [float(r["epoch_seconds"]) for r in rows if r["order"] == order and r["epoch"] != "0"]
        ords = [float(r["ordering_seconds"]) for r in rows if r["order"] == order and r["epoch"] != "0"]
        print(f"{run} {order}: final train loss {st.mean(last):.4f} (seeds {', '.join(f'{x:.4f}' for x in last)}), "
              f"{1000 * st.median(secs) / steps:.1f} ms/step, ordering {100 * st.mean(ords) / st.mean(secs):.2f} % of the epoch")
    if run != "dpt":
        sp = [r for r in csv.DictReader(open(f"{out}/{run}/spark.csv")) if r["order"] == "cd-grab"]
        b = st.mean(int(r["report_bytes"]) + int(r["order_bytes"]) for r in sp)
        print(f"{run} cd-grab: {b / 1e6:.2f} MB ordering traffic per epoch, {sp[0]['jobs']} Spark jobs per epoch")
PY
