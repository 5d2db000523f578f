#!/usr/bin/env python3
"""Merges fashion-mnist's default LeNet-5 runs on 8,000 images into lenet-8k-5-seeds.csv: seeds 0-2 from
docs/results/convergence/fmnist-lenet-8k-example-last-layer (commit aeed560, whose CSV has no cumulative_seconds:
it is summed here from epoch_seconds) and seeds 3-4 from lenet-8k-s34 (this run). cd-grab and d-rr only."""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OLD = os.path.join(HERE, "../../convergence/fmnist-lenet-8k-example-last-layer/metrics.csv")
NEW = os.path.join(HERE, "lenet-8k-s34/metrics.csv")
COLS = ["order", "seed", "epoch", "train_loss", "test_loss", "test_metric", "epoch_seconds", "ordering_seconds",
        "cumulative_seconds"]
rows, total = [], {}
for r in csv.DictReader(open(OLD)):
    if r["order"] in ("cd-grab", "d-rr"):
        key = (r["order"], r["seed"])
        total[key] = total.get(key, 0.0) + float(r["epoch_seconds"])
        rows.append({**r, "cumulative_seconds": "%.4f" % total[key]})
rows += [r for r in csv.DictReader(open(NEW)) if r["order"] in ("cd-grab", "d-rr")]
tmp = os.path.join(HERE, "lenet-8k-5-seeds.csv.tmp")
with open(tmp, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(COLS)
    for r in rows:
        w.writerow([r[c] for c in COLS])
os.replace(tmp, os.path.join(HERE, "lenet-8k-5-seeds.csv"))
