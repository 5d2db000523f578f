#!/bin/bash
# ab3.sh GRAN MODE ROUNDS OUT
for r in $(seq 1 $3); do for b in base905 wt-26; do ./run3.sh $b $1 10 $2 | sed "s/^/$r /"; done; uptime >> $4.load; done > $4
