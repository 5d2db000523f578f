#!/usr/bin/env python3
"""Summarises a dgrab parallel-wrapper.csv as a Markdown table.

Usage: scripts/summarize-parallel-wrapper.py PARALLEL_WRAPPER_CSV

Per (workers, averaging, granularity, observer): each ordering's final train loss (mean over seeds, and per seed),
final test accuracy (mean), and CD-GraB's epoch-time overhead over D-RR: the median over seeds of the ratio of median
epoch times (epoch 1 left out as warm-up), measured in alternating runs of the same configuration and seed. The
observer column (where CD-GraB observed gradients: dgrab's thread or the workers) is "workers" in CSVs without it.
"""
import csv
import statistics as st
import sys
from collections import defaultdict


def main(path):
    rows = list(csv.DictReader(open(path, newline="")))
    last = max(int(r["epoch"]) for r in rows)
    by = defaultdict(list)
    observers = set()
    for r in rows:
        obs = r.get("observer") or "workers"
        order = r["order"]
        if order == "cd-grab":
            observers.add(obs)
            order = "cd-grab/" + obs
        by[(int(r["workers"]), int(r["averaging"]), r["granularity"], order, int(r["seed"]))].append(r)
    for obs in sorted(observers):
        table(by, obs)
    print(f"\n(final = epoch {last})")


def table(by, obs):
    cd = "cd-grab/" + obs
    configs = sorted({k[:3] for k in by})
    print(f"\nCD-GraB observing on: {obs}\n")
    print("| workers | averaging | units | CD-GraB final loss (per seed) | D-RR final loss (per seed) "
          "| CD-GraB lower on | test acc CD-GraB / D-RR | epoch-time overhead (median, range over seeds) |")
    print("|---:|---:|---|---|---|---:|---|---|")
    for w, a, g in configs:
        seeds = sorted({k[4] for k in by if k[:3] == (w, a, g)})
        final = {}
        acc = {}
        times = {}
        for o in (cd, "d-rr"):
            for s in seeds:
                rs = sorted(by[(w, a, g, o, s)], key=lambda r: int(r["epoch"]))
                final[(o, s)] = float(rs[-1]["train_loss"])
                acc[(o, s)] = float(rs[-1]["test_accuracy"])
                times[(o, s)] = st.median(float(r["epoch_seconds"]) for r in rs if int(r["epoch"]) > 1)
        over = [times[(cd, s)] / times[("d-rr", s)] - 1 for s in seeds]
        wins = sum(final[(cd, s)] < final[("d-rr", s)] for s in seeds)

        def cell(o):
            m = st.mean(final[(o, s)] for s in seeds)
            return f"{m:.4f} ({' / '.join(f'{final[(o, s)]:.4f}' for s in seeds)})"

        print(f"| {w} | {a} | {g} | {cell(cd)} | {cell('d-rr')} | {wins} of {len(seeds)} "
              f"| {st.mean(acc[(cd, s)] for s in seeds):.4f} / {st.mean(acc[('d-rr', s)] for s in seeds):.4f} "
              f"| {100 * st.median(over):+.1f} % ({100 * min(over):+.1f} .. {100 * max(over):+.1f}) |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
