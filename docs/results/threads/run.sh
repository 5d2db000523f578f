#!/usr/bin/env bash
# OpenMP threads and a busy core: ./dgrab demo --epochs 2 --seeds 0 --no-chart --threads T, T alternating 1, 2
# (2 = ND4J's default on this 2-core machine), first with no load of its own (load1_before records what else ran), then with one core kept busy
# by a `yes > /dev/null` that this script starts and stops. Writes threads.csv beside it.
set -u
cd "$(dirname "$0")/../../.."
out=docs/results/threads/threads.csv
./dgrab --help >/dev/null 2>&1 || true   # builds once, outside the timings
echo "condition,round,threads,wall_s,load1_before" > "$out"
for cond in no-extra-load one-core-busy; do
  hog=""
  if [[ $cond == one-core-busy ]]; then yes > /dev/null & hog=$!; sleep 2; fi
  for r in 1 2; do
    for t in 1 2; do
      l0=$(cut -d' ' -f1 /proc/loadavg); s=$(date +%s.%N)
      timeout 400 ./dgrab demo --epochs 2 --seeds 0 --no-chart --threads $t --out /tmp/dgrab-threads >/dev/null 2>&1
      e=$(date +%s.%N)
      echo "$cond,$r,$t,$(echo "$e - $s" | bc),$l0" >> "$out"
    done
  done
  [[ -n $hog ]] && kill $hog
done
