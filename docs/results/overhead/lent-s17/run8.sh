#!/usr/bin/env bash
# Probe8 (this folder) in JVMS separate JVMs of EPOCHS epochs each (the first epoch of each JVM left out), this
# checkout's classes; writes OUT/out.txt ("JVM TRAINER EPOCH SLOT wall train_cpu ordering_cpu process_cpu") and
# OUT/load.txt. BUILD=DIR runs another checkout's classes (built with mvn package) instead.
# Usage: [BUILD=DIR] run8.sh OUT JVMS EPOCHS [TRAINERS]   (summary: summ8.py OUT/out.txt)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="${BUILD:-$(cd "$(dirname "$0")/../../../.." && pwd)}"
OUT=$1; J=$2; E=$3; T=${4:-d-rr,lent-noop,lent-copy,cd-grab,cd-grab-sync}
mkdir -p "$OUT/classes"; : > "$OUT/load.txt"; : > "$OUT/out.txt"
CP="$ROOT/dgrab-lab/target/classes:$ROOT/dgrab-examples/target/classes:$ROOT/dgrab-dl4j/target/classes:$ROOT/dgrab-core/target/classes:$(cat "$ROOT/dgrab-lab/target/classpath.txt")"
javac -nowarn -d "$OUT/classes" -cp "$CP" "$HERE/Probe8.java" 2>/dev/null
for j in $(seq 1 "$J"); do
  echo "$(date -u +%FT%TZ) jvm $j: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"
  OMP_NUM_THREADS=1 java -cp "$OUT/classes:$CP" Probe8 "$E" "$T" 2>/dev/null | sed "s/^/$j /" >> "$OUT/out.txt"
done
echo "$(date -u +%FT%TZ) end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"
