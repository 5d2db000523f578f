"""Summarises the LastLayerStepBenchmark CSVs of jmh-ab.sh: per build and round, wall and CPU per step, and
CD-GraB's overhead over D-RR. These runs used the first version of the CPU counters (commit 7ab927a), whose values
were per-step averages of an iteration that JMH then summed over the 5 measurement iterations: they are divided by 5
here. Usage: python3 summarize.py jmh-*.csv"""
import csv, sys, re
ITER = 5
for f in sys.argv[1:]:
    rows = {}
    for r in csv.DictReader(open(f)):
        name = r['Benchmark'].split('.')[-1]
        key = (r['Param: order'], r['Param: ordering'])
        v = float(r['Score'])
        if ':' in name:
            v /= ITER
        rows.setdefault(key, {})[name.split(':')[-1]] = v
    print(f)
    for mode in ('async', 'sync'):
        d, c = rows[('d-rr', mode)], rows[('cd-grab', mode)]
        print(f"  {mode:5s} wall d-rr {d['step']/1e3:7.1f} ms cd-grab {c['step']/1e3:7.1f} ms ({c['step']/d['step']-1:+.0%})"
              f" | train-thread CPU {d['trainThreadCpuMicros']/1e3:5.1f} / {c['trainThreadCpuMicros']/1e3:5.1f} ms ({c['trainThreadCpuMicros']/d['trainThreadCpuMicros']-1:+.0%})"
              f" | process CPU {d['processCpuMicros']/1e3:5.1f} / {c['processCpuMicros']/1e3:5.1f} ms ({c['processCpuMicros']/d['processCpuMicros']-1:+.0%})")
