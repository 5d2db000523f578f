#!/usr/bin/env bash
while true; do echo "$(date -u +%FT%TZ) $(cat /proc/loadavg)" >> /work/wt-24b/docs/results/text-austen/reference-pair.load.txt; sleep 300; done
