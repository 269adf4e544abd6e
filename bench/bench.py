#!/usr/bin/env python3
"""owatch benchmarks: each figure is a ratio against an alternative measured in the same run
(machines here are noisy; absolute times are not stable). Run with `make bench`.
`bench.py scan --against OLD_BIN` compares the scan with another owatch binary instead, in turns."""
import json
import os
import resource
import shlex
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


def timed_turns(commands, env, runs, setup=None):
    """Median wall times of commands [(argv, stdin file or None), …] run in turns (first, second,
    …, first, …), so a slow spell of a noisy machine weighs on all alike; `setup` runs before
    each (untimed)."""
    times = [[] for _ in commands]
    for _ in range(runs):
        for i, (argv, stdin) in enumerate(commands):
            if setup:
                setup()
            start = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                           stdin=open(stdin) if stdin else None)
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def timed_cpu(commands, env, runs):
    """Median wall and median CPU (user + system) times of commands [argv, …] run in turns: on a
    shared machine a run's wall time swings with the others' load, its CPU time much less."""
    wall, cpu = [[] for _ in commands], [[] for _ in commands]
    for _ in range(runs):
        for i, argv in enumerate(commands):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            wall[i].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[i].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return [statistics.median(t) for t in wall], [statistics.median(t) for t in cpu]


def timed(argv, env, runs, stdin=None, setup=None):
    """Median wall time of `runs` runs of one command; `setup` runs before each (untimed)."""
    return timed_turns([(argv, stdin)], env, runs, setup=setup)[0]


def office(tmp, users, binary=None):
    home = Path(tmp)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": ""}
    for k in ("OWATCH_LEDGER", "OWATCH_TOKEN", "OWATCH_KEY", "OWATCH_FORMAT"):
        env.pop(k, None)
    subprocess.run([binary or BIN, "init", "--org", "Bench", "--admin", "admin", "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
    ledger = home / ".local/share/owatch/ledger.db"
    values = ",".join(f"('user{i}','employee','{time.strftime('%Y-%m-%dT%H:%M:%SZ')}')" for i in range(users))
    if values:
        subprocess.run(["sqlite3", str(ledger), f"INSERT INTO users(name, role, created_at) VALUES {values}"], check=True)
    return env, ledger


def restorer(ledger):
    """Keeps a copy of the ledger as it is now; the returned function puts it back (untimed setup)."""
    pristine = Path(str(ledger) + ".pristine")
    shutil.copy(ledger, pristine)

    def restore():
        shutil.copy(pristine, ledger)
        for suffix in ("-wal", "-shm"):
            Path(str(ledger) + suffix).unlink(missing_ok=True)
    return restore


def report(name, ours, theirs, alt, goal):
    """One ratio against the alternative in the same run; `goal` None: measured, no goal set (yet)."""
    ratio = ours / theirs
    verdict = "no goal set" if goal is None else ("meets" if ratio <= goal else "misses") + f" the goal of {goal}x"
    print(f"{name}: owatch {ours * 1000:.1f} ms, {alt} {theirs * 1000:.1f} ms -> {ratio:.2f}x ({verdict})")
    return ratio


LIST_SQL = """SELECT l.id, l.name, v.name AS vendor, l.plan, COALESCE(l.category, v.category) AS category, l.period, l.currency,
  l.per_seat, l.renews_on, l.status, l.ends_on, l.notes, p.seats, p.cost_minor, COALESCE(s.assigned, 0) AS assigned,
  (SELECT group_concat(u.name, ';') FROM seats x JOIN users u ON u.id = x.user_id WHERE x.license_id = l.id) AS assigned_to
FROM licenses l JOIN vendors v ON v.id = l.vendor_id
LEFT JOIN (SELECT license_id, sum(seats) AS seats, sum(cost_minor) AS cost_minor FROM purchases GROUP BY license_id) p ON p.license_id = l.id
LEFT JOIN (SELECT license_id, count(*) AS assigned FROM seats GROUP BY license_id) s ON s.license_id = l.id
ORDER BY l.name"""


# The same content as `license list --json`: holders and purchase lines too (as JSON text;
# sqlite3 cannot roll renewal dates forward or compute monthly equivalents, which owatch also does).
LIST_SAME_SQL = """SELECT l.id, l.name, v.name AS vendor, l.plan, COALESCE(l.category, v.category) AS category,
  p.seats, p.seats IS NULL AS unlimited, COALESCE(s.assigned, 0) AS assigned, p.seats - COALESCE(s.assigned, 0) AS free,
  printf('%.2f', p.cost_minor / 100.0) AS cost, p.cost_minor, l.currency, l.period, l.per_seat,
  l.renews_on, u.name AS owner, l.status, l.ends_on, l.notes,
  (SELECT json_group_array(x.name) FROM (SELECT uu.name FROM seats ss JOIN users uu ON uu.id = ss.user_id WHERE ss.license_id = l.id ORDER BY uu.name) x) AS assigned_to,
  (SELECT json_group_array(json_object('seats', q.seats, 'cost', printf('%.2f', q.cost_minor / 100.0), 'cost_minor', q.cost_minor, 'order', q.order_ref, 'purchased_on', q.purchased_on))
     FROM purchases q WHERE q.license_id = l.id) AS lines
FROM licenses l JOIN vendors v ON v.id = l.vendor_id LEFT JOIN users u ON u.id = l.owner_id
LEFT JOIN (SELECT license_id, sum(seats) AS seats, sum(cost_minor) AS cost_minor FROM purchases GROUP BY license_id) p ON p.license_id = l.id
LEFT JOIN (SELECT license_id, count(*) AS assigned FROM seats GROUP BY license_id) s ON s.license_id = l.id
ORDER BY l.name COLLATE NOCASE"""

FILL_SQL = """.mode csv
.import CSV raw
BEGIN;
CREATE TEMP TABLE vmap AS SELECT r.vendor AS key,
  (SELECT id FROM vendors v WHERE v.name = r.vendor COLLATE NOCASE OR (',' || v.aliases || ',') LIKE '%,' || r.vendor || ',%' LIMIT 1) AS id
  FROM (SELECT DISTINCT vendor FROM raw) r;
INSERT INTO licenses(id, name, vendor_id, period, currency, per_seat, renews_on, notes, created_at)
  SELECT r.rowid, r.name, m.id, r.period, r.currency, 0, r.renews_on, r.notes, '2026-11-25T00:00:00Z' FROM raw r JOIN vmap m ON m.key = r.vendor;
INSERT INTO purchases(license_id, seats, cost_minor, purchased_on)
  SELECT r.rowid, r.seats, CAST(round(r.cost * 100) AS INTEGER), '2026-11-25' FROM raw r;
INSERT INTO seats(license_id, user_id, assigned_at)
  SELECT r.rowid, u.id, '2026-11-25T00:00:00Z' FROM raw r, json_each('["' || replace(r.assigned, ';', '","') || '"]') j
  JOIN users u ON u.name = j.value WHERE r.assigned <> '';
DROP TABLE raw;
COMMIT;
"""


def bench_licenses(runs):
    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = office(tmp, 50)
        csv_path = Path(tmp) / "10k.csv"
        csv_path.write_text(gen.licenses(10_000, 50))
        subprocess.run([BIN, "license", "import", str(csv_path), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
        (ours, theirs), (ours_cpu, theirs_cpu) = timed_cpu([[BIN, "license", "list", "--json"], ["sqlite3", "-json", str(ledger), LIST_SQL]],
                                                           env, runs)
        r1 = report("license list --json, 10,000 licenses", ours, theirs, "sqlite3 -json", 1.5)
        print(f"  CPU time (user + system): owatch {ours_cpu * 1000:.1f} ms, sqlite3 {theirs_cpu * 1000:.1f} ms -> {ours_cpu / theirs_cpu:.2f}x")
        same = timed(["sqlite3", "-json", str(ledger), LIST_SAME_SQL], env, runs)
        report("  the same, against a query returning the same content (holders, purchase lines)", ours, same, "sqlite3 -json", 1.5)

    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = office(tmp, 50)
        csv_path = Path(tmp) / "100k.csv"
        csv_path.write_text(gen.licenses(100_000, 50))
        reset_ledger = restorer(ledger)

        bare = Path(tmp) / "bare.db"

        def reset_bare():
            bare.unlink(missing_ok=True)

        import_runs = max(1, runs // 3)
        ours = timed([BIN, "license", "import", str(csv_path), "-q"], env, import_runs, setup=reset_ledger)
        theirs = timed(["sqlite3", str(bare), "-cmd", ".mode csv", ".import " + str(csv_path) + " licenses"], env, import_runs, setup=reset_bare)
        r2 = report("license import, 100,000 rows", ours, theirs, "sqlite3 .import", 2.0)
        # The floor for this schema: sqlite3 itself filling owatch's tables (licenses, purchase lines,
        # seats and their indexes) from the same CSV in set-based SQL, with no validation, money
        # parsing or audit. A bare one-table .import writes a third of the rows and no index.
        script = Path(tmp) / "fill.sql"
        script.write_text(FILL_SQL.replace("CSV", str(csv_path)))
        floor = timed(["sqlite3", str(ledger)], env, import_runs, stdin=script, setup=reset_ledger)
        print(f"  for scale: sqlite3 filling owatch's schema from the same CSV {floor * 1000:.0f} ms -> owatch {ours / floor:.2f}x of that")

    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = office(tmp, 5)
        ours = timed([BIN, "whoami"], env, runs * 5)
        theirs = timed(["sqlite3", str(ledger), "SELECT name FROM users WHERE name = 'admin'"], env, runs * 5)
        report("whoami start-up (token verified)", ours, theirs, "sqlite3 one query", 5.0)
    return r1, r2


PROBE_DIR = HERE / "probe"


def build_probe():
    """The static probe (bench/probe), built as `make release` builds owatch: release, the Swift
    standard library and FoundationEssentials linked in, and the Makefile's LINK_FLAGS (lld, packed
    relocations, nothing exported) in OWATCH_PROBE_FLAGS; only owatch's start-up order is its own
    (issue 30, item 8)."""
    flags = shlex.split(os.environ.get("OWATCH_PROBE_FLAGS", "-c release --static-swift-stdlib"))
    subprocess.run(["swift", "build", *flags, "--package-path", str(PROBE_DIR)], check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["swift", "build", *flags, "--package-path", str(PROBE_DIR), "--show-bin-path"],
                         check=True, capture_output=True, text=True).stdout.strip()
    return str(Path(out) / "probe")


def stripped_size(binary, tmp):
    copy = Path(tmp) / (Path(binary).name + ".stripped")
    subprocess.run(["strip", "-o", str(copy), binary], check=True)
    return copy.stat().st_size


def bench_startup(runs):
    """Issue 30, item 8: owatch against the static probe built in the same run (what `whoami` must
    do at least: open SQLite, verify an Ed25519 signature with libcrypto, decode a JSON object):
    the stripped binary, `whoami`'s peak RSS and its time."""
    probe = build_probe()
    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = office(tmp, 5)
        token = Path(tmp) / ".config/owatch/token"
        ours_mb, probe_mb = stripped_size(BIN, tmp) / 1e6, stripped_size(probe, tmp) / 1e6
        print(f"stripped binary: owatch {ours_mb:.1f} MB, the static probe {probe_mb:.1f} MB "
              f"({'meets' if ours_mb <= 20 else 'misses'} the goal of 20 MB)")
        whoami, probe_run = [BIN, "whoami"], [probe, str(ledger), str(token)]
        rss = [statistics.median(peak_rss_kb(argv, env) for _ in range(5)) / 1024 for argv in (whoami, probe_run)]
        print(f"whoami peak RSS: owatch {rss[0]:.1f} MB, the static probe {rss[1]:.1f} MB -> {rss[0] / rss[1]:.2f}x "
              f"({'meets' if rss[0] <= 14 else 'misses'} the goal of 14 MB)")
        (ours, theirs), (ours_cpu, theirs_cpu) = timed_cpu([whoami, probe_run], env, runs * 5)
        report("whoami against the static probe", ours, theirs, "probe", 1.3)
        print(f"  CPU time (user + system): owatch {ours_cpu * 1000:.1f} ms, probe {theirs_cpu * 1000:.1f} ms -> {ours_cpu / theirs_cpu:.2f}x")


def peak_rss_kb(argv, env):
    """Peak resident memory of one run, from a fresh process's child accounting."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, check=True).stdout)


def bench_scan(runs, messages=50_000):
    with tempfile.TemporaryDirectory() as tmp:
        mbox = Path(tmp) / "inbox.mbox"
        gen.mbox(messages, mbox)
        env, ledger = office(tmp, 5)
        reset = restorer(ledger)

        scan_runs = max(1, runs // 3)
        size_mb = mbox.stat().st_size / 1e6
        ours = timed([BIN, "scan", str(mbox), "-q"], env, scan_runs, setup=reset)
        theirs = timed([sys.executable, str(HERE / "mail_walk.py"), str(mbox)], env, scan_runs)
        ratio = theirs / ours
        print(f"scan of a {messages:,}-message mbox ({size_mb:.0f} MB): owatch {ours:.2f} s, Python mailbox+email {theirs:.2f} s "
              f"-> owatch {ratio:.1f}x faster ({'meets' if ratio >= 15 else 'misses'} the goal of 15x, issue 15)")
        reset()
        subprocess.run([BIN, "scan", str(mbox), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
        rescan = timed([BIN, "scan", str(mbox), "-q"], env, runs)
        print(f"rescan of the unchanged mbox: {rescan * 1000:.1f} ms = {rescan / ours * 100:.2f}% of the first scan (goal: under 5%)")
        # Peak memory must not grow with the mbox: a tenth of the messages against all of them.
        small = Path(tmp) / "small.mbox"
        gen.mbox(messages // 10, small)
        reset()
        small_kb = peak_rss_kb([BIN, "scan", str(small), "-q"], env)
        reset()
        big_kb = peak_rss_kb([BIN, "scan", str(mbox), "-q"], env)
        print(f"peak memory: {small_kb / 1024:.1f} MB for {messages // 10:,} messages, {big_kb / 1024:.1f} MB for {messages:,} "
              f"({small.stat().st_size / 1e6:.0f} MB vs {size_mb:.0f} MB of mail)")
        return ratio


def bench_scan_against(old, runs, messages=50_000):
    """The same 50,000-message scan by this build and by OLD (another owatch binary), in turns in
    one run, each into a fresh ledger of its own making (an older binary may not open a newer
    ledger): both times, their ratio and each one's peak RSS. Issue 32 asks for the scan bench
    unchanged within noise after its readers."""
    with tempfile.TemporaryDirectory() as tmp:
        mbox = Path(tmp) / "inbox.mbox"
        gen.mbox(messages, mbox)
        offices = []
        for name, binary in (("new", BIN), ("old", old)):
            (Path(tmp) / name).mkdir()
            env, ledger = office(Path(tmp) / name, 5, binary)
            offices.append((binary, env, restorer(ledger)))

        def reset():
            for _, _, restore in offices:
                restore()
        scan_runs = max(1, runs // 3)
        times, cpu = [[], []], [[], []]
        for _ in range(scan_runs):
            for i, (binary, env, _) in enumerate(offices):
                reset()
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run([binary, "scan", str(mbox), "-q"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                times[i].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[i].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        ours, theirs = (statistics.median(t) for t in times)
        rss = []
        for binary, env, _ in offices:
            reset()
            rss.append(peak_rss_kb([binary, "scan", str(mbox), "-q"], env) / 1024)
        size_mb = mbox.stat().st_size / 1e6
        print(f"scan of a {messages:,}-message mbox ({size_mb:.0f} MB), both binaries in turns (median of {scan_runs}): "
              f"this build {ours:.2f} s, {old} {theirs:.2f} s -> {ours / theirs:.2f}x; peak RSS {rss[0]:.1f} MB vs {rss[1]:.1f} MB")
        # Wall time on a shared machine swings with its load; the CPU time each used (user + system,
        # all threads) swings less, so the spread of both is shown.
        for name, wall, used in (("this build", times[0], cpu[0]), (old, times[1], cpu[1])):
            print(f"  {name}: wall {', '.join(f'{t:.2f}' for t in wall)} s; CPU {', '.join(f'{t:.2f}' for t in used)} s "
                  f"(median {statistics.median(used):.2f})")
        print(f"  CPU time ratio {statistics.median(cpu[0]) / statistics.median(cpu[1]):.2f}x")
        return ours / theirs


BURN_SQL = """SELECT substr(charged_on, 1, 7) AS month, currency, sum(amount_minor) AS observed_minor,
  sum(CASE WHEN license_id IS NULL AND expected_id IS NULL THEN amount_minor ELSE 0 END) AS unmanaged_minor
FROM charges WHERE charged_on BETWEEN '2024-01-01' AND '2026-12-31' GROUP BY 1, 2 ORDER BY 1, 2"""


def bench_reports(runs, charges=1_000_000, licenses=500):
    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = office(tmp, 50)
        csv_path = Path(tmp) / "licenses.csv"
        csv_path.write_text(gen.licenses(licenses, 50))
        subprocess.run([BIN, "license", "import", str(csv_path), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
        sql = Path(tmp) / "charges.sql"
        gen.charges(charges, sql)
        subprocess.run(["sqlite3", str(ledger)], stdin=open(sql), check=True)
        doctor = subprocess.run([BIN, "doctor"], env=env, capture_output=True, text=True)
        assert "monthly totals match the charges" in doctor.stdout, doctor.stdout
        burn = [BIN, "report", "burn", "--from", "2024-01", "--to", "2026-12", "--json"]
        ours = timed(burn, env, runs)
        theirs = timed(["sqlite3", "-json", str(ledger), BURN_SQL], env, runs)
        r1 = theirs / ours
        print(f"report burn --json, {charges:,} charges over 3 years, {licenses} licenses: owatch {ours * 1000:.1f} ms, "
              f"sqlite3 GROUP BY {theirs * 1000:.1f} ms -> owatch {r1:.1f}x faster ({'meets' if r1 >= 10 else 'misses'} the goal of 10x)")
        hledger = shutil.which("hledger")
        if not hledger:
            print("hledger not installed: skipped (make bench installs it)")
            return r1, None
        journal = Path(tmp) / "charges.journal"
        with open(journal, "w") as f:
            rows = subprocess.run(["sqlite3", "-separator", "|", str(ledger), "SELECT charged_on, vendor, amount_minor, currency FROM charges ORDER BY charged_on"],
                                  capture_output=True, text=True, check=True).stdout
            for line in rows.splitlines():
                day, vendor, minor, cur = line.split("|")
                f.write(f"{day} {vendor}\n    expenses:software:{vendor}  {int(minor) / 100:.2f} {cur}\n    assets:card\n\n")
        theirs = timed([hledger, "-f", str(journal), "balance", "expenses", "--monthly", "-O", "csv", "-b", "2024-01", "-e", "2027-01"],
                       env, 1)
        r2 = theirs / ours
        print(f"  vs hledger {theirs:.1f} s for the same monthly totals from a journal -> owatch {r2:.0f}x faster "
              f"({'meets' if r2 >= 100 else 'misses'} the goal of 100x)")
        return r1, r2


def people_office(tmp, people=10_000, licenses=2_000, seats_each=10):
    """A ledger of `people` employees with e-mails, `licenses` licenses of `seats_each` held seats
    each (20,000 seats), and usage for every seat: filled with sqlite3 (untimed)."""
    env, ledger = office(tmp, 0)
    stamp = "2026-11-25T00:00:00Z"
    sql = ["BEGIN;",
           "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
           "INSERT INTO users(name, role, email, dept, created_at) SELECT 'p' || i, 'employee', 'p' || i || '@acme.example', 'ops', '%s' FROM n;"
           % (people - 1, stamp),
           "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
           "INSERT INTO licenses(id, name, vendor_id, period, currency, per_seat, created_at) SELECT i + 1, 'L' || i, 1, 'monthly', 'EUR', 1, '%s' FROM n;"
           % (licenses - 1, stamp),
           "INSERT INTO purchases(license_id, seats, cost_minor, purchased_on) SELECT id, %d, 1000 * %d, '2026-11-25' FROM licenses;" % (seats_each + 2, seats_each + 2),
           "INSERT INTO seats(license_id, user_id, assigned_at) SELECT l.id, u.id, '%s' FROM licenses l JOIN users u "
           "ON u.role = 'employee' AND (u.id * 7 + l.id) %% %d < %d;" % (stamp, people // seats_each, 1),
           "INSERT INTO usage(license_id, user_id, last_active, source, imported_at) SELECT license_id, user_id, "
           "date('now', '-' || ((license_id * 13 + user_id) % 120) || ' days'), 'generic', '" + stamp + "' FROM seats;",
           "COMMIT;"]
    subprocess.run(["sqlite3", str(ledger)], input="\n".join(sql), text=True, check=True)
    # The last usage import, through owatch, as an office's would be: it records the seat findings
    # (inactive seats) that the usage rows above mean, so the ledger is one owatch itself would have.
    holders = subprocess.run(["sqlite3", "-csv", str(ledger), "SELECT u.email, g.last_active FROM usage g JOIN users u ON u.id = g.user_id "
                              "WHERE g.license_id = 1"], text=True, check=True, capture_output=True).stdout
    usage = Path(tmp) / "usage-L0.csv"
    usage.write_text("email,last_active\n" + holders)
    subprocess.run([BIN, "usage", "import", "L0", str(usage), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
    return env, ledger


GOOGLE = ("First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Org Unit Path [Required],"
          "Department,Cost Center,Status [READ ONLY],Last Sign In [READ ONLY]")

# The same diff in set-based SQL, with indexes to help it: matched by e-mail; the diff printed
# (as `user sync` prints it: people added, departments and names changed, people offboarded with
# the seats they free); departments and full names updated; new people added; suspended people
# offboarded with their seats freed. No validation, unique user names, tokens, audit events or
# findings.
SYNC_SQL = """.mode csv
.import CSV raw
BEGIN;
CREATE INDEX raw_email ON raw(lower("Email Address [Required]"));
CREATE INDEX users_email ON users(email);
.mode list
SELECT 'add', substr(r."Email Address [Required]", 1, instr(r."Email Address [Required]", '@') - 1), lower(r."Email Address [Required]"),
       'employee, ' || r."Department" || ', ' || r."First Name [Required]" || ' ' || r."Last Name [Required]"
  FROM raw r WHERE r."Status [READ ONLY]" = 'Active' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = lower(r."Email Address [Required]"))
UNION ALL
SELECT 'dept', u.name, u.email, coalesce(u.dept, '-') || ' → ' || r."Department" FROM raw r JOIN users u ON u.email = lower(r."Email Address [Required]")
  WHERE u.status = 'active' AND u.dept IS NOT r."Department"
UNION ALL
SELECT 'name', u.name, u.email, coalesce(u.full_name, '-') || ' → ' || r."First Name [Required]" || ' ' || r."Last Name [Required]" FROM raw r
  JOIN users u ON u.email = lower(r."Email Address [Required]")
  WHERE u.status = 'active' AND u.full_name IS NOT r."First Name [Required]" || ' ' || r."Last Name [Required]"
UNION ALL
SELECT 'offboard', u.name, u.email, 'google says suspended or deprovisioned; frees '
       || (SELECT group_concat(l.name, ', ') FROM seats s JOIN licenses l ON l.id = s.license_id WHERE s.user_id = u.id)
  FROM users u JOIN raw r ON lower(r."Email Address [Required]") = u.email
  WHERE r."Status [READ ONLY]" IN ('Suspended', 'Archived') AND u.status = 'active' AND u.role = 'employee';
UPDATE users SET dept = r."Department" FROM raw r WHERE lower(r."Email Address [Required]") = users.email AND users.dept IS NOT r."Department";
UPDATE users SET full_name = r."First Name [Required]" || ' ' || r."Last Name [Required]" FROM raw r
  WHERE lower(r."Email Address [Required]") = users.email AND users.full_name IS NOT r."First Name [Required]" || ' ' || r."Last Name [Required]";
INSERT INTO users(name, role, email, dept, full_name, created_at)
  SELECT substr(r."Email Address [Required]", 1, instr(r."Email Address [Required]", '@') - 1), 'employee', lower(r."Email Address [Required]"),
         r."Department", r."First Name [Required]" || ' ' || r."Last Name [Required]", '2026-12-01T00:00:00Z'
  FROM raw r WHERE r."Status [READ ONLY]" = 'Active' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = lower(r."Email Address [Required]"));
CREATE TEMP TABLE gone AS SELECT u.id FROM users u JOIN raw r ON lower(r."Email Address [Required]") = u.email
  WHERE r."Status [READ ONLY]" IN ('Suspended', 'Archived') AND u.status = 'active' AND u.role = 'employee';
DELETE FROM seats WHERE user_id IN (SELECT id FROM gone);
UPDATE users SET status = 'offboarded', offboarded_at = '2026-12-01T00:00:00Z' WHERE id IN (SELECT id FROM gone);
COMMIT;
"""

# The diff applied without printing it (what this baseline was until 2026-12-02).
SYNC_QUIET_SQL = SYNC_SQL[:SYNC_SQL.index(".mode list")] + SYNC_SQL[SYNC_SQL.index("UPDATE users SET dept"):]

RECLAIM_SQL = """SELECT l.name AS license, CASE WHEN u.status = 'offboarded' OR u.directory_status IN ('suspended','missing') THEN 'orphaned' ELSE 'inactive' END AS reason,
  u.name AS user, 1 AS seats, g.last_active, p.cost_minor * 1.0 / p.seats AS monthly_minor, p.cost_minor * 12.0 / p.seats AS yearly_minor, l.currency
FROM seats s JOIN users u ON u.id = s.user_id JOIN licenses l ON l.id = s.license_id
JOIN (SELECT license_id, sum(seats) AS seats, sum(cost_minor) AS cost_minor FROM purchases GROUP BY license_id) p ON p.license_id = l.id
LEFT JOIN usage g ON g.license_id = s.license_id AND g.user_id = s.user_id
WHERE l.status = 'active' AND (u.status = 'offboarded' OR u.directory_status IN ('suspended','missing') OR (g.user_id IS NOT NULL AND coalesce(g.last_active, '') < date('now', '-60 days')))
UNION ALL
SELECT l.name, 'idle', NULL, p.seats - count(s.user_id), NULL, (p.seats - count(s.user_id)) * p.cost_minor * 1.0 / p.seats,
  (p.seats - count(s.user_id)) * p.cost_minor * 12.0 / p.seats, l.currency
FROM licenses l JOIN (SELECT license_id, sum(seats) AS seats, sum(cost_minor) AS cost_minor FROM purchases GROUP BY license_id) p ON p.license_id = l.id
LEFT JOIN seats s ON s.license_id = l.id WHERE l.status = 'active' GROUP BY l.id HAVING p.seats > count(s.user_id)
ORDER BY 1, 2, 3"""


def bench_people(runs, people=10_000):
    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = people_office(tmp, people)
        reset = restorer(ledger)
        export = Path(tmp) / "google.csv"
        rows = [GOOGLE]
        for i in range(people + 300):
            status = "Suspended" if i % 50 == 0 and i < people else "Active"       # 200 people gone, 300 new
            dept = "sales" if i % 20 == 1 else "ops"                                # 500 department changes
            rows.append(f"P,{i},p{i}@acme.example,****,/,{dept},,{status},2026/11/2{i % 10} 10:00:00 UTC")
        export.write_text("\n".join(rows) + "\n")
        script = Path(tmp) / "sync.sql"
        script.write_text(SYNC_SQL.replace("CSV", str(export)))
        quiet = Path(tmp) / "sync-quiet.sql"
        quiet.write_text(SYNC_QUIET_SQL.replace("CSV", str(export)))
        ours, theirs, silent = timed_turns([([BIN, "user", "sync", str(export), "-q"], None), (["sqlite3", str(ledger)], script),
                                            (["sqlite3", str(ledger)], quiet)], env, runs, setup=reset)
        r1 = report(f"user sync, a {people:,}-person Google Workspace export (200 gone, 300 new, 500 moved) into 2,000 licenses and 20,000 seats",
                    ours, theirs, "sqlite3 set-based diff", 2.0)
        print(f"  the same, against sqlite3 applying the diff without printing it ({silent * 1000:.1f} ms): {ours / silent:.2f}x")
        reset()
        subprocess.run([BIN, "user", "sync", str(export), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
        ours, theirs = timed_turns([([BIN, "report", "reclaim", "--json"], None), (["sqlite3", "-json", str(ledger), RECLAIM_SQL], None)],
                                   env, runs)
        r2 = report("report reclaim --json on it", ours, theirs, "sqlite3 -json", 2.0)
        return r1, r2


def bench_pdf(runs):
    """owatch's PDF text against poppler's pdftotext on the real PDFs of Tests/corpus/pdf, in the same run:
    word agreement (as the differential test counts it) and time for the whole corpus."""
    import base64
    import re
    from collections import Counter
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        print("pdftotext not installed: skipped (make bench installs poppler-utils)")
        return None
    corpus = sorted((HERE.parent / "Tests" / "corpus" / "pdf").glob("*.pdf"))
    with tempfile.TemporaryDirectory() as tmp:
        env, _ = office(tmp, 0)
        emls = []
        for pdf in corpus:
            eml = Path(tmp) / (pdf.stem + ".eml")
            eml.write_bytes(b"From: b <billing@example.com>\nSubject: invoice\nMessage-ID: <b@x>\nMIME-Version: 1.0\n"
                            b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" + base64.encodebytes(pdf.read_bytes()))
            emls.append(eml)
        agreements = []
        for pdf, eml in zip(corpus, emls):
            ours = "\n".join(json.loads(subprocess.run([BIN, "scan", "inspect", str(eml), "--json"], env=env, capture_output=True, text=True).stdout)["texts"])
            ref = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout
            w = lambda t: Counter(re.findall(r"\w+", t.lower()))
            total = sum(w(ref).values())
            if total:
                agreements.append(sum((w(ref) & w(ours)).values()) / total)
        def ours_all():
            for eml in emls:
                subprocess.run([BIN, "scan", "inspect", str(eml), "--json"], env=env, stdout=subprocess.DEVNULL, check=True)
        def theirs_all():
            for pdf in corpus:
                subprocess.run([pdftotext, str(pdf), "-"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t_ours, t_theirs = [], []
        for _ in range(runs):
            start = time.perf_counter(); ours_all(); t_ours.append(time.perf_counter() - start)
            start = time.perf_counter(); theirs_all(); t_theirs.append(time.perf_counter() - start)
        ours, theirs = statistics.median(t_ours), statistics.median(t_theirs)
        mean = sum(agreements) / len(agreements)
        print(f"PDF text of {len(corpus)} real PDFs: agreement with pdftotext {mean:.1%} mean, "
              f"{sum(a >= 0.97 for a in agreements)}/{len(agreements)} files with text at 97% or more; "
              f"owatch scan inspect {ours * 1000:.0f} ms, pdftotext {theirs * 1000:.0f} ms -> {ours / theirs:.2f}x (one process per file each)")
        return mean


PY_CSV = "import csv, sys\nfor p in sys.argv[1:]:\n    rows = list(csv.reader(open(p, newline='', encoding='utf-8')))\n"


def bench_statement(runs, lines=100_000, new=1_000):
    """Issue 31: a generated card statement of `lines` lines scanned by owatch, then its
    overlapping re-export (the same lines plus `new` more) scanned again, each against Python's
    csv module reading the same file in the same run. The re-export's time is whatever main does
    with lines already known (read again, or added only when new)."""
    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = office(tmp, 0)
        first = Path(tmp) / "statement-2026-11-30.csv"
        again = Path(tmp) / "statement-2026-12-07.csv"
        gen.statement(lines, first)
        gen.statement(lines, again, extra=new)
        reset = restorer(ledger)
        py = lambda p: ([sys.executable, "-c", PY_CSV, str(p)], None)  # noqa: E731
        ours, theirs = timed_turns([([BIN, "scan", str(first), "-q"], None), py(first)], env, runs, setup=reset)
        # Python's csv only splits fields; owatch also matches, keys and records every line. The
        # issue sets no goal: the ratio is tracked (release build, 2 cores: 75x on 2026-12-07).
        r1 = report(f"scan of a {lines:,}-line card statement", ours, theirs, "Python csv reading it", None)
        reset()
        subprocess.run([BIN, "scan", str(first), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
        scanned = restorer(ledger)
        ours, theirs = timed_turns([([BIN, "scan", str(again), "-q"], None), py(again)], env, runs, setup=scanned)
        r2 = report(f"scan of its overlapping re-export ({lines:,} lines known, {new:,} new)", ours, theirs, "Python csv reading it", None)
        scanned()
        subprocess.run([BIN, "scan", str(again), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
        count = subprocess.run(["sqlite3", str(ledger), "SELECT count(*) FROM charges"], capture_output=True, text=True).stdout.strip()
        print(f"  charges in the ledger after both: {count} (lines: {lines + new:,} distinct)")
        return r1, r2


def bench_documents():
    """Field accuracy on the real documents of Tests/corpus/documents.tsv (53 invoices, 16
    look-alikes; the table and its reader are the e2e test's): vendor, amount+currency, date and
    invoice number, each as owatch scan inspect reads the PDF on its own."""
    sys.path.insert(0, str(HERE.parent / "Tests" / "e2e"))
    from test_scan_documents import FIELDS, documents, fields
    with tempfile.TemporaryDirectory() as tmp:
        env, _ = office(tmp, 0)
        rows = documents()
        charges = [r for r in rows if r["kind"] == "charge"]
        right = {f: 0 for f in FIELDS}
        kept_out = 0
        for row in rows:
            pdf = HERE.parent / "Tests" / "corpus" / "pdf" / row["file"]
            got = fields(json.loads(subprocess.run([BIN, "scan", "inspect", str(pdf), "--json"], env=env, capture_output=True, text=True).stdout))
            if row["kind"] == "lookalike":
                kept_out += not got["is_charge"] and not got["unknown"]
                continue
            for f in FIELDS:
                right[f] += got[f] == row[f] and (f != "amount" or not got["assumed"])
        print(f"field accuracy on {len(charges)} real invoices: " + ", ".join(f"{f} {right[f] / len(charges):.0%}" for f in FIELDS)
              + f"; {kept_out}/{len(rows) - len(charges)} real look-alikes kept out of the charges")


def bench_eval():
    """`owatch scan eval` on each labelled part of the corpus (issue 32): precision and recall of
    amount+currency per part, the held-back part apart (its documents are not for tuning on)."""
    corpus = HERE.parent / "Tests" / "corpus"
    with tempfile.TemporaryDirectory() as tmp:
        env, _ = office(tmp, 0)
        for name, labels, extra in (("tuned", corpus / "documents.tsv", ["--dir", str(corpus / "pdf")]),
                                    ("new", corpus / "dev" / "documents.tsv", []),
                                    ("held back", corpus / "heldback" / "documents.tsv", [])):
            t0 = time.perf_counter()
            out = subprocess.run([BIN, "scan", "eval", str(labels), *extra, "--json"], env=env, capture_output=True, text=True, check=True)
            took = time.perf_counter() - t0
            s = {r["field"]: r for r in json.loads(out.stdout)}
            print(f"scan eval, {name}: " + ", ".join(f"{f} P {s[f]['precision']} R {s[f]['recall']}" for f in ("charge", "amount", "date", "invoice_no"))
                  + f" ({took:.1f} s)")


def bench_remote(runs):
    """owatch --remote over a real sshd on 127.0.0.1, against plain `ssh host owatch …` (the same
    connection set-up, no protocol) and against the same command run locally, in the same run."""
    sys.path.insert(0, str(HERE.parent / "Tests" / "e2e"))
    from sshd_harness import SSHServer, available
    if not available():
        print("sshd not installed: skipped (make bench installs openssh-server)")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        env, ledger = office(tmp, 50)
        csv_path = Path(tmp) / "10k.csv"
        csv_path.write_text(gen.licenses(10_000, 50))
        subprocess.run([BIN, "license", "import", str(csv_path), "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
        root = Path(tmp) / "sshd"
        root.mkdir()
        sshd = SSHServer(root, BIN, Path(tmp))
        try:
            laptop = Path(tmp) / "laptop"
            (laptop / ".config/owatch").mkdir(parents=True)
            token = laptop / ".config/owatch/token"
            shutil.copy(Path(tmp) / ".config/owatch/token", token)
            os.chmod(token, 0o600)
            client = {**env, "HOME": str(laptop), "OWATCH_REMOTE": sshd.url, "OWATCH_SSH_OPTS": sshd.options()}
            plain = ["ssh", *sshd.options("plain").split(), "-p", str(sshd.port), f"{sshd.user}@127.0.0.1", BIN]
            ratios = []
            for args, label in ((["whoami"], "whoami"), (["license", "list", "--json"], "license list --json, 10,000 licenses")):
                remote = timed([BIN, *args], client, runs)
                direct = timed(plain + args, env, runs)
                local = timed([BIN, *args], env, runs)
                ratios.append(report(f"owatch --remote {label}", remote, direct, "ssh host owatch", 1.2))
                print(f"  (the same command locally: {local * 1000:.1f} ms; --remote costs {(remote - local) * 1000:.0f} ms more, plain ssh {(direct - local) * 1000:.0f} ms)")
            return ratios
        finally:
            sshd.stop()


if __name__ == "__main__":
    if not Path(BIN).exists():
        sys.exit(f"no binary at {BIN}: run `make bench`")
    runs = int(os.environ.get("BENCH_RUNS", "9"))
    args, against = sys.argv[1:], None
    if "--against" in args:  # `bench.py scan --against OLD_BIN`: the scan by this build and by OLD_BIN, in turns
        i = args.index("--against")
        against = args[i + 1] if i + 1 < len(args) else sys.exit("--against needs an owatch binary")
        del args[i:i + 2]
    which = args or ["startup", "licenses", "scan", "statement", "reports", "people", "pdf", "documents", "eval", "remote", "postgres"]
    if "startup" in which:
        bench_startup(runs)
    if "licenses" in which:
        bench_licenses(runs)
    if "scan" in which and against:
        bench_scan_against(against, runs, int(os.environ.get("BENCH_MESSAGES", "50000")))
    elif "scan" in which:
        bench_scan(runs, int(os.environ.get("BENCH_MESSAGES", "50000")))
    if "statement" in which:
        bench_statement(runs, int(os.environ.get("BENCH_STATEMENT_LINES", "100000")))
    if "reports" in which:
        bench_reports(runs, int(os.environ.get("BENCH_CHARGES", "1000000")))
    if "people" in which:
        bench_people(runs, int(os.environ.get("BENCH_PEOPLE", "10000")))
    if "pdf" in which:
        bench_pdf(runs)
    if "documents" in which:
        bench_documents()
    if "eval" in which:
        bench_eval()
    if "remote" in which:
        bench_remote(runs)
    if "postgres" in which:  # issue 35: each command on PostgreSQL against SQLite, in the same run
        import postgres
        postgres.bench_postgres(BIN, office, gen, runs, int(os.environ.get("BENCH_CHARGES", "1000000")),
                                messages=int(os.environ.get("BENCH_PG_MESSAGES", "50000")))
