#!/usr/bin/env python3
"""Summarises one or more dgrab metrics.csv files of the same task (e.g. one file per seed) for the issue-24 write-up.

Usage: summarize_reference.py METRICS_CSV [METRICS_CSV ...] [--reference d-rr] [--epochs 2,10,30,50] [--last N]

Rows of all files are merged (a seed must not appear in two files for one ordering). Printed, as Markdown:

1. Final train loss per seed and ordering, the mean, and each ordering's per-seed relative difference to the
   reference ((loss - ref) / ref); "won" counts the seeds where the ordering is at least 1 % below the reference.
   Also the train loss averaged over the last five epochs, a less noisy view of where each ordering ended, and the
   number of epochs >= 2 at which the ordering's seed-mean train loss is below the reference's.
2. Final test accuracy per seed, its spread (max - min) and sample standard deviation over seeds, and the spread
   as a fraction of the reference's.
3. Epochs to the reference's final loss, on the seed means (first epoch whose mean train loss is at or below the
   reference's mean final train loss), and the same per seed; mean epoch seconds and ordering seconds over trained
   epochs; time-to-drr-final recomputed from the CSV as `dgrab` does it (means over seeds of cumulative_seconds).
4. If herding_bound is filled: per epoch, the bound's mean over seeds per ordering and the ratio
   reference / ordering of those means; min, median and max of the ratio over epochs 2..last, its value at
   --epochs, and the number of epochs >= 2 at which it is at least 2; the same over per-seed ratios (min over seeds).

--last N summarises only epochs 0..N (e.g. the first 10 epochs of a 50-epoch run, as a 10-epoch run).

Needs only the Python standard library.
"""
import argparse
import csv
import statistics
from collections import defaultdict


def load(paths):
    rows = []
    for p in paths:
        with open(p) as f:
            rows.extend(csv.DictReader(f))
    if not rows:
        raise SystemExit("no rows")
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("csv", nargs="+")
    p.add_argument("--reference", default="d-rr")
    p.add_argument("--epochs", default="2,10,30,50", help="epochs at which to print the herding-bound ratio")
    p.add_argument("--last", type=int, default=None,
                   help="treat this epoch as the last (drop later rows): the first N epochs of a longer run are "
                        "those of an N-epoch run, as the learning rate is constant")
    a = p.parse_args()
    rows = load(a.csv)
    if a.last is not None:
        rows = [r for r in rows if int(r["epoch"]) <= a.last]

    orders = []
    val = defaultdict(lambda: defaultdict(dict))  # (order, column) -> epoch -> seed -> value
    for r in rows:
        o = r["order"]
        if o not in orders:
            orders.append(o)
        e, s = int(r["epoch"]), int(r["seed"])
        for c in ("train_loss", "test_metric", "epoch_seconds", "ordering_seconds", "cumulative_seconds",
                  "herding_bound"):
            v = r.get(c, "")
            if v != "":
                if s in val[(o, c)][e]:
                    raise SystemExit(f"order {o} seed {s} epoch {e} appears twice")
                val[(o, c)][e][s] = float(v)
    ref = a.reference
    if ref not in orders:
        raise SystemExit(f"reference {ref} missing (orders: {', '.join(orders)})")
    last = max(val[(ref, "train_loss")])
    seeds = sorted(val[(ref, "train_loss")][last])
    for o in orders:
        got = sorted(val[(o, "train_loss")].get(last, {}))
        if got != seeds:
            raise SystemExit(f"{o}: seeds at epoch {last} are {got}, reference has {seeds}")
    epochs = list(range(0, last + 1))

    def mean_at(o, c, e):
        return statistics.fmean(val[(o, c)][e][s] for s in seeds)

    print(f"Files: {', '.join(a.csv)}; seeds {', '.join(map(str, seeds))}; last epoch {last}; "
          f"reference {ref}\n")

    # 1. final train loss
    print("Final train loss (epoch %d)\n" % last)
    print("| ordering | " + " | ".join(f"seed {s}" for s in seeds) + " | mean | mean vs " + ref + " |")
    print("|---|" + "---:|" * (len(seeds) + 2))
    ref_final = {s: val[(ref, "train_loss")][last][s] for s in seeds}
    ref_mean = statistics.fmean(ref_final.values())
    for o in orders:
        f = {s: val[(o, "train_loss")][last][s] for s in seeds}
        m = statistics.fmean(f.values())
        print(f"| {o} | " + " | ".join(f"{f[s]:.4f}" for s in seeds)
              + f" | {m:.4f} | {100 * (m - ref_mean) / ref_mean:+.2f} % |")
    print()
    print(f"Per-seed relative difference to {ref}, (loss - {ref}) / {ref}; won = seeds at least 1 % below\n")
    print("| ordering | " + " | ".join(f"seed {s}" for s in seeds) + " | won (<= -1 %) | lower at all |")
    print("|---|" + "---:|" * (len(seeds) + 2))
    for o in orders:
        if o == ref:
            continue
        d = {s: (val[(o, "train_loss")][last][s] - ref_final[s]) / ref_final[s] for s in seeds}
        won = sum(1 for s in seeds if d[s] <= -0.01)
        lower = sum(1 for s in seeds if d[s] < 0)
        print(f"| {o} | " + " | ".join(f"{100 * d[s]:+.2f} %" for s in seeds)
              + f" | {won} of {len(seeds)} | {lower} of {len(seeds)} |")
    print()

    # 1b. a less noisy view: train loss averaged over the last five epochs
    tail = [e for e in range(max(1, last - 4), last + 1)]
    print(f"Train loss averaged over epochs {tail[0]}..{last} (damps the epoch-to-epoch noise of the final value)\n")
    print("| ordering | " + " | ".join(f"seed {s}" for s in seeds) + " | mean | mean vs " + ref + " | seeds >= 1 % below " + ref + " |")
    print("|---|" + "---:|" * (len(seeds) + 3))
    ref_tail = {s: statistics.fmean(val[(ref, "train_loss")][e][s] for e in tail) for s in seeds}
    for o in orders:
        t = {s: statistics.fmean(val[(o, "train_loss")][e][s] for e in tail) for s in seeds}
        m, rm = statistics.fmean(t.values()), statistics.fmean(ref_tail.values())
        won = sum(1 for s in seeds if (t[s] - ref_tail[s]) / ref_tail[s] <= -0.01)
        print(f"| {o} | " + " | ".join(f"{t[s]:.4f}" for s in seeds)
              + f" | {m:.4f} | {100 * (m - rm) / rm:+.2f} % | {won if o != ref else '-'} |")
    print()

    # 1c. how often each ordering's seed-mean train loss is below the reference's, epoch by epoch
    print(f"Epochs 2..{last} at which the seed-mean train loss is below {ref}'s\n")
    pts = sorted({e for e in (5, 10, 20, 30, 40, last) if e <= last})
    print("| ordering | epochs below | of them >= 1 % below | seed-mean loss (ordering vs " + ref + ") at epochs "
          + ", ".join(map(str, pts)) + " |")
    print("|---|---:|---:|---|")
    for o in orders:
        if o == ref:
            continue
        below = [e for e in range(2, last + 1) if mean_at(o, "train_loss", e) < mean_at(ref, "train_loss", e)]
        far = [e for e in below if mean_at(o, "train_loss", e) <= 0.99 * mean_at(ref, "train_loss", e)]
        pts = sorted({e for e in (5, 10, 20, 30, 40, last) if e <= last})
        print(f"| {o} | {len(below)} of {last - 1} | {len(far)} | "
              + " / ".join(f"{mean_at(o, 'train_loss', e):.4f} vs {mean_at(ref, 'train_loss', e):.4f}" for e in pts)
              + " |")
    print()

    # 2. test accuracy
    print("Final test accuracy; spread = max - min over seeds, std = sample standard deviation\n")
    print("| ordering | " + " | ".join(f"seed {s}" for s in seeds)
          + " | mean | spread | std | spread / " + ref + "'s | std / " + ref + "'s |")
    print("|---|" + "---:|" * (len(seeds) + 5))
    acc = {o: [val[(o, "test_metric")][last][s] for s in seeds] for o in orders}
    ref_spread = max(acc[ref]) - min(acc[ref])
    ref_std = statistics.stdev(acc[ref]) if len(seeds) > 1 else float("nan")
    for o in orders:
        x = acc[o]
        spread = max(x) - min(x)
        std = statistics.stdev(x) if len(x) > 1 else float("nan")
        rs = f"{spread / ref_spread:.2f}" if ref_spread > 0 else "-"
        rd = f"{std / ref_std:.2f}" if ref_std > 0 else "-"
        print(f"| {o} | " + " | ".join(f"{v:.4f}" for v in x)
              + f" | {statistics.fmean(x):.4f} | {spread:.4f} | {std:.4f} | {rs} | {rd} |")
    print()

    # 3. epochs and time to the reference's final loss
    total = mean_at(ref, "cumulative_seconds", last)
    print(f"Epochs to {ref}'s final loss (seed means: target {ref_mean:.4f}; per seed: that seed's own {ref} final), "
          "seconds\n")
    print("| ordering | epoch (seed means) | per seed | mean epoch s | mean ordering s | time-to-drr-final |")
    print("|---|---:|---|---:|---:|---:|")
    line = ["time-to-drr-final"]
    for o in orders:
        reach = next((e for e in epochs if mean_at(o, "train_loss", e) <= ref_mean), None)
        per_seed = []
        for s in seeds:
            r = next((e for e in epochs if val[(o, "train_loss")][e][s] <= ref_final[s]), None)
            per_seed.append(str(r) if r is not None else "-")
        es = statistics.fmean(mean_at(o, "epoch_seconds", e) for e in range(1, last + 1))
        os_ = statistics.fmean(mean_at(o, "ordering_seconds", e) for e in range(1, last + 1))
        frac = (mean_at(o, "cumulative_seconds", reach) / total) if reach is not None and total > 0 else None
        fs = f"{frac:.4f}" if frac is not None else "none"
        line.append(f"{o}={fs}")
        print(f"| {o} | {reach if reach is not None else '-'} | {' / '.join(per_seed)} | {es:.2f} | {os_:.3f} "
              f"| {fs} |")
    print()
    print("Recomputed: " + " ".join(line) + "\n")

    # 4. herding bound
    if not any(val[(o, "herding_bound")] for o in orders):
        return
    hb_epochs = sorted(e for e in val[(ref, "herding_bound")] if e >= 1
                       and all(set(val[(o, "herding_bound")].get(e, {})) >= set(seeds) for o in orders))
    print("Herding bound, mean over seeds, and " + ref + " / ordering per epoch\n")
    others = [o for o in orders if o != ref]
    print("| epoch | " + " | ".join(orders) + " | " + " | ".join(f"{ref} / {o}" for o in others)
          + " | " + " | ".join(f"min over seeds of {ref} / {o}" for o in others) + " |")
    print("|---:|" + "---:|" * (len(orders) + 2 * len(others)))
    ratios = defaultdict(dict)
    seed_min = defaultdict(dict)
    for e in hb_epochs:
        means = {o: mean_at(o, "herding_bound", e) for o in orders}
        for o in others:
            ratios[o][e] = means[ref] / means[o]
            seed_min[o][e] = min(val[(ref, "herding_bound")][e][s] / val[(o, "herding_bound")][e][s] for s in seeds)
        print(f"| {e} | " + " | ".join(f"{means[o]:.4g}" for o in orders) + " | "
              + " | ".join(f"{ratios[o][e]:.2f}" for o in others) + " | "
              + " | ".join(f"{seed_min[o][e]:.2f}" for o in others) + " |")
    print()
    at = [int(x) for x in a.epochs.split(",") if x]
    print(f"{ref} / ordering over epochs 2..{last} (ratio of seed means; in brackets the per-seed minimum)\n")
    print("| ordering | min | median | max | " + " | ".join(f"epoch {e}" for e in at)
          + " | epochs >= 2x | epochs >= 2x on every seed |")
    print("|---|" + "---:|" * (3 + len(at) + 2))
    for o in others:
        r = [ratios[o][e] for e in hb_epochs if e >= 2]
        m = [seed_min[o][e] for e in hb_epochs if e >= 2]
        cells = []
        for e in at:
            cells.append(f"{ratios[o][e]:.2f} ({seed_min[o][e]:.2f})" if e in ratios[o] else "-")
        print(f"| {o} | {min(r):.2f} ({min(m):.2f}) | {statistics.median(r):.2f} ({statistics.median(m):.2f}) "
              f"| {max(r):.2f} ({max(m):.2f}) | " + " | ".join(cells)
              + f" | {sum(1 for x in r if x >= 2)} of {len(r)} | {sum(1 for x in m if x >= 2)} of {len(m)} |")


if __name__ == "__main__":
    main()
