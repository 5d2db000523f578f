"""Summary of docs/results/spark/run.sh: final train loss, ms per step, ordering share and bytes per run kind."""
import csv
import glob
import statistics as st
import sys

out = sys.argv[1]
steps = 9984 // (4 * 16)


def rows(run, name):
    found = []
    for path in sorted(glob.glob(f"{out}/{run}/seed*/{name}")) + sorted(glob.glob(f"{out}/{run}/{name}")):
        found += list(csv.DictReader(open(path)))
    return found


for run in ("w1", "w5", "dpt", "dpt-sketch1011"):
    metrics = rows(run, "metrics.csv")
    for order in ("cd-grab", "d-rr"):
        mine = [r for r in metrics if r["order"] == order]
        if not mine:
            continue
        last = [float(r["train_loss"]) for r in mine if r["epoch"] == "10"]
        acc = [float(r["test_metric"]) for r in mine if r["epoch"] == "10"]
        secs = [float(r["epoch_seconds"]) for r in mine if r["epoch"] != "0"]
        ords = [float(r["ordering_seconds"]) for r in mine if r["epoch"] != "0"]
        # Each JVM trains cd-grab first, d-rr second: epochs 8-10 compare warm JVMs.
        warm = [float(r["epoch_seconds"]) for r in mine if int(r["epoch"]) >= 8]
        print(f"{run} {order}: final train loss {st.mean(last):.4f} (seeds {', '.join(f'{x:.4f}' for x in last)}), "
              f"test acc {st.mean(acc):.4f}, {1000 * st.median(secs) / steps:.1f} ms/step (median epoch), "
              f"{1000 * st.median(warm) / steps:.1f} ms/step (median of epochs 8-10), "
              f"ordering {100 * sum(ords) / sum(secs):.2f} % of the epoch time")
    if run.startswith("w"):
        for order in ("cd-grab", "d-rr"):
            sp = [r for r in rows(run, "spark.csv") if r["order"] == order]
            b = st.mean(int(r["report_bytes"]) + int(r["order_bytes"]) for r in sp)
            print(f"{run} {order}: {b / 1e6:.3f} MB ordering traffic per epoch, {sp[0]['jobs']} Spark jobs per epoch, "
                  f"{sum(int(r['duplicates']) for r in sp)} duplicate reports")
