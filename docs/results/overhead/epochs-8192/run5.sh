#!/bin/bash
# run5.sh OUT ROUNDS EPOCHS: Probe5 (epoch-alternating D-RR / CD-GraB, last-layer, 8,192 Fashion-MNIST images) on
# 905bc15 and on main's library (/tmp/wt26-snap), alternating JVMs. Columns: round build order epoch wall mainCPU orderingCPU processCPU
out=$1; mkdir -p $(dirname $out)
for r in $(seq 1 $2); do for b in base905 wt-26; do
  d=/tmp/base905; [ $b = wt-26 ] && d=/tmp/wt26-snap
  CP="/tmp/probe/$b:$d/dgrab-lab/target/classes:$d/dgrab-examples/target/classes:$d/dgrab-dl4j/target/classes:$d/dgrab-core/target/classes:$(cat $d/dgrab-lab/target/classpath.txt)"
  uptime >> $out.load
  OMP_NUM_THREADS=1 java -cp "$CP" Probe5 example-last-layer $3 2>/dev/null | grep -v CTX | sed "s/^/$r $b /" >> $out
done; done; uptime >> $out.load
