#!/usr/bin/env bash
# Issue 24: the README's single-worker setting through the drop-in iterator in net.fit, against net.fit on a plain
# DL4J iterator over the data shuffled before every epoch (DataSet.shuffle(seed) + batchBy + ExistingDataSetIterator).
# MLP 784-128-10, SGD lr 0.05, batch 32, 5 epochs, first 10,000 Fashion-MNIST training images, seeds 1-5.
# cd-grab and d-rr through the drop-in (default units: example-last-layer), dl4j-shuffle the DL4J baseline.
# Run from the repository root after a build (mvn -B -o -q install -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
D=docs/results/never-worse/drop-in
CP="$(cat dgrab-lab/target/classpath.txt):dgrab-lab/target/classes"
{ date -u; uptime; } > $D/load.txt
OMP_NUM_THREADS=1 java -Xmx3g -cp "$CP" org.dgrab.lab.experiment.DropInVsShuffle /usr/share/datasets/fashion-mnist \
    10000 1,2,3,4,5 5 32 0.05 dl4j-shuffle,cd-grab,d-rr > $D/losses.csv 2> $D/stderr.log
{ echo "after:"; date -u; uptime; } >> $D/load.txt
python3 scripts/summarize-never-worse.py $D/losses.csv > $D/summary.md
# Five more seeds (6-10), the baseline and CD-GraB only, run afterwards beside the ParallelWrapper runs:
{ echo "seeds 6-10:"; date -u; uptime; } >> $D/load.txt
OMP_NUM_THREADS=1 java -Xmx3g -cp "$CP" org.dgrab.lab.experiment.DropInVsShuffle /usr/share/datasets/fashion-mnist \
    10000 6,7,8,9,10 5 32 0.05 dl4j-shuffle,cd-grab > $D/losses-seeds-6-10.csv 2> $D/stderr-seeds-6-10.log
{ echo "after:"; date -u; uptime; } >> $D/load.txt
python3 scripts/summarize-never-worse.py $D/losses-seeds-6-10.csv > $D/summary-seeds-6-10.md
