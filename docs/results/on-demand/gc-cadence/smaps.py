#!/usr/bin/env python3
"""RSS split of a running JVM (issue 22): samples /proc/PID/smaps every 0.5 s and writes one CSV line per sample with
the RSS of the Java heap (mappings inside [HEAP_LO, HEAP_HI), hex), of the other anonymous mappings and of the
file-backed ones, in kB. Stops when the process ends.
Usage: smaps.py PID HEAP_LO HEAP_HI OUT"""
import sys, time
pid, lo, hi, out = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16), sys.argv[4]
f = open(out, 'w')
f.write('t,total_kb,heap_kb,anon_other_kb,file_kb\n')
t0 = time.time()
while True:
    try:
        heap = other = filek = 0
        cur = None
        with open(f'/proc/{pid}/smaps') as s:
            for line in s:
                if line[0] in '0123456789abcdef' and '-' in line.split()[0]:
                    parts = line.split()
                    a, b = (int(x, 16) for x in parts[0].split('-'))
                    inheap = a >= lo and b <= hi
                    anon = len(parts) < 6 or parts[5].startswith('[')
                    cur = 'heap' if inheap else ('anon' if anon else 'file')
                elif line.startswith('Rss:'):
                    kb = int(line.split()[1])
                    if cur == 'heap': heap += kb
                    elif cur == 'anon': other += kb
                    else: filek += kb
        f.write(f'{time.time()-t0:.1f},{heap+other+filek},{heap},{other},{filek}\n'); f.flush()
    except (FileNotFoundError, ProcessLookupError):
        break
    time.sleep(0.5)
