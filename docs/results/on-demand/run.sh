#!/usr/bin/env bash
# What reading on demand costs (issue 22): peak RSS and epoch time of dgrab's drop-in iterator against DL4J's own
# pipeline on the same data, one JVM per run, configurations interleaved and repeated.
#   docs/results/on-demand/run.sh files  N EPOCHS REPEATS   mini-batch files of 64 (CD-GraB and D-RR, batch units) vs
#                                                           AsyncDataSetIterator(ExistingMiniBatchDataSetIterator)
#   docs/results/on-demand/run.sh images N EPOCHS REPEATS   the first N Fashion-MNIST training images as PNG files
#                                                           (./dgrab make-images), CD-GraB example units on demand vs
#                                                           AsyncDataSetIterator(RecordReaderDataSetIterator)
#   docs/results/on-demand/run.sh memory N EPOCHS REPEATS   batches of 64 in memory (CD-GraB, example and batch
#                                                           units) vs AsyncDataSetIterator over the same batches
# Writes results-<kind>.csv here: kind,config,repeat,epoch,seconds,peak_rss_kb,rss_before_open,rss_after_open,
# rss_after_epoch,heap_committed (per run: peak RSS from /usr/bin/time; process RSS in bytes, JavaCPP's physicalBytes,
# before and after the training iterator first reads its source, and after each epoch; the Java heap's committed
# bytes after each epoch).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kind="$1"; n="$2"; epochs="$3"; repeats="$4"
DATA="${DGRAB_BENCH_DATA:-/tmp/dgrab-on-demand}"
# DGRAB_BENCH_JVM adds JVM flags (e.g. "-Xms1g -XX:+AlwaysPreTouch": a heap resident from the start, so that RSS
# differences are off-heap only) and DGRAB_BENCH_TAG names the CSV results-<kind>-<tag>.csv.
read -r -a EXTRA <<< "${DGRAB_BENCH_JVM:-}"
JVM=(-Xmx1g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g "${EXTRA[@]}")
export OMP_NUM_THREADS=1

# Build once through the launcher, then run the bench class on its classpath.
"$ROOT/dgrab" --version >/dev/null
CP="$ROOT/dgrab-lab/target/classes:$ROOT/dgrab-examples/target/classes:$ROOT/dgrab-dl4j/target/classes:$ROOT/dgrab-core/target/classes:$(cat "$ROOT/dgrab-lab/target/classpath.txt")"
run() {  # config, then SourceBench arguments
    local config="$1"; shift
    local log; log="$(mktemp)"
    /usr/bin/time -f 'rss %M' java "${JVM[@]}" -cp "$CP" org.dgrab.lab.bench.SourceBench "$@" > "$log" 2>&1 \
        || { cat "$log" >&2; echo "run $config failed" >&2; exit 1; }
    local rss before opened; rss="$(awk '/^rss /{print $2}' "$log")"
    before="$(awk -F, '/^rss,before,/{print $3}' "$log")"; opened="$(awk -F, '/^rss,opened,/{print $3}' "$log")"
    awk -F, -v k="$kind" -v c="$config" -v r="$rep" -v m="$rss" -v b="$before" -v o="$opened" \
        '/^epoch,/{e=$2; s=$3} /^rss,epoch/{print k","c","r","e","s","m","b","o","$3","$4}' "$log" >> "$CSV"
    rm -f "$log"
}

CSV="$OUT/results-$kind${DGRAB_BENCH_TAG:+-$DGRAB_BENCH_TAG}.csv"
echo "kind,config,repeat,epoch,seconds,peak_rss_kb,rss_before_open,rss_after_open,rss_after_epoch,heap_committed" > "$CSV"
echo "$kind ${DGRAB_BENCH_TAG:-} load before: $(cat /proc/loadavg)" | tee -a "$OUT/load.txt" >&2
case "$kind" in
    files)
        if [[ ! -f "$DATA/files-$n/dataset-0.bin" ]]; then
            rm -rf "$DATA/files-$n"
            java -Xmx1g -cp "$CP" org.dgrab.lab.bench.SourceBench write-files "$DATA/files-$n" "$n" 64 >&2
        fi
        for rep in $(seq 1 "$repeats"); do
            run plain files-plain "$DATA/files-$n" "$epochs"
            run cd-grab-batch files-dgrab "$DATA/files-$n" "$epochs" cd-grab
            run d-rr-batch files-dgrab "$DATA/files-$n" "$epochs" d-rr
        done ;;
    images)
        if [[ ! -d "$DATA/images/train" ]]; then
            rm -rf "$DATA/images"
            "$ROOT/dgrab" make-images --out "$DATA/images" --limit-train "$n" --limit-test 100 >&2
        fi
        for rep in $(seq 1 "$repeats"); do
            run plain images-plain "$DATA/images" "$n" "$epochs"
            run cd-grab-example images-dgrab "$DATA/images" "$n" "$epochs"
        done ;;
    memory)
        for rep in $(seq 1 "$repeats"); do
            run plain memory-plain "$n" 64 "$epochs"
            run cd-grab-batch memory-dgrab "$n" 64 "$epochs" BATCH
            run cd-grab-example memory-dgrab "$n" 64 "$epochs" EXAMPLE_LAST_LAYER
        done ;;
    *) echo "kind must be files, images or memory" >&2; exit 2 ;;
esac
echo "$kind ${DGRAB_BENCH_TAG:-} load after: $(cat /proc/loadavg)" | tee -a "$OUT/load.txt" >&2
