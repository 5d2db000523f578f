#!/usr/bin/env python3
"""The price of sketching in convergence (issue 13): CD-GraB with --sketch K against CD-GraB on whole gradients.

Usage: docs/results/sketch-convergence/summary.py [MODEL]   (default mlp; run from the repository root)

Reads docs/results/sketch-convergence/fmnist-MODEL-G-kK/metrics.csv (K = 64, 256, 1024) and the whole-gradient
cd-grab and d-rr rows of docs/results/recursive-convergence/fmnist-MODEL-G/metrics.csv (same seeds, same initial
networks), for G = batch and example-last-layer, and the bytes per epoch of docs/results/sketch-convergence/bytes/kK/
cost.csv (bytes-MODEL/kK for another model than the MLP). A unit kind without sketched runs is listed as not
measured; a k that dgrab refused (k larger than the gradient: its log says so) as not applicable. Checks that epoch 1 (ordered before any gradient was seen) is bit-identical in both runs, so the runs
start from the same networks. Prints a Markdown table: mean final (epoch 10) and epoch-3 train loss over the seeds,
the final loss relative to whole gradients (mean of the per-seed ratios, and their range), test accuracy, and the
ordering's bytes per epoch relative to whole gradients.
"""
import csv
import os
import statistics as st
import sys
from collections import defaultdict

BASE = "docs/results"


def load(path, order):
    by = defaultdict(dict)
    for r in csv.DictReader(open(path, newline="")):
        if r["order"] == order:
            by[int(r["seed"])][int(r["epoch"])] = r
    return by


def bytes_per_epoch(k, g, model):
    folder = "bytes" if model == "mlp" else f"bytes-{model}"
    for r in csv.DictReader(open(f"{BASE}/sketch-convergence/{folder}/k{k}/cost.csv", newline="")):
        if r["granularity"] == g and r["order"] == "cd-grab" and r["epoch"] == "1":
            return int(r["bytes"])
    raise SystemExit(f"no cd-grab bytes for k={k}, {g}")


def main(model):
    print("| units | gradients | train loss, epoch 3 | train loss, epoch 10 | epoch 10 / whole gradients (mean, range "
          "over seeds) | test accuracy, epoch 10 | ordering bytes per epoch / whole gradients |")
    print("|---|---|---:|---:|---|---:|---:|")
    for g in ("batch", "example-last-layer"):
        if not os.path.exists(f"{BASE}/sketch-convergence/fmnist-{model}-{g}-k64/metrics.csv"):
            print(f"| {g} | (not measured) | | | | | |")
            continue
        ref_path = f"{BASE}/recursive-convergence/fmnist-{model}-{g}/metrics.csv"
        full = load(ref_path, "cd-grab")
        drr = load(ref_path, "d-rr")
        seeds = sorted(full)
        last = max(full[seeds[0]])
        full_bytes = bytes_per_epoch(0, g, model)

        def row(label, runs, ratio_cell, bytes_cell):
            e3 = st.mean(float(runs[s][3]["train_loss"]) for s in seeds)
            e10 = st.mean(float(runs[s][last]["train_loss"]) for s in seeds)
            acc = st.mean(float(runs[s][last]["test_metric"]) for s in seeds)
            print(f"| {g} | {label} | {e3:.4f} | {e10:.4f} | {ratio_cell} | {acc:.4f} | {bytes_cell} |")

        row("whole (cd-grab)", full, "1", f"1 ({full_bytes / 1e6:.2f} MB)")
        for k in (64, 256, 1024):
            run_dir = f"{BASE}/sketch-convergence/fmnist-{model}-{g}-k{k}"
            if not os.path.exists(f"{run_dir}/metrics.csv"):
                # dgrab refuses a sketch at least as wide as the gradient; the log holds its message.
                log = open(f"{run_dir}.log").read() if os.path.exists(f"{run_dir}.log") else ""
                if "exceeds the gradient dimension" not in log:
                    raise SystemExit(f"k={k} {g}: no {run_dir}/metrics.csv and no refusal in {run_dir}.log")
                msg = log[log.index("sketch dimension"):].splitlines()[0]
                print(f"| {g} | sketch k = {k} | | | not applicable: {msg} | | |")
                continue
            sk = load(f"{BASE}/sketch-convergence/fmnist-{model}-{g}-k{k}/metrics.csv", "cd-grab")
            if sorted(sk) != seeds:
                raise SystemExit(f"k={k} {g}: seeds {sorted(sk)}, expected {seeds}")
            for s in seeds:
                if sk[s][1]["train_loss"] != full[s][1]["train_loss"]:
                    raise SystemExit(f"k={k} {g} seed {s}: epoch 1 differs from the whole-gradient run "
                                     f"({sk[s][1]['train_loss']} vs {full[s][1]['train_loss']}): not the same start")
            ratios = [float(sk[s][last]["train_loss"]) / float(full[s][last]["train_loss"]) for s in seeds]
            b = bytes_per_epoch(k, g, model)
            row(f"sketch k = {k}", sk, f"{st.mean(ratios):.4f} ({min(ratios):.4f} .. {max(ratios):.4f})",
                f"{100 * b / full_bytes:.2f} % ({b / 1e6:.3f} MB)")
        row("d-rr (no gradients)", drr, f"{st.mean(float(drr[s][last]['train_loss']) / float(full[s][last]['train_loss']) for s in seeds):.4f}", "0")
    print(f"\n(bytes measured with 6,400 training images, see bytes/; they grow in proportion to the images)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "mlp")
