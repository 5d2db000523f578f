#!/usr/bin/env python3
"""Summarises a dgrab metrics.csv (order,seed,epoch,train_loss,test_loss,test_metric,...) as a Markdown table.

Usage: scripts/summarize-metrics.py METRICS_CSV [--label TEXT] [--metric accuracy|perplexity] [--reference ORDER]
                                    [--mid EPOCH]

Per ordering: mean over seeds of the train loss at epoch --mid (default: half the last epoch) and at the last epoch,
the per-seed final train losses, the mean final test metric, and the first epoch at which the ordering's mean train
loss is at or below the reference ordering's (default d-rr) mean final train loss ("-" if never).
Used for the tables in docs/benchmarks.md; needs only the Python standard library.
"""
import argparse
import csv
import statistics
from collections import defaultdict


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("csv")
    p.add_argument("--label", default="", help="text for the first column")
    p.add_argument("--metric", default="accuracy", help="name of test_metric in the header")
    p.add_argument("--reference", default="d-rr")
    p.add_argument("--mid", type=int, default=None)
    a = p.parse_args()

    rows = list(csv.DictReader(open(a.csv)))
    if not rows:
        raise SystemExit(f"{a.csv}: no rows")
    orders = []
    loss = defaultdict(lambda: defaultdict(dict))   # order -> epoch -> seed -> train loss
    metric = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        o = r["order"]
        if o not in orders:
            orders.append(o)
        e, s = int(r["epoch"]), int(r["seed"])
        loss[o][e][s] = float(r["train_loss"])
        metric[o][e][s] = float(r["test_metric"])
    last = max(int(r["epoch"]) for r in rows)
    mid = a.mid if a.mid is not None else last // 2

    def mean(d):
        return statistics.fmean(d.values())

    if a.reference not in loss:
        raise SystemExit(f"{a.csv}: reference ordering {a.reference} missing (orders: {', '.join(orders)})")
    target = mean(loss[a.reference][last])
    seeds = sorted(loss[orders[0]][last])
    print(f"| {a.label or 'run'} | ordering | train loss, epoch {mid} | train loss, epoch {last} "
          f"| per seed ({', '.join(map(str, seeds))}) | test {a.metric}, epoch {last} "
          f"| epochs to {a.reference}'s final loss |")
    print("|---|---|---:|---:|---|---:|---:|")
    for o in orders:
        reach = next((e for e in range(1, last + 1) if mean(loss[o][e]) <= target), None)
        per_seed = " / ".join(f"{loss[o][last][s]:.4f}" for s in seeds)
        print(f"| {a.label} | {o} | {mean(loss[o][mid]):.4f} | {mean(loss[o][last]):.4f} | {per_seed} "
              f"| {mean(metric[o][last]):.4f} | {reach if reach is not None else '-'} |")


if __name__ == "__main__":
    main()
