#!/usr/bin/env bash
# Makes the Fashion-MNIST sample that ./dgrab demo trains on, bundled in
# dgrab-examples/src/main/resources/fashion-mnist-sample/ (see the README there).
#
# Usage: scripts/make-fashion-sample.sh [FASHION_MNIST_DIR]
#   FASHION_MNIST_DIR  folder with the four Fashion-MNIST IDX files, gzipped or not
#                      (default: /usr/share/datasets/fashion-mnist, Debian package dataset-fashion-mnist;
#                      or download them from https://github.com/zalandoresearch/fashion-mnist, folder data/fashion)
#
# The sample is 3000 training and 1000 test images, an equal number per class, chosen by a seeded shuffle
# (seed 0 for the training split, 1 for the test split) and kept in their original relative order; the same
# input files give byte-identical output. The selection is done by `./dgrab make-sample`
# (org.dgrab.lab.cli.MakeSampleCommand).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="${1:-/usr/share/datasets/fashion-mnist}"
exec "$ROOT/dgrab" make-sample --data-dir "$SRC" --train 3000 --test 1000 --seed 0 \
    --out "$ROOT/dgrab-examples/src/main/resources/fashion-mnist-sample"
