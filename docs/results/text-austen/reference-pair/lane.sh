#!/usr/bin/env bash
# usage: lane.sh SEED...   runs each seed of the reference setting in its own dgrab process, one after another
cd /work/wt-24b
R=docs/results/text-austen/reference-pair
for s in "$@"; do
  echo "seed $s start: $(date -u +%FT%TZ) $(cat /proc/loadavg)" >> $R/seeds.log
  OMP_NUM_THREADS=1 DGRAB_PROGRESS=plain ./dgrab text --tsv data/austen.tsv --classes emma,persuasion --workers 16 --batch 1 \
      --epochs 50 --seeds $s --orders cd-grab,d-rr,id-grab-pair --herding-bound --out $R/seed-$s \
      > $R/seed-$s.stdout 2> $R/seed-$s.progress
  echo "seed $s end (rc $?): $(date -u +%FT%TZ) $(cat /proc/loadavg)" >> $R/seeds.log
done
