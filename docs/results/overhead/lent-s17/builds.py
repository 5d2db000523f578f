#!/usr/bin/env python3
"""For `dgrab cost --compare-to` output folders: per round, each ordering's median epoch in this build over the other
build's (the two builds ran back to back in that round), and the median over the rounds. Usage: builds.py DIR..."""
import csv
import glob
import os
import statistics
import sys

for d in sys.argv[1:]:
    rounds = sorted(int(p.rsplit("-", 1)[1]) for p in glob.glob(os.path.join(d, "this-*")))
    orders = []
    for row in csv.DictReader(open(os.path.join(d, f"this-{rounds[0]}", "cost.csv"))):
        if row["order"] not in orders:
            orders.append(row["order"])
    print(d)
    for order in orders:
        ratios = []
        for r in rounds:
            med = {}
            for b in ("this", "other"):
                rows = csv.DictReader(open(os.path.join(d, f"{b}-{r}", "cost.csv")))
                med[b] = statistics.median(float(x["epoch_seconds"]) for x in rows
                                           if x["order"] == order and int(x["epoch"]) > 0)
            ratios.append(med["this"] / med["other"] - 1)
        print(f"  {order}: this build's median epoch over the other's, per round "
              + " ".join(f"{100 * x:+.1f}%" for x in ratios) + f"; median {100 * statistics.median(ratios):+.1f}%")
