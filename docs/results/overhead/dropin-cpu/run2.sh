#!/usr/bin/env bash
# Drop-in iterator against plain net.fit, CPU time by thread (issue 26). DropinProbe (this folder): SourceBench's
# memory modes (MLP 784-128-10, SGD, synthetic 784-value examples of 10 classes, batch B, N examples) with every
# JVM thread's CPU time; one configuration per JVM, interleaved, ROUNDS rounds; the first of EPOCHS epochs left out.
#
# Usage: run2.sh OUT ROUNDS EPOCHS BUILD/MODE...
#   BUILD: new = this checkout's dgrab-dl4j classes; any other name X = the classpath in $BUILD_X, the compiled
#          dgrab-dl4j and dgrab-core classes of another commit, e.g.
#          BUILD_old=/tmp/old/dgrab-dl4j/target/classes:/tmp/old/dgrab-core/target/classes ($OLD_DL4J is read for
#          "old" when BUILD_old is not set)
#   MODE:  plain (AsyncDataSetIterator over ExistingDataSetIterator) | GRANULARITY:ORDER[:obs]
#          (OrderedDataSetIterator over ExistingDataSetIterator; obs = optObserverThread(true)), e.g. BATCH:cd-grab
# Writes OUT/results.csv (round,build,mode,median_epoch_s,mean_epoch_s,main_cpu_s,all_cpu_s) and OUT/load.txt.
# Needs a built checkout (mvn -B -q package -DskipTests).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
OUT=$1; R=$2; E=$3; shift 3
mkdir -p "$OUT/probe"
REST="$ROOT/dgrab-core/target/classes:$(tr ':' '\n' < "$ROOT/dgrab-lab/target/classpath.txt" | grep -v "$ROOT/dgrab" | paste -sd:)"
javac -nowarn -d "$OUT/probe" -cp "$ROOT/dgrab-dl4j/target/classes:$REST" "$(dirname "$0")/DropinProbe.java" 2>/dev/null
echo "round,build,mode,median_epoch_s,mean_epoch_s,main_cpu_s,all_cpu_s" > "$OUT/results.csv"; : > "$OUT/load.txt"
for r in $(seq 1 "$R"); do
  for bm in "$@"; do
    b=${bm%%/*}; m=${bm#*/}
    if [ "$b" = new ]; then
      DL4J="$ROOT/dgrab-dl4j/target/classes"
    else
      var="BUILD_$b"; [ "$b" = old ] && [ -z "${!var:-}" ] && var=OLD_DL4J
      DL4J="${!var:?set BUILD_$b to the classpath of build $b}"
    fi
    echo "$(date -u +%FT%TZ) round $r $bm: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"
    OMP_NUM_THREADS=1 java -cp "$OUT/probe:$DL4J:$REST" DropinProbe "${N:-8192}" "${B:-16}" "$E" "$m" 2>/dev/null \
      | awk -F, -v r="$r" -v b="$b" '$1=="csv"{print r","b","$2","$3","$4","$5","$6}' >> "$OUT/results.csv"
  done
done
echo "$(date -u +%FT%TZ) end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"
