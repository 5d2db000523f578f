#!/usr/bin/env bash
# The partial-last-round swing (issue 24): SwingProbe.java (see its comment), CD-GraB and D-RR, seeds 0-2, two runs
# each, 10,000 images, 4 workers, averaging 1, batch units. From the repository root after a build.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
HERE=docs/results/never-worse/partial-round-swing
CP="$(cat dgrab-lab/target/classpath.txt):dgrab-lab/target/classes"
TMP=$(mktemp -d)
javac -cp "$CP" -d "$TMP" "$HERE/SwingProbe.java"
{ date -u; uptime; } > $HERE/load.txt
OMP_NUM_THREADS=1 java -Xmx3g -cp "$CP:$TMP" SwingProbe cd-grab,d-rr 0,1,2 2 > $HERE/probe.txt 2> $HERE/probe.log
{ echo "after:"; date -u; uptime; } >> $HERE/load.txt
python3 $HERE/analyse.py $HERE/probe.txt > $HERE/analysis.md
rm -rf "$TMP"
