#!/usr/bin/env python3
"""Summary of DeallocationCensus output (issue 22): over the windows of at least 20 iterations, the ND4J objects
left per trained batch, in all and by kind (weighted by the windows' iterations).
Usage: census.py census-NAME.txt..."""
import collections, sys

for path in sys.argv[1:]:
    its, total, kinds, use = 0, 0.0, collections.Counter(), False
    for line in open(path):
        f = line.rstrip('\n').split(',')
        if f[0] == 'window':
            use = int(f[1]) >= 20
            if use:
                w = int(f[1]); its += w; total += float(f[4]) * w
        elif f[0] == 'kind' and use:
            kinds[f[2]] += float(f[1]) * w
    print(f'{path}: {its} iterations in GC-free windows, {total / its:.1f} objects per iteration')
    for k, v in kinds.most_common():
        if v / its >= 0.5:
            print(f'  {v / its:6.2f}  {k}')
