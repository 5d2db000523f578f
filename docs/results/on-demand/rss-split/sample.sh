#!/usr/bin/env bash
# Peak RSS split into anonymous and file-backed memory, with the JVM's own native memory (NMT) beside it (issue 22).
# Runs one SourceBench configuration with -Xmx1g and ND4J capped at 3 GB, samples /proc/PID/status every 0.5 s
# (VmRSS, RssAnon, RssFile) and `jcmd PID VM.native_memory summary` every 10 s.
#
# Usage: sample.sh OUT NAME SourceBench-arguments...   e.g. sample.sh OUT drr files-dgrab /tmp/dgrab-on-demand/files-1000000 1 d-rr
# Writes OUT/NAME.stdout, OUT/NAME.status, OUT/NAME.nmt. Needs a built checkout (./dgrab --version builds it).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
OUT=$1; NAME=$2; shift 2
CP="$ROOT/dgrab-lab/target/classes:$ROOT/dgrab-examples/target/classes:$ROOT/dgrab-dl4j/target/classes:$ROOT/dgrab-core/target/classes:$(cat "$ROOT/dgrab-lab/target/classpath.txt")"
OMP_NUM_THREADS=1 java -Xmx1g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g -XX:NativeMemoryTracking=summary -cp "$CP" \
    org.dgrab.lab.bench.SourceBench "$@" > "$OUT/$NAME.stdout" 2>&1 &
PID=$!
: > "$OUT/$NAME.status"; : > "$OUT/$NAME.nmt"
i=0
while kill -0 "$PID" 2>/dev/null; do
    if [[ -r /proc/$PID/status ]]; then
        echo "$(date +%s.%N) $(grep -E '^(VmRSS|RssAnon|RssFile|RssShmem|VmHWM):' /proc/$PID/status | awk '{printf "%s%s ", $1, $2}')" >> "$OUT/$NAME.status"
    fi
    if (( i % 20 == 10 )); then
        { echo "=== $(date +%s.%N) rss $(grep VmRSS /proc/$PID/status | awk '{print $2}')"
          jcmd "$PID" VM.native_memory summary 2>/dev/null | grep -E 'Total|^-|committed' | head -60; } >> "$OUT/$NAME.nmt" || true
    fi
    i=$((i + 1)); sleep 0.5
done
wait "$PID"; echo "exit $?" >> "$OUT/$NAME.stdout"
