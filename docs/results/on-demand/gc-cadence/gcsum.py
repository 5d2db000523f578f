#!/usr/bin/env python3
"""Summary of -Xlog:gc logs (issue 22): pauses by cause, heap used after young pauses (first, largest), largest
committed heap, and the peak of the matching smaps.py CSV (heap / other anonymous / file RSS at the sampled peak).
Usage: gcsum.py NAME.gc...  (NAME.smaps beside each log is read if present)"""
import collections, csv, os, re, sys

for path in sys.argv[1:]:
    causes = collections.Counter()
    after, committed = [], 0
    for line in open(path):
        m = re.search(r'Pause (Young \((\w+(?: \w+)?)\) \(([^)]+)\)|Remark|Cleanup|Full \(([^)]+)\)) (\d+)M->(\d+)M\((\d+)M\)', line)
        if not m:
            continue
        causes[m.group(3) or m.group(1).split()[0]] += 1
        if m.group(1).startswith('Young'):
            after.append(int(m.group(6)))
        committed = max(committed, int(m.group(7)))
    out = f'{os.path.basename(path)}: {sum(causes.values())} pauses ({", ".join(f"{v} {k}" for k, v in causes.most_common())}); ' \
          f'heap after young pauses: first {after[0] if after else "-"} MB, largest {max(after) if after else "-"} MB; ' \
          f'committed up to {committed} MB'
    smaps = path[:-3] + '.smaps'
    if os.path.exists(smaps):
        rows = list(csv.DictReader(open(smaps)))
        p = max(rows, key=lambda r: int(r['total_kb']))
        out += f'; sampled peak RSS {int(p["total_kb"]) // 1024} MB = heap {int(p["heap_kb"]) // 1024} + other anonymous ' \
               f'{int(p["anon_other_kb"]) // 1024} + file {int(p["file_kb"]) // 1024} MB'
    print(out)
