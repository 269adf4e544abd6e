#!/usr/bin/env python3
"""The release build's time (issue 30, item 9): a clean `make release` in a scratch copy of the tree, with the
compiler's per-module statistics. Prints the wall and CPU time of the whole build, then each module's frontend
time split into type checking, SIL optimisation and LLVM, in the order the modules finished.

    python3 bench/build_time.py [--rev REV] [--keep DIR] [--flags "SWIFT BUILD FLAGS"]

The build runs in a temporary clone of HEAD, or of REV to measure a before (uncommitted changes are not in it), so the tree's own .build is not
touched. --flags adds to `make release`'s own (say "-Xswiftc -Osize" to weigh an optimisation mode). It takes a few minutes; on a machine doing other work its times swing with the load (`uptime` is printed
before and after), so compare builds measured back to back."""
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load():
    return Path("/proc/loadavg").read_text().split()[0]


def main():
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    rev = sys.argv[sys.argv.index("--rev") + 1] if "--rev" in sys.argv else None
    extra = sys.argv[sys.argv.index("--flags") + 1] if "--flags" in sys.argv else ""
    tmp = Path(keep or tempfile.mkdtemp(prefix="owatch-build-"))
    tree, stats = tmp / "tree", tmp / "stats"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.rmtree(stats, ignore_errors=True)
    stats.mkdir(parents=True)
    subprocess.run(["git", "clone", "-q", str(ROOT), str(tree)], check=True)
    if rev:
        subprocess.run(["git", "checkout", "-q", rev], cwd=tree, check=True)
    flags = subprocess.run(["make", "-s", "-n", "release"], cwd=tree, capture_output=True, text=True, check=True).stdout
    command = next(line for line in flags.splitlines() if line.startswith("swift build"))
    env = dict(os.environ, PATH="/opt/swift/usr/bin:" + os.environ["PATH"])
    print(f"load before: {load()}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(f"{command} {extra} -Xswiftc -stats-output-dir -Xswiftc {stats}", shell=True, cwd=tree, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"load after: {load()}")
    print(f"release build: {wall:.0f} s wall, {cpu:.0f} s CPU ({cpu / wall:.2f} cores busy on average)")
    rows = []
    for f in stats.glob("*.json"):
        found = re.search(r"swift-frontend-(\w+)-all-", f.name)
        if not found:
            continue
        d = json.loads(f.read_text())
        total = next(v for k, v in d.items() if k.startswith("time.swift-frontend") and k.endswith(".wall"))
        part = lambda name: d.get(f"time.swift.{name}.wall", 0.0)  # noqa: E731
        rows.append((f.stat().st_mtime, found.group(1), total, part("Type checking and Semantic analysis"),
                     part("SIL optimization"), part("LLVM pipeline")))
    print(f"{'module':<12} {'frontend s':>10} {'types':>7} {'SIL':>7} {'LLVM':>7}")
    for _, name, total, types, sil, llvm in sorted(rows):
        print(f"{name:<12} {total:>10.1f} {types:>7.1f} {sil:>7.1f} {llvm:>7.1f}")
    print(f"{'all':<12} {sum(r[2] for r in rows):>10.1f}")
    if not keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
