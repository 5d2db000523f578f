#!/usr/bin/env python3
"""One row per learning rate of the issue-24 learning-rate sweep (docs/results/lr-sweep/lr*/metrics.csv).

Usage: summarize.py [DIR]   (default: this script's folder)

Per learning rate: mean final train loss of cd-grab and d-rr over seeds, their ratio, the seeds where cd-grab is
lower, mean final test accuracy of both and the difference in points, and time-to-drr-final as dgrab computes it
(first epoch whose seed-mean train loss is at or below d-rr's seed-mean final loss, its seed-mean cumulative
seconds over d-rr's seed-mean total). Printed as a Markdown table. Standard library only.
"""
import csv
import os
import re
import statistics
import sys
from collections import defaultdict


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    runs = sorted((float(m.group(1)), os.path.join(root, d, "metrics.csv"))
                  for d in os.listdir(root) if (m := re.fullmatch(r"lr([0-9.]+)", d))
                  and os.path.exists(os.path.join(root, d, "metrics.csv")))
    print("| lr | cd-grab final loss | d-rr final loss | cd-grab / d-rr | cd-grab lower on | test acc cd-grab / d-rr "
          "| difference (points) | time-to-drr-final cd-grab |")
    print("|---:|---:|---:|---:|---|---|---:|---:|")
    for lr, path in runs:
        rows = list(csv.DictReader(open(path)))
        last = max(int(r["epoch"]) for r in rows)
        final = defaultdict(dict)
        curve = defaultdict(lambda: defaultdict(list))
        for r in rows:
            e = int(r["epoch"])
            curve[r["order"]][e].append((float(r["train_loss"]), float(r["cumulative_seconds"])))
            if e == last:
                final[r["order"]][r["seed"]] = (float(r["train_loss"]), float(r["test_metric"]))
        if "cd-grab" not in final or "d-rr" not in final:
            continue
        seeds = sorted(set(final["cd-grab"]) & set(final["d-rr"]), key=int)
        mean = {o: statistics.mean(final[o][s][0] for s in seeds) for o in ("cd-grab", "d-rr")}
        acc = {o: statistics.mean(final[o][s][1] for s in seeds) for o in ("cd-grab", "d-rr")}
        lower = [s for s in seeds if final["cd-grab"][s][0] < final["d-rr"][s][0]]
        target = mean["d-rr"]
        drr_total = statistics.mean(c for _, c in curve["d-rr"][last])
        ttd = "none"
        for e in range(1, last + 1):
            pts = curve["cd-grab"].get(e)
            if pts and statistics.mean(l for l, _ in pts) <= target:
                ttd = "%.3f" % (statistics.mean(c for _, c in pts) / drr_total)
                break
        print("| %g | %.4f | %.4f | %.3f | %d of %d (%s) | %.4f / %.4f | %+.1f | %s |" % (
            lr, mean["cd-grab"], mean["d-rr"], mean["cd-grab"] / mean["d-rr"], len(lower), len(seeds),
            ", ".join(lower) or "none", acc["cd-grab"], acc["d-rr"], 100 * (acc["cd-grab"] - acc["d-rr"]), ttd))


if __name__ == "__main__":
    main()
