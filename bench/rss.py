#!/usr/bin/env python3
"""Where a command's resident memory goes: runs it under gdb, stops it at _exit and sums
/proc/PID/smaps by mapping (the binary, each shared library, heap, stack, anonymous), biggest
first. `bench/rss.py BINARY ARGS…` (the environment is passed through: set HOME for a ledger).
RSS at exit is close to the peak for a short command (the heap is not given back)."""
import collections
import subprocess
import sys
import tempfile

GDB = r"""
set pagination off
set breakpoint pending on
break _exit
run
python
import gdb
pid = gdb.selected_inferior().pid
print("SMAPS-BEGIN")
print(open(f"/proc/{pid}/smaps").read())
print("SMAPS-END")
end
kill
"""


def smaps(argv):
    with tempfile.NamedTemporaryFile("w", suffix=".gdb") as script:
        script.write(GDB)
        script.flush()
        out = subprocess.run(["gdb", "-q", "-batch", "-x", script.name, "--args", *argv], capture_output=True, text=True).stdout
    return out[out.index("SMAPS-BEGIN") + 11:out.index("SMAPS-END")]


def by_mapping(text):
    """{(mapping, perms): rss_kb}, with private/shared split kept for the total."""
    sizes = collections.Counter()
    name = None
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
            path = parts[5] if len(parts) > 5 else "[anonymous]"
            name = (path.rsplit("/", 1)[-1], parts[1])
        elif parts[0] == "Rss:" and name:
            sizes[name] += int(parts[1])
    return sizes


if __name__ == "__main__":
    sizes = by_mapping(smaps(sys.argv[1:]))
    total = sum(sizes.values())
    print(f"{'mapping':<40} {'perms':<6} {'RSS KB':>8}")
    for (path, perms), kb in sizes.most_common():
        if kb >= 64:
            print(f"{path:<40} {perms:<6} {kb:>8}")
    print(f"{'total':<40} {'':<6} {total:>8}")
