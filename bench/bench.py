#!/usr/bin/env python3
"""owatch benchmarks: each figure is a ratio against an alternative measured in the same run
(machines here are noisy; absolute times are not stable). Run with `make bench`."""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = os.environ.get("OWATCH_BIN", str(HERE.parent / ".build/release/owatch"))
sys.path.insert(0, str(HERE))
import gen  # noqa: E402


def timed(argv, env, runs, stdin=None, setup=None):
    """Median wall time of `runs` runs; `setup` runs before each (untimed)."""
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                       stdin=open(stdin) if stdin else None)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def office(tmp, users):
    home = Path(tmp)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": ""}
    for k in ("OWATCH_LEDGER", "OWATCH_TOKEN", "OWATCH_KEY", "OWATCH_FORMAT"):
        env.pop(k, None)
    subprocess.run([BIN, "init", "--org", "Bench", "--admin", "admin", "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
    ledger = home / ".local/share/owatch/ledger.db"
    values = ",".join(f"('user{i}','employee','{time.strftime('%Y-%m-%dT%H:%M:%SZ')}')" for i in range(users))
    subprocess.run(["sqlite3", str(ledger), f"INSERT INTO users(name, role, created_at) VALUES {values}"], check=True)
    return env, ledger


def report(name, ours, theirs, alt, goal):
    ratio = ours / theirs
    verdict = "meets" if ratio <= goal else "misses"
    print(f"{name}: owatch {ours * 1000:.1f} ms, {alt} {theirs * 1000:.1f} ms -> {ratio:.2f}x ({verdict} the goal of {goal}x)")
    return ratio


LIST_SQL = """SELECT l.id, l.name, v.name AS vendor, l.plan, COALESCE(l.category, v.category) AS category, l.period, l.currency,
  l.per_seat, l.renews_on, l.status, l.ends_on, l.notes, p.seats, p.cost_minor, COALESCE(s.assigned, 0) AS assigned,
  (SELECT group_concat(u.name, ';') FROM seats x JOIN users u ON u.id = x.user_id WHERE x.license_id = l.id) AS assigned_to
FROM licenses l JOIN vendors v ON v.id = l.vendor_id
LEFT JOIN (SELECT license_id, sum(seats) AS seats, sum(cost_minor) AS cost_minor FROM purchases GROUP BY license_id) p ON p.license_id = l.id
LEFT JOIN (SELECT license_id, count(*) AS assigned FROM seats GROUP BY license_id) s ON s.license_id = l.id
ORDER BY l.name"""


def bench_licenses(runs):
    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = office(tmp, 50)
        csv_path = Path(tmp) / "10k.csv"
        csv_path.write_text(gen.licenses(10_000, 50))
        subprocess.run([BIN, "license", "import", str(csv_path), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
        ours = timed([BIN, "license", "list", "--json"], env, runs)
        theirs = timed(["sqlite3", "-json", str(ledger), LIST_SQL], env, runs)
        r1 = report("license list --json, 10,000 licenses", ours, theirs, "sqlite3 -json", 1.5)

    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = office(tmp, 50)
        csv_path = Path(tmp) / "100k.csv"
        csv_path.write_text(gen.licenses(100_000, 50))
        ledger_copy = Path(tmp) / "pristine.db"
        shutil.copy(ledger, ledger_copy)

        def reset_ledger():
            shutil.copy(ledger_copy, ledger)
            for suffix in ("-wal", "-shm"):
                Path(str(ledger) + suffix).unlink(missing_ok=True)

        bare = Path(tmp) / "bare.db"

        def reset_bare():
            bare.unlink(missing_ok=True)

        import_runs = max(1, runs // 3)
        ours = timed([BIN, "license", "import", str(csv_path), "-q"], env, import_runs, setup=reset_ledger)
        theirs = timed(["sqlite3", str(bare), "-cmd", ".mode csv", ".import " + str(csv_path) + " licenses"], env, import_runs, setup=reset_bare)
        r2 = report("license import, 100,000 rows", ours, theirs, "sqlite3 .import", 2.0)

    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = office(tmp, 5)
        ours = timed([BIN, "whoami"], env, runs * 5)
        theirs = timed(["sqlite3", str(ledger), "SELECT name FROM users WHERE name = 'admin'"], env, runs * 5)
        report("whoami start-up (token verified)", ours, theirs, "sqlite3 one query", 5.0)
    return r1, r2


if __name__ == "__main__":
    if not Path(BIN).exists():
        sys.exit(f"no binary at {BIN}: run `make bench`")
    runs = int(os.environ.get("BENCH_RUNS", "9"))
    which = sys.argv[1:] or ["licenses"]
    if "licenses" in which:
        bench_licenses(runs)
