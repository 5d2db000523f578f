#!/usr/bin/env python3
"""Checks that every Markdown link to an anchor (#...) in README.md and docs/*.md resolves to a heading,
using GitHub's anchor rules (lower-case, punctuation dropped, spaces to '-', duplicates get -1, -2, ...).
Usage: scripts/check-doc-links.py [ROOT]   (exit status 1 when a link is broken)"""
import os, re, sys, glob
root = sys.argv[1] if len(sys.argv) > 1 else '.'
files = [os.path.join(root, 'README.md')] + sorted(glob.glob(os.path.join(root, 'docs', '*.md')))

def slug(h):
    h = h.strip().lower()
    h = re.sub(r'[^\w\- ]', '', h)   # keep letters, digits, underscore, hyphen, space
    return h.replace(' ', '-')

def anchors(path):
    out, seen, fence = set(), {}, False
    for line in open(path, encoding='utf-8'):
        if line.lstrip().startswith('```'):
            fence = not fence
            continue
        if fence:
            continue
        m = re.match(r'^(#{1,6})\s+(.*?)\s*#*\s*$', line)
        if m:
            s = slug(m.group(2))
            n = seen.get(s, 0)
            out.add(s if n == 0 else f'{s}-{n}')
            seen[s] = n + 1
    return out

cache = {}
bad = total = 0
link = re.compile(r'\]\(([^)\s]*?)#([^)\s]+)\)')
for f in files:
    fence = False
    for no, line in enumerate(open(f, encoding='utf-8'), 1):
        if line.lstrip().startswith('```'):
            fence = not fence
            continue
        if fence:
            continue
        for target, frag in link.findall(line):
            if target.startswith('http'):
                continue
            tpath = f if target == '' else os.path.normpath(os.path.join(os.path.dirname(f), target))
            if not tpath.endswith('.md'):
                continue
            total += 1
            if tpath not in cache:
                cache[tpath] = anchors(tpath) if os.path.exists(tpath) else None
            a = cache[tpath]
            if a is None or frag not in a:
                bad += 1
                print(f'BROKEN {os.path.relpath(f, root)}:{no}: ({target}#{frag})' + (' [no such file]' if a is None else ''))
print(f'{total} anchor links checked in {len(files)} files, {bad} broken')
sys.exit(1 if bad else 0)
