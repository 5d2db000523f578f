import sys,collections,statistics as st
# lines: round build order epoch wall maincpu ordcpu
d=collections.defaultdict(list)
for line in open(sys.argv[1]):
    p=line.split()
    if len(p)<7: continue
    r,b,o,e,w,m,oc=p[0],p[1],p[2],int(p[3]),float(p[4]),float(p[5]),float(p[6])
    d[(r,b,o)].append((w,m,oc))
builds=sorted(set(k[1] for k in d)); rounds=sorted(set(k[0] for k in d))
for b in builds:
    for r in rounds:
        if (r,b,'d-rr') not in d or (r,b,'cd-grab') not in d: continue
        dr=d[(r,b,'d-rr')]; cg=d[(r,b,'cd-grab')]
        f=lambda L,i: st.median([x[i] for x in L])
        print(f"{b} round {r}: wall {f(cg,0)/f(dr,0)-1:+.1%}  mainCPU {f(cg,1)/f(dr,1)-1:+.1%}  (d-rr wall {f(dr,0):.3f} cpu {f(dr,1):.3f}; cd ord cpu {f(cg,2):.4f})")
    # pooled pairwise ratios (same round, same epoch)
    rw=[];rc=[]
    for r in rounds:
        if (r,b,'d-rr') not in d: continue
        for x,y in zip(d[(r,b,'cd-grab')],d[(r,b,'d-rr')]):
            rw.append(x[0]/y[0]); rc.append(x[1]/y[1])
    print(f"{b} POOLED paired epochs: wall {st.median(rw)-1:+.1%}  mainCPU {st.median(rc)-1:+.1%}  n={len(rw)}")
