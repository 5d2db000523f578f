"""Drop-in iterator vs plain net.fit (dropin/run.sh): per configuration the median epoch (first epoch of every JVM
left out) and, per round, the ratio to that round's plain run. Usage: python3 summarize.py results.csv"""
import csv, statistics as st, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r['epoch'] != '0']
configs = ['plain', 'last-layer', 'batch']
rounds = sorted({r['round'] for r in rows}, key=int)
med = lambda c, rd=None: st.median(float(r['seconds']) for r in rows if r['config'] == c and (rd is None or r['round'] == rd))
for c in configs:
    per = [med(c, rd) / med('plain', rd) - 1 for rd in rounds]
    print(f"{c:10s} median epoch {med(c):.3f} s, overhead vs plain: pooled {med(c) / med('plain') - 1:+.1%}, "
          f"median of rounds {st.median(per):+.1%} (rounds: {', '.join(f'{p:+.1%}' for p in per)})")
