"""Medians per build and order of run5.sh's epochs (columns: round build order epoch wall mainCPU orderingCPU
processCPU; epoch 0 is not printed). Usage: python3 summarize.py epochs.txt"""
import collections, statistics as st, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 8:
        d[(p[1], p[2])].append([float(x) for x in p[4:]])
for b in sorted({k[0] for k in d}):
    for o in ('d-rr', 'cd-grab'):
        v = d[(b, o)]
        print(f"{b:8s} {o:8s} n={len(v):2d} wall {st.median(x[0] for x in v):.3f} s, training thread "
              f"{st.median(x[1] for x in v):.3f} s, ordering thread {st.median(x[2] for x in v):.3f} s, "
              f"process {st.median(x[3] for x in v):.3f} s")
