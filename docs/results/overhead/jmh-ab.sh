#!/bin/bash
# Alternating JMH runs of LastLayerStepBenchmark on 905bc15 (/tmp/base905) and this branch's build at the time.
OUT=$1; ROUNDS=$2; shift 2
# /tmp/wt26-snap: a copy of this branch's target/classes and classpath.txt taken before the run, so that edits
# during the run do not change the B side (see the commit this file belongs to).
mkdir -p $OUT
for r in $(seq 1 $ROUNDS); do
  for b in base905 wt-26; do
    d=/tmp/base905; [ $b = wt-26 ] && d=/tmp/wt26-snap
    uptime > $OUT/load-$b-$r.txt
    CP="$d/dgrab-lab/target/classes:$d/dgrab-examples/target/classes:$d/dgrab-dl4j/target/classes:$d/dgrab-core/target/classes:$(cat $d/dgrab-lab/target/classpath.txt)"
    OMP_NUM_THREADS=1 java -cp "$CP" org.openjdk.jmh.Main LastLayerStepBenchmark -p granularity=example-last-layer "$@" -rf csv -rff $OUT/jmh-$b-$r.csv > $OUT/jmh-$b-$r.log 2>&1
    uptime >> $OUT/load-$b-$r.txt
  done
done
