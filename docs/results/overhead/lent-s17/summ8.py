#!/usr/bin/env python3
"""Summarises Probe8's out.txt files (one or more; usage: summ8.py OUT.txt...): for every trainer, each epoch's measures over the D-RR epoch of the same JVM and
epoch (all trainers of one epoch ran back to back), pooled over all JVMs and epochs; median with a bootstrap 95 %
interval (2,000 resamples, fixed seed). Also the medians of the absolute values."""
import random
import statistics
import sys
from collections import defaultdict

COLS = ["wall", "train_cpu", "ordering_cpu", "process_cpu"]
rows = defaultdict(dict)  # (jvm, epoch) -> trainer -> values
for path in sys.argv[1:]:
    for line in open(path):
        f = line.split()
        if len(f) != 8:
            continue
        jvm, trainer, epoch = f[0], f[1], int(f[2])
        rows[(path, jvm, epoch)][trainer] = [float(x) for x in f[4:]]
trainers = []
for r in rows.values():
    for t in r:
        if t not in trainers:
            trainers.append(t)
rng = random.Random(1)


def interval(xs):
    meds = sorted(statistics.median(rng.choices(xs, k=len(xs))) for _ in range(2000))
    return meds[50], meds[1949]


print(f"{len(rows)} epochs (JVM x epoch) with every trainer; medians of absolute seconds per epoch:")
print("| trainer | " + " | ".join(COLS) + " |")
print("|---|" + "---:|" * len(COLS))
for t in trainers:
    v = [r[t] for r in rows.values() if t in r]
    print(f"| {t} | " + " | ".join(f"{statistics.median(x[i] for x in v):.4f}" for i in range(len(COLS))) + " |")
print()
print("Over D-RR in the same epoch, pooled: median [95 % interval]")
print("| trainer | wall | training-thread CPU | process CPU | ordering thread / D-RR training thread |")
print("|---|---|---|---|---|")
for t in trainers:
    if t == "d-rr":
        continue
    out = []
    for i in (0, 1, 3):
        xs = [r[t][i] / r["d-rr"][i] - 1 for r in rows.values() if t in r and "d-rr" in r]
        lo, hi = interval(xs)
        out.append(f"{100 * statistics.median(xs):+.1f} % [{100 * lo:+.1f}, {100 * hi:+.1f}]")
    xs = [r[t][2] / r["d-rr"][1] for r in rows.values() if t in r and "d-rr" in r]
    out.append(f"{100 * statistics.median(xs):.1f} %")
    print(f"| {t} | " + " | ".join(out) + " |")
