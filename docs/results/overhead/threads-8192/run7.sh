#!/usr/bin/env bash
# CPU time by thread of a D-RR and a CD-GraB DataParallelTrainer (last-layer units), this checkout against another
# build (issue 26). Probe7 (this folder) is compiled once per build; builds alternate JVM by JVM for ROUNDS rounds.
#
# Usage: BASE=/tmp/base905 run7.sh OUT ROUNDS EPOCHS
#   BASE: a checkout of the other build with dgrab-core and dgrab-dl4j compiled (mvn -B -q package -DskipTests
#         -pl dgrab-core,dgrab-dl4j). The data (8,192 Fashion-MNIST images from /usr/share/datasets/fashion-mnist)
#         and the model come from this checkout's dgrab-lab classes.
# Writes OUT/out.txt ("ROUND BUILD ..." lines of Probe7) and OUT/load.txt; summarise with summ7.py OUT/out.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
OUT=$1; R=$2; E=$3
BASE="${BASE:?set BASE to the checkout of the other build}"
mkdir -p "$OUT/main" "$OUT/base905"; : > "$OUT/load.txt"; : > "$OUT/out.txt"
REST="$ROOT/dgrab-lab/target/classes:$ROOT/dgrab-examples/target/classes:$(tr ':' '\n' < "$ROOT/dgrab-lab/target/classpath.txt" | grep -v "$ROOT/dgrab" | paste -sd:)"
LIB_main="$ROOT/dgrab-core/target/classes:$ROOT/dgrab-dl4j/target/classes"
LIB_base905="$BASE/dgrab-core/target/classes:$BASE/dgrab-dl4j/target/classes"
for b in main base905; do
  lib="LIB_$b"; javac -nowarn -d "$OUT/$b" -cp "${!lib}:$REST" "$(dirname "$0")/Probe7.java" 2>/dev/null
done
for r in $(seq 1 "$R"); do
  for b in main base905; do
    lib="LIB_$b"
    echo "$(date -u +%FT%TZ) round $r $b: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"
    OMP_NUM_THREADS=1 java -cp "$OUT/$b:${!lib}:$REST" Probe7 example-last-layer "$E" 2>/dev/null | sed "s/^/$r $b /" >> "$OUT/out.txt"
  done
done
echo "$(date -u +%FT%TZ) end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"
