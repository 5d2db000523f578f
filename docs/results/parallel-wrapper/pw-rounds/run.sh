#!/usr/bin/env bash
# Where ParallelWrapper departs from synchronous SGD (no dgrab class involved); see PwRounds.java for the runs.
# Usage, from the repository root after a build (./dgrab --help), with the Debian package dataset-fashion-mnist:
#   docs/results/parallel-wrapper/pw-rounds/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../../.."
HERE=docs/results/parallel-wrapper/pw-rounds
CP="$(cat dgrab-lab/target/classpath.txt):dgrab-lab/target/classes:dgrab-examples/target/classes"
TMP=$(mktemp -d)
javac -cp "$CP" -d "$TMP" "$HERE/PwRounds.java" "$HERE/LastUnit.java"
for args in "race" "epochs 1 keep" "epochs 1 drop"; do
    OMP_NUM_THREADS=1 java -Xmx2g -cp "$CP:$TMP" PwRounds $args 2>&1 | grep -E '^(one round|trial|62[45] batches)'
done | tee "$HERE/output.txt"
# Which of worker 0's mini-batches the dgrab iterator puts last (the one ParallelWrapper trains alone) every epoch,
# CD-GraB and D-RR, 10,000 images, 4 workers, batch units, seeds 0-2.
OMP_NUM_THREADS=1 java -Xmx2g -cp "$CP:$TMP" LastUnit 2>&1 | grep 'last unit' | tee "$HERE/last-unit.txt"
rm -rf "$TMP"
