"""Median epoch wall time, training-thread CPU and process CPU per build, round, granularity and order of a
dgrab cost --compare-to output directory (first epoch of every run left out). Usage: python3 absolute.py DIR"""
import csv, glob, os, statistics as st, sys
for d in sorted(glob.glob(os.path.join(sys.argv[1], '*-*/cost.csv'))):
    rows = [r for r in csv.DictReader(open(d)) if r['epoch'] != '0']
    run = os.path.basename(os.path.dirname(d))
    for g in sorted({r['granularity'] for r in rows}):
        cells = []
        for o in ('d-rr', 'cd-grab'):
            sel = [r for r in rows if r['granularity'] == g and r['order'] == o]
            m = lambda c: st.median(float(r[c]) for r in sel)
            cells.append(f"{o} wall {m('epoch_seconds'):.3f} s, training CPU {m('train_thread_cpu_seconds'):.3f} s, "
                         f"process CPU {m('process_cpu_seconds'):.3f} s")
        print(f"{run:8s} {g:19s} " + ' | '.join(cells))
