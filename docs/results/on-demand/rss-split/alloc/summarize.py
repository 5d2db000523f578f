#!/usr/bin/env python3
"""Java allocation and garbage collections of a JFR recording (issue 22): sampled allocation weight by thread,
type and site (jdk.ObjectAllocationSample), and the collections by kind and cause (jdk.GarbageCollection).
Usage: summarize.py RECORDING.jfr[.gz]   (needs the JDK's `jfr` tool)"""
import collections, gzip, json, os, shutil, subprocess, sys, tempfile

def events(path, kind, depth=30):
    with tempfile.TemporaryDirectory() as tmp:
        if path.endswith('.gz'):
            plain = os.path.join(tmp, 'r.jfr')
            with gzip.open(path) as i, open(plain, 'wb') as o:
                shutil.copyfileobj(i, o)
            path = plain
        out = subprocess.check_output(['jfr', 'print', '--json', '--stack-depth', str(depth), '--events', kind, path])
    return json.loads(out)['recording']['events']

f = sys.argv[1]
total, by_type, by_site, by_thread = 0, collections.Counter(), collections.Counter(), collections.Counter()
for e in events(f, 'jdk.ObjectAllocationSample'):
    v = e['values']; w = v['weight']; total += w
    by_type[v['objectClass']['name']] += w
    by_thread[(v.get('eventThread') or {}).get('javaName', '?')] += w
    frames = v['stackTrace']['frames'] if v.get('stackTrace') else []
    by_site[' < '.join(x['method']['type']['name'].split('/')[-1] + '.' + x['method']['name'] for x in frames[:4])] += w
print(f'{f}: sampled allocation weight {total / 1e6:.0f} MB')
for title, c, n in (('thread', by_thread, 5), ('type', by_type, 8), ('site', by_site, 10)):
    print(f'-- by {title}')
    for k, w in c.most_common(n):
        print(f'{w / 1e6:9.1f} MB  {k}')
gcs = collections.Counter((e['values']['name'], e['values']['cause']) for e in events(f, 'jdk.GarbageCollection', 1))
print('-- garbage collections (kind, cause): ' + ', '.join(f'{k[0]} / {k[1]}: {n}' for k, n in gcs.most_common()))
