# Summarises run7.sh output: per build, CPU seconds per epoch of every thread, median over rounds, D-RR vs CD-GraB.
import sys,collections,statistics as st
d=collections.defaultdict(list)   # (build,order,thread) -> values per round
for l in open(sys.argv[1]):
    p=l.split()
    if len(p)>3 and p[2]=='THREAD':
        r,b,_,o=p[:4]; name=' '.join(p[4:-1]); d[(b,o,name)].append(float(p[-1]))
threads=sorted({k[2] for k in d})
for b in ['base905','main']:
    print('==',b)
    tot={'d-rr':0,'cd-grab':0}
    for t in threads:
        v={o: st.median(d.get((b,o,t),[0])) for o in ['d-rr','cd-grab']}
        tot={o:tot[o]+v[o] for o in tot}
        print('  %-28s d-rr %.4f cd-grab %.4f diff %+.4f  (n=%d)'%(t,v['d-rr'],v['cd-grab'],v['cd-grab']-v['d-rr'],len(d.get((b,'cd-grab',t),[]))))
    print('  %-28s d-rr %.4f cd-grab %.4f diff %+.4f (%+.1f%%)'%('SUM of medians',tot['d-rr'],tot['cd-grab'],tot['cd-grab']-tot['d-rr'],100*(tot['cd-grab']/tot['d-rr']-1)))
