#!/usr/bin/env bash
# Regenerates the summaries of docs/benchmarks.md's issue-24 tables from the raw CSVs (run from the repository root).
set -euo pipefail
S=docs/results/text-austen/summarize_reference.py
R=docs/results/text-austen/reference-pair
python3 $S $R/seed-*/metrics.csv > $R/summary.md
python3 $S $R/seed-*/metrics.csv --last 30 --epochs 2,10,20,30 > $R/summary-first-30-epochs.md
python3 $S $R/seed-*/metrics.csv --last 10 --epochs 2,5,10 > $R/summary-first-10-epochs.md
python3 $S docs/results/never-worse/demo/metrics.csv > docs/results/never-worse/summary.md
