#!/usr/bin/env python3
"""Overhead of each ordering over the baseline in a dgrab cost.csv, with a bootstrap interval over runs.

Usage: scripts/cost-interval.py COST_CSV [--baseline d-rr] [--resamples 2000] [--seed 0]

For each granularity and ordering: the median epoch time (warm-up epoch 0 left out) over the baseline's median,
in percent, and a 95 % percentile bootstrap interval that resamples whole runs (repeats), which keeps the epochs
of one run together. Needs only the Python standard library.
"""
import argparse
import csv
import random
import statistics
from collections import defaultdict


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("csv")
    p.add_argument("--baseline", default="d-rr")
    p.add_argument("--resamples", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()

    times = defaultdict(list)  # (granularity, order, repeat) -> epoch seconds
    for r in csv.DictReader(open(a.csv)):
        if r["epoch"] != "0":
            times[(r["granularity"], r["order"], int(r["repeat"]))].append(float(r["epoch_seconds"]))
    if not times:
        raise SystemExit(f"{a.csv}: no measured epochs")
    rng = random.Random(a.seed)
    print("| Granularity | Order | Overhead (median) | 95 % bootstrap interval | Runs |")
    print("|---|---|---:|---|---:|")
    for g in sorted({k[0] for k in times}):
        orders = sorted({k[1] for k in times if k[0] == g and k[1] != a.baseline})
        reps = sorted({k[2] for k in times if k[0] == g})

        def overhead(order, runs):
            base = [t for r in runs for t in times[(g, a.baseline, r)]]
            other = [t for r in runs for t in times[(g, order, r)]]
            return 100.0 * (statistics.median(other) / statistics.median(base) - 1.0)

        for o in orders:
            boots = sorted(overhead(o, [rng.choice(reps) for _ in reps]) for _ in range(a.resamples))
            lo = boots[int(0.025 * len(boots))]
            hi = boots[int(0.975 * len(boots)) - 1]
            print(f"| {g} | {o} | {overhead(o, reps):+.1f} % | [{lo:+.1f} %, {hi:+.1f} %] | {len(reps)} |")


if __name__ == "__main__":
    main()
