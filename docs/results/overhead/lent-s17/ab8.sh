#!/usr/bin/env bash
# Probe8 with D-RR and CD-GraB only, another build (OLD, a checkout built with mvn package) and this checkout
# alternating JVM by JVM for ROUNDS rounds, EPOCHS epochs per JVM. Writes OUT/{old,new}-ROUND/{out,load}.txt;
# summary: summ8.py over the concatenated out.txt files of each build (see benchmarks.md).
# Usage: OLD=DIR ab8.sh OUT ROUNDS EPOCHS
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT=$1; R=$2; E=$3
for r in $(seq 1 "$R"); do
  BUILD="${OLD:?set OLD to the other build}" "$HERE/run8.sh" "$OUT/old-$r" 1 "$E" d-rr,cd-grab
  "$HERE/run8.sh" "$OUT/new-$r" 1 "$E" d-rr,cd-grab
done
