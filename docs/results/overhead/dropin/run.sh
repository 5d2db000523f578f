#!/usr/bin/env bash
# Drop-in iterator vs plain net.fit, single worker, in-memory data (issue 26): SourceBench's memory modes (MLP
# 784-128-10, SGD, synthetic 784-value examples of 10 classes), interleaved JVM by JVM for ROUNDS rounds.
#   plain:    net.fit(AsyncDataSetIterator(ExistingDataSetIterator(batches)))
#   last-layer / batch: net.fit(OrderedDataSetIterator with CD-GraB over ExistingDataSetIterator(batches))
# Writes results.csv (round,config,epoch,seconds) and load.txt beside this script.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=../../../..
N=${N:-8192}; BATCH=${BATCH:-16}; EPOCHS=${EPOCHS:-4}; ROUNDS=${ROUNDS:-4}
CP="$ROOT/dgrab-lab/target/classes:$ROOT/dgrab-examples/target/classes:$ROOT/dgrab-dl4j/target/classes:$ROOT/dgrab-core/target/classes:$(cat $ROOT/dgrab-lab/target/classpath.txt)"
echo "round,config,epoch,seconds" > results.csv
: > load.txt
for r in $(seq 1 "$ROUNDS"); do
  for c in plain last-layer batch; do
    case $c in
      plain) args=(memory-plain "$N" "$BATCH" "$EPOCHS") ;;
      last-layer) args=(memory-dgrab "$N" "$BATCH" "$EPOCHS" EXAMPLE_LAST_LAYER) ;;
      batch) args=(memory-dgrab "$N" "$BATCH" "$EPOCHS" BATCH) ;;
    esac
    echo "$(date -u +%FT%TZ) round $r $c: $(cut -d' ' -f1-3 /proc/loadavg)" >> load.txt
    OMP_NUM_THREADS=1 java -cp "$CP" org.dgrab.lab.bench.SourceBench "${args[@]}" 2>/dev/null \
      | awk -F, -v r="$r" -v c="$c" '$1 == "epoch" {print r "," c "," $2 "," $3}' >> results.csv
  done
done
echo "$(date -u +%FT%TZ) end: $(cut -d' ' -f1-3 /proc/loadavg)" >> load.txt
