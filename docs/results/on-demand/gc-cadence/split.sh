#!/usr/bin/env bash
# One SourceBench run with its RSS split into the Java heap, other anonymous memory (ND4J's native buffers, malloc,
# thread stacks, metaspace) and file-backed memory, sampled from /proc/PID/smaps every 0.5 s (smaps.py), and its
# garbage collections logged (issue 22, fourteenth session). -Xmx1g with compressed oops puts the heap at
# 0xc0000000-0x100000000 (the gc+init log line "Heap address" says so).
# Usage: split.sh OUT NAME SourceBench-arguments...   writes OUT/NAME.stdout, OUT/NAME.smaps, OUT/NAME.gc
# SPLIT_JVM adds JVM flags (e.g. "-XX:SurvivorRatio=2").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
OUT=$1; NAME=$2; shift 2
read -r -a EXTRA <<< "${SPLIT_JVM:-}"
CP="$ROOT/dgrab-lab/target/classes:$ROOT/dgrab-examples/target/classes:$ROOT/dgrab-dl4j/target/classes:$ROOT/dgrab-core/target/classes:$(cat "$ROOT/dgrab-lab/target/classpath.txt")"
OMP_NUM_THREADS=1 /usr/bin/time -f 'rss %M' java -Xmx1g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g -Xlog:gc+init "${EXTRA[@]}" \
    "-Xlog:gc:file=$OUT/$NAME.gc" -cp "$CP" org.dgrab.lab.bench.SourceBench "$@" > "$OUT/$NAME.stdout" 2>&1 &
P=$!
sleep 0.3
JP=$(pgrep -P "$P" java || echo "$P")
python3 "$(dirname "$0")/smaps.py" "$JP" c0000000 100000000 "$OUT/$NAME.smaps" &
wait "$P"
wait
echo "$NAME load after: $(cat /proc/loadavg)" >> "$OUT/$NAME.stdout"
