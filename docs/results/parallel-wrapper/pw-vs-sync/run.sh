#!/usr/bin/env bash
# Is ParallelWrapper's loss noise at 4 workers dgrab's doing? PwCheck trains DL4J's ParallelWrapper (averaging 1,
# prefetch 0) on plain shuffled batches of 16, no dgrab anywhere, and beside it one model on the same batches joined
# 4 (or 2) at a time, the exact synchronous-SGD equivalent; it prints both models' train loss after every epoch.
# Fashion-MNIST first 10,000 images, MLP 784-128-10, SGD lr 0.05 (the ParallelWrapper benchmark's settings).
# Usage, from the repository root after a build (./dgrab --help):  docs/results/parallel-wrapper/pw-vs-sync/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../../.."
HERE=docs/results/parallel-wrapper/pw-vs-sync
CP="$(cat dgrab-lab/target/classpath.txt):dgrab-lab/target/classes:dgrab-examples/target/classes"
TMP=$(mktemp -d)
javac -cp "$CP" -d "$TMP" "$HERE/PwCheck.java"
for args in "4 0" "4 1" "4 2" "2 0"; do
    echo "== workers seed: $args"
    OMP_NUM_THREADS=1 java -Xmx2g -cp "$CP:$TMP" PwCheck $args 2>&1 | grep '^epoch'
done | tee "$HERE/output.txt"
rm -rf "$TMP"
