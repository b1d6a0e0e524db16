#!/usr/bin/env python3
"""Verify messages with dkimpy alone, keys from a zone file (no DNS), in
parallel over all cores; prints a summary line. Used by bench/run.sh."""
import os, re, sys
from multiprocessing import Pool

import dkim

KEYS = {}

def load_zone(path):
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r'^(\S+)\s+(?:\d+\s+)?(?:IN\s+)?TXT\s+(.*)$', line.strip())
        if m:
            name = m.group(1).rstrip(".").lower()
            KEYS[name.encode()] = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))).encode()

def dnsfunc(name, timeout=5):
    return KEYS.get(name.rstrip(b".").lower())

def verify(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        return dkim.verify(data, dnsfunc=dnsfunc)
    except Exception:
        return False

def main():
    args = sys.argv[1:]
    load_zone(args[args.index("--keys") + 1])
    files = []
    for a in args[args.index("--keys") + 2:]:
        if os.path.isdir(a):
            files += sorted(os.path.join(a, f) for f in os.listdir(a) if f.endswith(".eml"))
        else:
            files.append(a)
    with Pool(os.cpu_count()) as p:
        results = p.map(verify, files, chunksize=16)
    print("dkimpy: files=%d pass=%d" % (len(files), sum(results)))

if __name__ == "__main__":
    main()
