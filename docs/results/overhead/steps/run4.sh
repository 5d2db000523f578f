#!/bin/bash
# run4.sh OUT ROUNDS PAIRS GRAN MODE LABEL_A DIR_A LABEL_B DIR_B
# Step-interleaved A/B (Probe4): in each JVM a D-RR and a CD-GraB trainer take turns step by step; the two builds
# alternate JVM by JVM, ROUNDS times. DIR_x: a build whose dgrab-*/target/classes and
# dgrab-lab/target/classpath.txt exist, with Probe4 compiled into /tmp/probe/LABEL_x
# (javac -d /tmp/probe/LABEL_x -cp <that build's classpath> Probe4.java). 48 warm-up pairs are not printed.
out=$1; rounds=$2; pairs=$3; gran=$4; mode=$5; la=$6; da=$7; lb=$8; db=$9; mkdir -p $out
for r in $(seq 1 $rounds); do for x in a b; do
  if [ $x = a ]; then b=$la; d=$da; else b=$lb; d=$db; fi
  CP="/tmp/probe/$b:$d/dgrab-lab/target/classes:$d/dgrab-examples/target/classes:$d/dgrab-dl4j/target/classes:$d/dgrab-core/target/classes:$(cat $d/dgrab-lab/target/classpath.txt)"
  uptime >> $out/load.txt
  OMP_NUM_THREADS=1 java -cp "$CP" Probe4 $gran $pairs 48 $mode 2>/dev/null | sed "s/^/$r $b /" >> $out/pairs-$gran-$mode.txt
done; done; uptime >> $out/load.txt
