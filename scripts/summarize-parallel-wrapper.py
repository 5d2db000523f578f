#!/usr/bin/env python3
"""Summarises a dgrab parallel-wrapper.csv as a Markdown table.

Usage: scripts/summarize-parallel-wrapper.py PARALLEL_WRAPPER_CSV

Per (workers, averaging, granularity, observer): each ordering's final train loss (mean over seeds, and per seed),
final test accuracy (mean), and CD-GraB's epoch-time overhead over D-RR (epoch 1 left out as warm-up) three ways: the
median over seeds of the ratio of per-seed median epoch times; the ratio of the medians pooled over all seeds'
epochs; and the median (with the quartiles) of the paired ratios, CD-GraB's epoch e of a seed over D-RR's epoch e of
the same seed, which the command measures side by side (the orderings take turns epoch by epoch). Where the CSV has
listener_seconds (the time the training threads spent in dgrab's listener), also each worker's share of the epoch in
it: listener_seconds / workers / epoch_seconds, median over the timed epochs, for CD-GraB and D-RR. The
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


def r_has(row):
    return row.get("listener_seconds") not in (None, "")


def table(by, obs):
    cd = "cd-grab/" + obs
    configs = sorted({k[:3] for k in by})
    print(f"\nCD-GraB observing on: {obs}\n")
    print("| workers | averaging | units | CD-GraB final loss (per seed) | D-RR final loss (per seed) "
          "| CD-GraB lower on | test acc CD-GraB / D-RR | epoch-time overhead (median, range over seeds) "
          "| pooled | paired epochs: median (quartiles) | in dgrab's listener, per worker: CD-GraB / D-RR |")
    print("|---:|---:|---|---|---|---:|---|---|---:|---|---|")
    for w, a, g in configs:
        seeds = sorted({k[4] for k in by if k[:3] == (w, a, g)})
        final = {}
        acc = {}
        times = {}
        pooled = defaultdict(list)
        paired = []
        for o in (cd, "d-rr"):
            for s in seeds:
                rs = sorted(by[(w, a, g, o, s)], key=lambda r: int(r["epoch"]))
                final[(o, s)] = float(rs[-1]["train_loss"])
                acc[(o, s)] = float(rs[-1]["test_accuracy"])
                times[(o, s)] = st.median(float(r["epoch_seconds"]) for r in rs if int(r["epoch"]) > 1)
                pooled[o] += [float(r["epoch_seconds"]) for r in rs if int(r["epoch"]) > 1]
        for s in seeds:
            drr = {int(r["epoch"]): float(r["epoch_seconds"]) for r in by[(w, a, g, "d-rr", s)]}
            for r in by[(w, a, g, cd, s)]:
                e = int(r["epoch"])
                if e > 1 and e in drr:
                    paired.append(float(r["epoch_seconds"]) / drr[e] - 1)
        share = {}
        for o in (cd, "d-rr"):
            rs = [r for s in seeds for r in by[(w, a, g, o, s)] if int(r["epoch"]) > 1]
            share[o] = (st.median(float(r["listener_seconds"]) / w / float(r["epoch_seconds"]) for r in rs)
                        if rs and r_has(rs[0]) else None)
        listener = (f"{100 * share[cd]:.1f} % / {100 * share['d-rr']:.1f} %"
                    if share[cd] is not None and share["d-rr"] is not None else "-")
        q1, q2, q3 = st.quantiles(paired, n=4) if len(paired) > 1 else (paired * 3)
        pool = st.median(pooled[cd]) / st.median(pooled["d-rr"]) - 1
        over = [times[(cd, s)] / times[("d-rr", s)] - 1 for s in seeds]
        wins = sum(final[(cd, s)] < final[("d-rr", s)] for s in seeds)

        def cell(o):
            m = st.mean(final[(o, s)] for s in seeds)
            return f"{m:.4f} ({' / '.join(f'{final[(o, s)]:.4f}' for s in seeds)})"

        print(f"| {w} | {a} | {g} | {cell(cd)} | {cell('d-rr')} | {wins} of {len(seeds)} "
              f"| {st.mean(acc[(cd, s)] for s in seeds):.4f} / {st.mean(acc[('d-rr', s)] for s in seeds):.4f} "
              f"| {100 * st.median(over):+.1f} % ({100 * min(over):+.1f} .. {100 * max(over):+.1f}) "
              f"| {100 * pool:+.1f} % | {100 * st.median(paired):+.1f} % ({100 * q1:+.1f} .. {100 * q3:+.1f}) "
              f"| {listener} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
