#!/bin/bash
# run.sh BUILD ORDER GRAN EPOCHS
b=$1; d=/tmp/base905; [ $b = wt-26 ] && d=/work/wt-26
CP="/tmp/probe/$b:$d/dgrab-lab/target/classes:$d/dgrab-examples/target/classes:$d/dgrab-dl4j/target/classes:$d/dgrab-core/target/classes:$(cat $d/dgrab-lab/target/classpath.txt)"
OMP_NUM_THREADS=1 java ${JOPTS:-} -cp "$CP" Probe $2 $3 $4 2>/dev/null | sed "s/^/$b /"
