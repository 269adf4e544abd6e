"""The PostgreSQL ledger against the SQLite one in the same run (issue 35), on a throw-away
cluster (Tests/e2e/pg.py: a Unix socket, fsync off — as the SQLite side's tmpfs-free temp files,
both measure owatch, not the disk):

- `owatch migrate --to` of a 1,000,000-charge ledger SQLite → PostgreSQL → SQLite: time and peak
  RSS of each leg, and the tables compared;
- `report burn --json` over those charges, and `psql` running the same GROUP BY as the floor;
- `license list --json` over 10,000 licenses;
- a scan of a generated mbox into each backend.
Goal: each command on PostgreSQL within 2x of SQLite."""
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "Tests" / "e2e"))
import pg  # noqa: E402

BURN_PG_SQL = """SELECT substr(charged_on, 1, 7) AS month, currency, sum(amount_minor) AS observed_minor,
  sum(CASE WHEN license_id IS NULL AND expected_id IS NULL THEN amount_minor ELSE 0 END) AS unmanaged_minor
FROM charges WHERE charged_on BETWEEN '2024-01-01' AND '2026-12-31' GROUP BY 1, 2 ORDER BY 1, 2"""


def measured(argv, env):
    """Wall seconds and peak RSS (MB) of one run, from a fresh process's child accounting."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *map(str, argv)], env=env, capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def rebased(binary, env, ledger):
    """Rows written behind owatch (set-based SQL, for speed) made part of the audited state: the
    schema goes one version back, and the next run re-runs the last migration, whose event
    records the state digest of the tables as they now are."""
    version = int(subprocess.run(["sqlite3", str(ledger), "PRAGMA user_version"], capture_output=True, text=True, check=True).stdout)
    subprocess.run(["sqlite3", str(ledger), f"PRAGMA user_version = {version - 1}"], check=True)
    subprocess.run([binary, "whoami"], env=env, check=True, stdout=subprocess.DEVNULL)


def table_digests(ledger):
    names = subprocess.run(["sqlite3", str(ledger), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"],
                           capture_output=True, text=True, check=True).stdout.split()
    out = {}
    for name in names:
        p = subprocess.Popen(["sqlite3", str(ledger), f'SELECT * FROM "{name}" ORDER BY 1'], stdout=subprocess.PIPE)
        h, lines = hashlib.sha256(), []
        for line in p.stdout:
            h.update(line)
            if name == "events":
                lines.append(line)
        p.wait()
        out[name] = h.hexdigest() if name != "events" else lines
    return out


def turns(commands, env, runs):
    times = [[] for _ in commands]
    for _ in range(runs):
        for i, argv in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def line(name, pg_time, sqlite_time, floor=None, floor_name=None):
    ratio = pg_time / sqlite_time
    text = (f"{name}: PostgreSQL {pg_time * 1000:.1f} ms, SQLite {sqlite_time * 1000:.1f} ms -> {ratio:.2f}x "
            f"({'meets' if ratio <= 2 else 'misses'} the goal of 2x)")
    if floor is not None:
        text += f"; {floor_name} {floor * 1000:.1f} ms (owatch on PostgreSQL {pg_time / floor:.2f}x of it)"
    print(text)
    return ratio


def bench_postgres(binary, office, gen, runs, charges=1_000_000, licenses=10_000, messages=50_000):
    why = pg.missing()
    if why:
        print(f"PostgreSQL benchmarks skipped: {why}")
        return
    root = tempfile.mkdtemp(prefix="owatch-pgbench-")
    cluster = pg.Cluster(root).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            burn_and_migrate(binary, office, gen, cluster, Path(tmp), runs, charges)
        with tempfile.TemporaryDirectory() as tmp:
            license_list(binary, office, gen, cluster, Path(tmp), runs, licenses)
        with tempfile.TemporaryDirectory() as tmp:
            scan(binary, office, gen, cluster, Path(tmp), max(1, runs // 3), messages)
    finally:
        cluster.stop()
        subprocess.run(["rm", "-rf", root])


def burn_and_migrate(binary, office, gen, cluster, tmp, runs, charges):
    env, ledger = office(tmp, 50, binary)
    sql = tmp / "charges.sql"
    gen.charges(charges, sql)
    subprocess.run(["sqlite3", str(ledger)], stdin=open(sql), check=True)
    rebased(binary, env, ledger)
    url = pg.fresh_database(cluster.url())
    to_pg, to_pg_rss = measured([binary, "migrate", "--to", url], env)
    back = tmp / "back.db"
    to_sqlite, to_sqlite_rss = measured([binary, "--ledger", url, "migrate", "--to", f"sqlite:{back}"], env)
    a, b = table_digests(ledger), table_digests(back)
    same = a.pop("events")[:-1] == b.pop("events") and a == b
    print(f"owatch migrate, a {charges:,}-charge ledger: SQLite -> PostgreSQL {to_pg:.1f} s (peak RSS {to_pg_rss:.0f} MB), "
          f"PostgreSQL -> SQLite {to_sqlite:.1f} s (peak RSS {to_sqlite_rss:.0f} MB); tables and chain "
          + ("identical" if same else "DIFFER"))
    burn = [binary, "report", "burn", "--from", "2024-01", "--to", "2026-12", "--json"]
    on_pg, on_sqlite, floor, sqlite_floor = turns(
        [burn + ["--ledger", url], burn, ["psql", "-X", "-qAt", "-d", url, "-c", BURN_PG_SQL],
         ["sqlite3", "-json", str(ledger), BURN_PG_SQL]], env, runs)
    line(f"report burn --json, {charges:,} charges", on_pg, on_sqlite, floor, "psql GROUP BY")
    print(f"  for scale: sqlite3 GROUP BY {sqlite_floor * 1000:.1f} ms")


def license_list(binary, office, gen, cluster, tmp, runs, licenses):
    env, ledger = office(tmp, 50, binary)
    csv_path = tmp / "licenses.csv"
    csv_path.write_text(gen.licenses(licenses, 50))
    rebased(binary, env, ledger)                    # office() adds its people with sqlite3
    subprocess.run([binary, "license", "import", str(csv_path), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
    url = pg.fresh_database(cluster.url())
    subprocess.run([binary, "migrate", "--to", url, "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
    listing = [binary, "license", "list", "--json"]
    on_pg, on_sqlite = turns([listing + ["--ledger", url], listing], env, runs)
    line(f"license list --json, {licenses:,} licenses", on_pg, on_sqlite)


def scan(binary, office, gen, cluster, tmp, runs, messages):
    mbox = tmp / "inbox.mbox"
    gen.mbox(messages, mbox)
    env, ledger = office(tmp, 5, binary)
    rebased(binary, env, ledger)
    pristine = tmp / "pristine.db"
    subprocess.run(["cp", str(ledger), str(pristine)], check=True)
    pg_times, sqlite_times = [], []
    for _ in range(runs):
        url = pg.fresh_database(cluster.url())        # untimed: a fresh copy of the same ledger each turn
        subprocess.run([binary, "--ledger", str(pristine), "migrate", "--to", url, "-q"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["cp", str(pristine), str(ledger)], check=True)
        for suffix in ("-wal", "-shm"):
            Path(str(ledger) + suffix).unlink(missing_ok=True)
        for times, extra in ((pg_times, ["--ledger", url]), (sqlite_times, [])):
            start = time.perf_counter()
            subprocess.run([binary, *extra, "scan", str(mbox), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    line(f"scan of a {messages:,}-message mbox", statistics.median(pg_times), statistics.median(sqlite_times))
