#!/usr/bin/env python3
"""CPU profile of one `dgrab cost` run with batch units (async-profiler, collapsed stacks, one line per stack with
its sample count): samples per thread, and the training thread's inclusive samples per frame inside CD-GraB's
LentReplicaPipeline against D-RR's InlinePipeline (work outside the pipelines, such as the sum and the update, is
shared and not split by run). Usage: aggregate.py batch.collapsed.gz   Standard library only."""
import gzip
import sys
from collections import Counter,defaultdict
by=defaultdict(Counter); thr=Counter(); leaf=defaultdict(Counter)
for line in gzip.open(sys.argv[1], 'rt'):
    stack,n=line.rsplit(' ',1); n=int(n)
    frames=stack.split(';')
    t=frames[0].split(' tid')[0].lstrip('[')
    thr[t]+=n
    if t!='main': 
        leaf[t][frames[-1]]+=n
        continue
    run='cd' if any('LentReplicaPipeline' in f for f in frames) else ('drr' if any('InlinePipeline' in f for f in frames) else None)
    if run is None:
        # attribute step-level work outside pipelines (sum, update) by presence of fitEpoch: unknown run
        run='shared'
    seen=set()
    by[run]['ALL']+=n
    for f in frames[1:]:
        if f in seen: continue
        seen.add(f); by[run][f]+=n
print(thr.most_common(10))
print({k:by[k]['ALL'] for k in by})
keys=set(by['cd'])|set(by['drr'])
rows=sorted(keys,key=lambda k:-(by['cd'][k]-by['drr'][k]))
for k in rows[:25]:
    print('%7d %7d %7d  %s'%(by['cd'][k],by['drr'][k],by['cd'][k]-by['drr'][k],k[-110:]))
print('...')
for k in rows[-8:]:
    print('%7d %7d %7d  %s'%(by['cd'][k],by['drr'][k],by['cd'][k]-by['drr'][k],k[-110:]))
sh=by['shared']
print('shared top:', [(k[-60:],v) for k,v in sh.most_common(40) if 'dgrab' in k][:20])
for t in ['dgrab-ordering']:
    print(t, leaf[t].most_common(8))
