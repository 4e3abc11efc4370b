#!/usr/bin/python3
"""Searches files for secrets and for the forms that would leak them.

    secret_scan.py NEEDLES.json PATH...        exit 1 and one line per hit, 0 when clean
    secret_scan.py --expect-all NEEDLES.json PATH...
                                               exit 0 only when every needle is found
                                               (proves that each needle can be found)

NEEDLES.json is a list of {"name": ..., "literal": TEXT} (found as bytes anywhere) or
{"name": ..., "regex": PATTERN} (a Python bytes regular expression). Every regular file
below each PATH is read whole, binary or not; a .zip file is also searched member by
member (decompressed), and a .gz file decompressed. Regular-expression needles (header
and parameter names, signature shapes) are not applied to ELF programs and libraries (a
packaged zip's lamtool, libcurl, libcrypto), whose code names those headers; the literal
secrets and their encodings are searched for there too. Prints "FILE: NAME" per hit,
never the secret itself.
"""

import gzip
import json
import os
import re
import sys
import zipfile


def contents(path):
    with open(path, "rb") as f:
        data = f.read()
    yield path, data
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                yield f"{path}!{name}", z.read(name)
    elif path.endswith(".gz"):
        yield f"{path}!gunzip", gzip.decompress(data)


def files(root):
    if os.path.isfile(root):
        yield root
        return
    for d, _, names in os.walk(root):
        for n in sorted(names):
            p = os.path.join(d, n)
            if os.path.isfile(p) and not os.path.islink(p):
                yield p


def main():
    args = sys.argv[1:]
    expect_all = args[:1] == ["--expect-all"]
    if expect_all:
        args = args[1:]
    with open(args[0], encoding="utf-8") as f:
        needles = json.load(f)
    compiled = []
    for n in needles:
        if "literal" in n:
            compiled.append((n["name"], re.compile(re.escape(n["literal"].encode())), True))
        else:
            compiled.append((n["name"], re.compile(n["regex"].encode()), False))
    found = set()
    scanned = 0
    hits = []
    for root in args[1:]:
        for path in files(root):
            for where, data in contents(path):
                scanned += 1
                program = data.startswith(b"\x7fELF")
                for name, rx, literal in compiled:
                    if (literal or not program) and rx.search(data):
                        found.add(name)
                        hits.append(f"{where}: {name}")
    if expect_all:
        missing = [n for n, _, _ in compiled if n not in found]
        for m in missing:
            print(f"not found: {m}")
        return 1 if missing else 0
    for h in hits:
        print(h)
    print(f"secret_scan: {scanned} files, {len(compiled)} needles, {len(hits)} hits",
          file=sys.stderr)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
