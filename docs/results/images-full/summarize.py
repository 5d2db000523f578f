#!/usr/bin/env python3
"""Issue 22's full augmentation experiment: CD-GraB against D-RR, per data path (png-flip, idx-memory), from
<config>/seed<S>/metrics.csv next to this script. Prints, as markdown: final train loss and test accuracy per seed
and mean, the mean train loss per epoch, and how much of the in-memory gain survives on-demand reading with
augmentation (gain = D-RR's mean final loss minus CD-GraB's, over the seeds both paths have).
Usage: summarize.py [DIR]   Standard library only."""
import csv
import glob
import os
import statistics
import sys
from collections import defaultdict

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
configs = ("png-flip", "idx-memory")
orders = ("cd-grab", "d-rr")
rows = defaultdict(dict)  # (config, order, seed) -> epoch -> row
for c in configs:
    for path in sorted(glob.glob(os.path.join(root, c, "seed*", "metrics.csv"))):
        for r in csv.DictReader(open(path)):
            rows[(c, r["order"], int(r["seed"]))][int(r["epoch"])] = r
seeds = sorted({k[2] for k in rows if all((c, o, k[2]) in rows for c in configs for o in orders)})
if not seeds:
    sys.exit("no seed has all four runs yet under " + root)
last = min(max(rows[(c, o, s)]) for c in configs for o in orders for s in seeds)


def final(c, o, s, col):
    return float(rows[(c, o, s)][last][col])


print("Seeds with all four runs: %s; final epoch %d.\n" % (", ".join(map(str, seeds)), last))
print("| Data | Ordering | " + " | ".join("seed %d" % s for s in seeds)
      + " | mean loss | mean test acc. | s/epoch (training) |")
print("|---|---|" + "---:|" * (len(seeds) + 3))
for c in configs:
    for o in orders:
        losses = [final(c, o, s, "train_loss") for s in seeds]
        accs = [final(c, o, s, "test_metric") for s in seeds]
        secs = [float(rows[(c, o, s)][e]["epoch_seconds"]) for s in seeds for e in range(1, last + 1)]
        print("| %s | %s | %s | %.4f | %.4f | %.1f |" % (c, o, " | ".join("%.4f" % x for x in losses),
                                                         statistics.mean(losses), statistics.mean(accs),
                                                         statistics.median(secs)))
print("\nMean train loss per epoch:\n")
print("| Epoch | " + " | ".join("%s %s" % (c, o) for c in configs for o in orders) + " |")
print("|---:|" + "---:|" * 4)
for e in range(1, last + 1):
    print("| %d | %s |" % (e, " | ".join("%.4f" % statistics.mean(float(rows[(c, o, s)][e]["train_loss"])
                                                                for s in seeds) for c in configs for o in orders)))
print()
gains = {}
for c in configs:
    d = statistics.mean(final(c, "d-rr", s, "train_loss") for s in seeds)
    g = statistics.mean(final(c, "cd-grab", s, "train_loss") for s in seeds)
    acc = statistics.mean(final(c, "cd-grab", s, "test_metric") - final(c, "d-rr", s, "test_metric") for s in seeds)
    lower = sum(final(c, "cd-grab", s, "train_loss") < final(c, "d-rr", s, "train_loss") for s in seeds)
    gains[c] = d - g
    print("- %s: CD-GraB / D-RR final loss %.3f (gain %.4f), lower on %d of %d seeds, test accuracy %+.1f points"
          % (c, g / d, d - g, lower, len(seeds), 100 * acc))
if gains["idx-memory"] > 0:
    print("- share of the in-memory gain that survives on-demand reading with augmentation: %.2f (goal: at least 0.5)"
          % (gains["png-flip"] / gains["idx-memory"]))
else:
    print("- no in-memory gain to compare with (%.4f)" % gains["idx-memory"])
