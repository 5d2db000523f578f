import sys,csv,statistics as st,collections
d=collections.defaultdict(lambda: collections.defaultdict(list))
for r in csv.DictReader(open(sys.argv[1])):
    for k in ['median_epoch_s','main_cpu_s','all_cpu_s']: d[(r['build']+'/' if r.get('build') else '')+r['mode']][k].append(float(r[k]))
base=d[sys.argv[2]]
for m,v in d.items():
    print('%-32s n=%d '%(m,len(v['main_cpu_s']))+'  '.join('%s %.3f (%+.1f%%)'%(k,st.median(v[k]),100*(st.median(v[k])/st.median(base[k])-1)) for k in ['median_epoch_s','main_cpu_s','all_cpu_s']))
