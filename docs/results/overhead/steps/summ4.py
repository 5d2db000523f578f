import sys,collections,statistics as st
# lines: round build k wall_drr wall_cd cpu_drr cpu_cd proc_drr proc_cd
d=collections.defaultdict(list)
for line in open(sys.argv[1]):
    p=line.split()
    if len(p)!=9: continue
    d[p[1]].append([float(v) for v in p[3:]])
print("build    pairs  wall: median ratio-1 [quartiles] | train-thread CPU: median ratio-1 [quartiles] | process CPU: ratio of sums-1 | median d-rr step wall, CPU (ms)")
for b,rows in d.items():
    def q(i,j):
        r=sorted(x[j]/x[i] for x in rows if x[i]>0)
        n=len(r); return r[n//2]-1, r[n//4]-1, r[(3*n)//4]-1
    w=q(0,1); c=q(2,3)
    proc=sum(x[5] for x in rows)/sum(x[4] for x in rows)-1
    print(f"{b:8s} {len(rows):5d}  {w[0]:+.1%} [{w[1]:+.1%}, {w[2]:+.1%}] | {c[0]:+.1%} [{c[1]:+.1%}, {c[2]:+.1%}] | {proc:+.1%} | {st.median(x[0] for x in rows)*1e3:.1f}, {st.median(x[2] for x in rows)*1e3:.1f}")
