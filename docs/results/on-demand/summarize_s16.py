#!/usr/bin/env python3
"""Issue 22, sixteenth session: peak RSS and epoch time of the drop-in over mini-batch files against plain DL4J
(AsyncDataSetIterator over ExistingMiniBatchDataSetIterator) in the same run.sh invocation, per CSV and repeat.
Usage: summarize_s16.py results-files-s16-*.csv   Standard library only."""
import csv
import sys

print("| build | file | repeat | plain epoch (s) | plain peak RSS (MB) | CD-GraB / plain RSS | CD-GraB / plain time "
      "| D-RR / plain RSS | D-RR / plain time |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|")
for path in sys.argv[1:]:
    rows = {(r["config"], r["repeat"]): r for r in csv.DictReader(open(path))}
    for rep in sorted({k[1] for k in rows}):
        p = rows[("plain", rep)]
        cells = []
        for c in ("cd-grab-batch", "d-rr-batch"):
            r = rows[(c, rep)]
            cells += ["%.2f" % (int(r["peak_rss_kb"]) / int(p["peak_rss_kb"])),
                      "%.2f" % (float(r["seconds"]) / float(p["seconds"]))]
        build = "before (5e3d4f0, 8 KB buffer)" if "before" in path else "DL4J's 1 MB buffer"
        print("| %s | %s | %s | %.1f | %d | %s |" % (build, path.split("/")[-1], rep, float(p["seconds"]),
                                                     int(p["peak_rss_kb"]) // 1024, " | ".join(cells)))
