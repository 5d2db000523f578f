#!/usr/bin/env bash
# Issue 24: the README's single-worker setting through the drop-in iterator in net.fit, against net.fit on a plain
# DL4J iterator over the data shuffled before every epoch (DataSet.shuffle(seed) + batchBy + ExistingDataSetIterator).
# MLP 784-128-10, SGD lr 0.05, batch 32, 5 epochs, first 10,000 Fashion-MNIST training images, seeds 1-5.
# cd-grab and d-rr through the drop-in (default units: example-last-layer), dl4j-shuffle the DL4J baseline.
# Run from anywhere; ./dgrab builds what is missing.
#
# The committed losses.csv and losses-seeds-6-10.csv (method,seed,epoch,train_loss) were written by this script's
# former form, the lab main DropInVsShuffle, which `./dgrab drop-in` replaced; the command trains the same way and
# writes the training commands' metrics.csv (train loss, test accuracy and times per epoch, epoch 0 = the initial
# model) instead, here to metrics/ and metrics-seeds-6-10/. summarize-never-worse.py reads both formats.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
D=docs/results/never-worse/drop-in
export OMP_NUM_THREADS=1 JAVA_OPTS="${JAVA_OPTS:--Xmx3g}"
{ date -u; uptime; } > $D/load.txt
./dgrab drop-in --data-dir /usr/share/datasets/fashion-mnist --limit-train 10000 --seeds 1,2,3,4,5 --epochs 5 \
    --batch 32 --lr 0.05 --orders dl4j-shuffle,cd-grab,d-rr --out $D/metrics > $D/stdout.txt 2> $D/stderr.log
{ echo "after:"; date -u; uptime; } >> $D/load.txt
python3 scripts/summarize-never-worse.py $D/metrics/metrics.csv > $D/summary.md
# Five more seeds (6-10), the baseline and CD-GraB only, run afterwards beside the ParallelWrapper runs:
{ echo "seeds 6-10:"; date -u; uptime; } >> $D/load.txt
./dgrab drop-in --data-dir /usr/share/datasets/fashion-mnist --limit-train 10000 --seeds 6,7,8,9,10 --epochs 5 \
    --batch 32 --lr 0.05 --orders dl4j-shuffle,cd-grab --out $D/metrics-seeds-6-10 > $D/stdout-seeds-6-10.txt \
    2> $D/stderr-seeds-6-10.log
{ echo "after:"; date -u; uptime; } >> $D/load.txt
python3 scripts/summarize-never-worse.py $D/metrics-seeds-6-10/metrics.csv > $D/summary-seeds-6-10.md
