#!/usr/bin/env python3
"""Summarises SwingProbe's output (probe.txt) as Markdown. Usage: analyse.py probe.txt"""
import re
import statistics as st
import sys
from collections import defaultdict

EPOCH = re.compile(r"^(\S+) seed (\d+) run (\d+) epoch (\d+): lone (\d+) last=prev-second (\S+) first=prev-first (\S+) "
                   r"lone-loss (\S+) mean (\S+) rank (\d+) rounds-since (\S+) train-loss (\S+)")
ORDERS = re.compile(r"^(\S+) seed (\d+) run (\d+) orders: (.*)$")


def main(path):
    ep = defaultdict(dict)     # (kind, seed, run) -> epoch -> fields
    orders = {}
    for line in open(path):
        m = EPOCH.match(line)
        if m:
            k, s, r, e = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
            ep[(k, s, r)][e] = dict(lone=int(m.group(5)), claim=m.group(6), first=m.group(7),
                                    lone_loss=float(m.group(8)), mean=float(m.group(9)), rank=int(m.group(10)),
                                    since=m.group(11), loss=float(m.group(12)))
            continue
        m = ORDERS.match(line)
        if m:
            orders[(m.group(1), int(m.group(2)), int(m.group(3)))] = m.group(4).split(" ")
    kinds = sorted({k[0] for k in ep})
    print("## Worker 0's last (lone, weight-1) batch, epochs 2-10\n")
    print("| ordering | runs | last = previous epoch's 2nd | first = previous epoch's 1st | rounds since its previous"
          " visit, mean | its loss at the epoch's start / mean of worker 0's batches, mean | its loss rank at the"
          " start (1 = highest of 157), median |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for k in kinds:
        runs = [v for key, v in ep.items() if key[0] == k]
        rows = [r[e] for r in runs for e in r if e > 1]
        claim = sum(x["claim"] == "true" for x in rows)
        first = sum(x["first"] == "true" for x in rows)
        since = st.mean(int(x["since"]) for x in rows)
        ratio = st.mean(x["lone_loss"] / x["mean"] for x in rows)
        rank = st.median(x["rank"] for x in rows)
        print(f"| {k} | {len(runs)} | {claim} of {len(rows)} | {first} of {len(rows)} | {since:.0f} | {ratio:.3f} | {rank:g} |")
    print("\n## Two runs of one seed\n")
    print("| ordering | seed | final train loss, run 1 / run 2 | first epoch whose worker-0 order differs | epochs "
          "with the same lone batch in both runs | train loss per epoch, run 1 | run 2 |")
    print("|---|---:|---|---:|---:|---|---|")
    for k in kinds:
        for s in sorted({key[1] for key in ep if key[0] == k}):
            r1, r2 = ep.get((k, s, 1)), ep.get((k, s, 2))
            if not r1 or not r2:
                continue
            o1, o2 = orders.get((k, s, 1)), orders.get((k, s, 2))
            diff = "-"
            if o1 and o2:
                d = [i + 1 for i in range(min(len(o1), len(o2))) if o1[i] != o2[i]]
                diff = str(d[0]) if d else "none"
            same = sum(r1[e]["lone"] == r2[e]["lone"] for e in r1 if e in r2)
            l1 = " ".join(f"{r1[e]['loss']:.3f}" for e in sorted(r1))
            l2 = " ".join(f"{r2[e]['loss']:.3f}" for e in sorted(r2))
            last = max(r1)
            print(f"| {k} | {s} | {r1[last]['loss']:.4f} / {r2[last]['loss']:.4f} | {diff} | {same} of {len(r1)} | {l1} | {l2} |")
    print("\n## Loss jumps\n")
    print("| ordering | epochs 2-10 where the train loss rose | mean rise | largest rise |")
    print("|---|---:|---:|---:|")
    for k in kinds:
        rises = []
        n = 0
        for key, r in ep.items():
            if key[0] != k:
                continue
            for e in sorted(r):
                if e > 1 and e - 1 in r:
                    n += 1
                    if r[e]["loss"] > r[e - 1]["loss"]:
                        rises.append(r[e]["loss"] - r[e - 1]["loss"])
        print(f"| {k} | {len(rises)} of {n} | {st.mean(rises) if rises else 0:.4f} | {max(rises) if rises else 0:.4f} |")
    print("\n## The lone batch's loss at the epoch's start against the epoch's change in train loss (epochs 2-10)\n")
    print("| ordering | epochs | correlation (loss / mean, change) | mean change when the lone batch ranks in the top"
          " third (1-52) | otherwise |")
    print("|---|---:|---:|---|---|")
    for k in kinds + ["both"]:
        xs, ys, hi, lo = [], [], [], []
        for key, r in ep.items():
            if k != "both" and key[0] != k:
                continue
            for e in sorted(r):
                if e > 1 and e - 1 in r:
                    ch = r[e]["loss"] - r[e - 1]["loss"]
                    xs.append(r[e]["lone_loss"] / r[e]["mean"])
                    ys.append(ch)
                    (hi if r[e]["rank"] <= 52 else lo).append(ch)
        print(f"| {k} | {len(xs)} | {st.correlation(xs, ys):.2f} | {st.mean(hi):+.4f} (n={len(hi)}) |"
              f" {st.mean(lo):+.4f} (n={len(lo)}) |")


if __name__ == "__main__":
    main(sys.argv[1])
