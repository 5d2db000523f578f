#!/usr/bin/env python3
"""Peak RSS (MB) of each sample.sh run, split into anonymous and file-backed memory, with the JVM's committed
native memory (NMT total and Java heap) at the NMT sample nearest the peak. Usage: peaks.py DIR [DIR ...]"""
import glob, os, re, sys
for d in sys.argv[1:]:
    for st in sorted(glob.glob(os.path.join(d, '*.status'))):
        name = os.path.basename(st)[:-7]
        best = None
        for line in open(st):
            m = dict(re.findall(r'(\w+):(\d+)', line))
            if m and (best is None or int(m['VmRSS']) > int(best['VmRSS'])):
                best = m
        nmt, rss_at, total, heap = open(os.path.join(d, name + '.nmt')).read().split('=== ')[1:], 0, None, None
        for blk in nmt:
            r = int(re.search(r'rss (\d+)', blk).group(1))
            t = re.search(r'Total: reserved=\d+KB, committed=(\d+)KB', blk)
            h = re.search(r'Java Heap \(reserved=\d+KB, committed=(\d+)KB', blk)
            if t and h and r >= rss_at:
                rss_at, total, heap = r, int(t.group(1)), int(h.group(1))
        print(f"{d} {name}: peak RSS {int(best['VmRSS']) // 1024} MB (anonymous {int(best['RssAnon']) // 1024}, "
              f"file {int(best['RssFile']) // 1024}); at the largest NMT sample: RSS {rss_at // 1024} MB, "
              f"JVM committed {total // 1024 if total else '-'} MB of which Java heap {heap // 1024 if heap else '-'} MB")
