#!/usr/bin/env python3
"""The hostile inputs of the hardening issue, measured: wall time and peak RSS of one owatch
command per case, for one or more binaries in the same run (e.g. the previous release and this
one). A case that runs past --timeout is stopped and shown as "> N s".

    python3 bench/hostile.py --bin before=/tmp/before/owatch --bin after=.build/release/owatch
"""
import argparse
import base64
import os
import shutil
import signal
import subprocess
import tempfile
import time
import zlib
from pathlib import Path

FROM = "From billing@slack.com Thu Nov 19 10:00:00 2026\n"


def message(subject, body, extra_headers=""):
    return (f"{FROM}From: Slack <billing@slack.com>\nTo: ap@example.com\nSubject: {subject}\n"
            f"Date: Thu, 19 Nov 2026 10:00:00 +0000\n{extra_headers}\n{body}\n")


def pdf_bomb(inflated_bytes):
    line = b"BT (Total: $99.00) Tj ET\n"          # text operators: read, not skipped
    stream = zlib.compress(line * (inflated_bytes // len(line)), 9)
    return (b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n"
            + stream + b"\nendstream\nendobj\n%%EOF\n")


def many_pdfs(count, inflated_bytes):
    one = base64.encodebytes(pdf_bomb(inflated_bytes)).decode()
    parts = "".join(f"--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n{one}\n" for _ in range(count))
    return message("Your receipt", f"--b\nContent-Type: text/plain\n\nTotal: $8.00\n{parts}--b--",
                   extra_headers="MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n")


def sparse(path, size, head=b""):
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)


def write(d, name, data):
    p = d / name
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return ["scan", str(p)]


def maildir(d):
    m = d / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (m / sub).mkdir(parents=True, exist_ok=True)
    sparse(m / "new" / "huge", 2 << 30)
    return ["scan", str(m)]


def big_message(d):
    sparse(d / "big.mbox", 600 << 20, message("Your receipt", "Total: $8.00\n").encode())
    return ["scan", str(d / "big.mbox")]


def nuls(d):
    sparse(d / "nuls.mbox", 1 << 30)
    return ["scan", str(d / "nuls.mbox")]


def many_lines(d):
    lines = [f"2026-11-{1 + i % 28:02d},SLACK TECHNOLOGIES,-{8 + i % 50}.00" for i in range(20_000)]
    return write(d, "many.csv", "Date,Description,Amount\n" + "\n".join(lines) + "\n")


ORDER = "order " * 20_000 + "\n" + "x" * 120_000

# (name, set-up: directory -> the arguments after the binary)
CASES = [
    *[(f"Subject of '=?a?b' repeated, {kb} KB", lambda d, kb=kb: write(d, "s.mbox", message("=?a?b" * (kb * 1024 // 5), "hi")))
      for kb in (24, 100, 200)],
    ("'order ' x 20,000 then a 120 KB line", lambda d: write(d, "o.mbox", message("Your receipt", "Total: $8.00\n" + ORDER))),
    ("the same with an 'İ' per word", lambda d: write(d, "i.mbox", message("Your receipt", "İ Total: $8.00\n" + ORDER.replace("order", "İorder")))),
    ("120 PDFs inflating 8 MB each, one message", lambda d: write(d, "p.mbox", many_pdfs(120, 8 << 20))),
    ("2 GB file in Maildir/new", maildir),
    ("600 MB mbox message", big_message),
    ("1 GB mbox of NULs, no newline", nuls),
    ("license add --cost 92233720368547759", lambda d: ["license", "add", "Big", "--vendor", "slack", "--seats", "1",
                                                       "--cost", "92233720368547759", "--renews", "2027-01-01"]),
    ("statement line of 92233720368547759", lambda d: write(d, "card.csv", "Date,Description,Amount\n"
                                                              "2026-11-02,SLACK TECHNOLOGIES,92233720368547759\n2026-11-03,ZOOM.US,15.99\n")),
    ("20,000 statement lines of one vendor in 28 days", many_lines),
]


def measure(argv, env, timeout):
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            return f"> {timeout} s", f"{usage.ru_maxrss / 1024:.0f} MB+", "killed"
        time.sleep(0.02)
    elapsed = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    return f"{elapsed:.2f} s", f"{usage.ru_maxrss / 1024:.0f} MB", str(code if code >= 0 else 128 - code)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", action="append", required=True, help="NAME=PATH of an owatch binary")
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--only", help="run only cases whose name contains this")
    args = ap.parse_args()
    bins = [b.split("=", 1) for b in args.bin]
    print("| case | " + " | ".join(f"{n}: time, peak RSS, exit" for n, _ in bins) + " |")
    print("|---|" + "---|" * len(bins))
    with tempfile.TemporaryDirectory(prefix="owatch-hostile-") as tmp:
        root = Path(tmp)
        for name, setup in CASES:
            if args.only and args.only not in name:
                continue
            cells = []
            for label, binary in bins:
                # Each binary gets its own ledger and its own copy of the inputs.
                home = root / f"home-{label}"
                shutil.rmtree(home, ignore_errors=True)
                home.mkdir()
                env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
                subprocess.run([binary, "init", "--org", "Bench", "--admin", "alice", "--currency", "USD"], env=env,
                               capture_output=True, check=True)
                data = root / "data"
                shutil.rmtree(data, ignore_errors=True)
                data.mkdir()
                cells.append(", ".join(measure([binary] + setup(data), env, args.timeout)))
                shutil.rmtree(data, ignore_errors=True)
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
