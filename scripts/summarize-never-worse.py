#!/usr/bin/env python3
"""Issue 24's check, final train loss of each ordering against a baseline, as a Markdown table.

Usage: scripts/summarize-never-worse.py CSV [BASELINE]

CSV is either a dgrab parallel-wrapper.csv (columns workers, averaging, granularity, order, seed, epoch, train_loss;
one table row per configuration and ordering), a dgrab metrics.csv (columns order, seed, epoch, train_loss, ...; e.g.
`dgrab drop-in`'s) or a CSV with columns method, seed, epoch, train_loss (the committed losses*.csv of
docs/results/never-worse/drop-in, written by the lab main that `dgrab drop-in` replaced). BASELINE is the ordering the others are compared with (default: d-rr, or dl4j-shuffle where the
CSV has it). Per row: the final (last epoch's) train loss per seed, the mean over seeds, the ratio of that mean to the
baseline's (issue 24's goal: at most 1.005) and on how many seeds the ordering ends lower than the baseline.
"""
import csv
import statistics as st
import sys
from collections import defaultdict


def main(path, baseline=None):
    rows = list(csv.DictReader(open(path, newline="")))
    pw = "workers" in rows[0]
    final = defaultdict(dict)   # (config, order) -> seed -> (epoch, loss)
    for r in rows:
        order = r["order"] if "order" in r else r["method"]
        config = (int(r["workers"]), int(r["averaging"]), r["granularity"]) if pw else ()
        if pw and r.get("observer") and order != "d-rr":
            order = order if r["observer"] == "workers" else order + "/" + r["observer"]
        s, e = int(r["seed"]), int(r["epoch"])
        old = final[(config, order)].get(s)
        if old is None or e > old[0]:
            final[(config, order)][s] = (e, float(r["train_loss"]))
    orders = sorted({k[1] for k in final})
    if baseline is None:
        baseline = "dl4j-shuffle" if "dl4j-shuffle" in orders else "d-rr"
    seeds = sorted({s for v in final.values() for s in v})
    last = max(e for v in final.values() for e, _ in v.values())
    head = ("| workers | averaging | units | " if pw else "| ") + "ordering | " \
        + " | ".join(f"seed {s}" for s in seeds) \
        + f" | mean final train loss | / {baseline}'s (goal <= 1.005) | lower than {baseline} on |"
    print(head)
    print("|" + ("---:|---:|---|" if pw else "") + "---|" + "---:|" * (len(seeds) + 3))
    for config in sorted({k[0] for k in final}):
        base = final[(config, baseline)]
        bmean = st.mean(base[s][1] for s in seeds)
        for o in [baseline] + [o for o in orders if o != baseline]:
            v = final.get((config, o))
            if not v:
                continue
            mean = st.mean(v[s][1] for s in seeds)
            wins = sum(v[s][1] < base[s][1] for s in seeds)
            cells = " | ".join(f"{v[s][1]:.4f}" for s in seeds)
            ratio = "1" if o == baseline else f"**{mean / bmean:.3f}**"
            lower = "-" if o == baseline else f"{wins} of {len(seeds)}"
            lead = " | ".join(str(c) for c in config) + " | " if pw else ""
            print(f"| {lead}{o} | {cells} | {mean:.4f} | {ratio} | {lower} |")
    print(f"\n(final = epoch {last})")


if __name__ == "__main__":
    main(*sys.argv[1:3])
