#!/usr/bin/env python3
"""Checks boards/profiles/*/*.toml: they parse, and every profile of a kind has the same keys."""
import glob
import os
import sys
import tomllib

root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "profiles")
shapes, bad = {}, 0
for path in sorted(glob.glob(os.path.join(root, "*", "*.toml"))):
    with open(path, "rb") as f:
        d = tomllib.load(f)
    shape = {k: sorted(v) if isinstance(v, dict) else None for k, v in d.items()}
    first = shapes.setdefault(d["kind"], (path, shape))
    if first[1] != shape:
        print("FAIL %s: keys differ from %s" % (path, first[0]))
        bad += 1
    elif os.path.basename(path) != d["id"] + ".toml":
        print("FAIL %s: id %s does not match the file name" % (path, d["id"]))
        bad += 1
    else:
        print("ok   %s" % os.path.relpath(path, root))
sys.exit(1 if bad else 0)
