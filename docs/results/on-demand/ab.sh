#!/usr/bin/env bash
# SourceBench side by side on two builds, alternating: the old build in $DGRAB_AB_OLD (default /tmp/prev), this
# checkout as the new one. Prepare the old build with
#   git worktree add /tmp/prev <commit> && (cd /tmp/prev && mvn -q -o -DskipTests package -pl dgrab-lab -am \
#     && mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl dgrab-lab)
# (for a commit from before the dgrab-lab module: dgrab-examples in both places)
# and this one with ./dgrab --version. Usage: ab.sh REPEATS SourceBench-arguments...
#   docs/results/on-demand/ab.sh 2 images-dgrab /tmp/dgrab-on-demand/images 20000 3
set -euo pipefail
NEW="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
OLD="${DGRAB_AB_OLD:-/tmp/prev}"
# A build from before the dgrab-lab module has the bench in dgrab-examples, package org.dgrab.examples.
cpof() {
  if [[ -d "$1/dgrab-lab" ]]; then
    echo "$1/dgrab-lab/target/classes:$1/dgrab-examples/target/classes:$1/dgrab-dl4j/target/classes:$1/dgrab-core/target/classes:$(cat "$1/dgrab-lab/target/classpath.txt")"
  else
    echo "$1/dgrab-examples/target/classes:$1/dgrab-dl4j/target/classes:$1/dgrab-core/target/classes:$(cat "$1/dgrab-examples/target/classpath.txt")"
  fi
}
benchof() { if [[ -d "$1/dgrab-lab" ]]; then echo org.dgrab.lab.bench.SourceBench; else echo org.dgrab.examples.bench.SourceBench; fi; }
export OMP_NUM_THREADS=1
reps=$1; shift
for r in $(seq 1 "$reps"); do
  for b in "$OLD" "$NEW"; do
    echo "== $b rep $r load $(cut -d' ' -f1 /proc/loadavg)"
    /usr/bin/time -f 'rss %M' java -Xmx1g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g -cp "$(cpof "$b")" \
        "$(benchof "$b")" "$@" 2>&1 | grep -E "^(epoch|rss)"
  done
done
