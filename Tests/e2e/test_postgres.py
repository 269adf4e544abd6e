"""A ledger on PostgreSQL (issue 35): the URL, libpq loaded only when needed, the same commands
and output as on SQLite, and a password that never shows. A throw-away cluster (pg.py) runs as an
unprivileged user on a Unix socket; the tests are skipped where the server binaries are absent."""
import json
import os
import subprocess
from pathlib import Path

import pytest

import pg
from conftest import BIN, Office

SKIP = pg.missing()
# Run once, on SQLite ledgers (make test): it starts its own cluster and covers both backends itself.
pytestmark = [pytest.mark.skipif(SKIP is not None, reason=SKIP or ""), pytest.mark.backend_independent]
PASSWORD = "pa:ss/w@rd-9f3e"


cluster = pytest.fixture(scope="module", name="cluster")(pg.throwaway_cluster)


def pg_office(tmp_path, cluster, password=None):
    """An Office whose ledger is a fresh database on the cluster, named with a password in its URL."""
    o = Office(tmp_path)
    url = pg.fresh_database(cluster.url(password=password))
    o.env["OWATCH_LEDGER"] = url
    o.ledger_url = url
    return o


def sqlite_office(tmp_path):
    o = Office(tmp_path)
    o.env.pop("OWATCH_LEDGER", None)
    return o


def init(o):
    return o.ok("init", "--org", "Acme GmbH", "--admin", "alice", "--currency", "EUR", "--json")


def test_init_creates_the_schema_on_postgres(tmp_path, cluster):
    o = pg_office(tmp_path, cluster)
    created = init(o).json()
    created = created[0] if isinstance(created, list) else created
    assert created["org"] == "Acme GmbH" and created["ledger"].startswith("postgresql://")
    db = o.ledger_url.split("?")[0].rsplit("/", 1)[1]
    assert cluster.psql("SELECT version FROM owatch_schema", db).strip() == "19"
    tables = set(cluster.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", db).split())
    assert {"licenses", "events", "charges", "requests", "seals", "meta"} <= tables
    # The append-only trigger is PL/pgSQL now, and still refuses.
    r = subprocess.run(["psql", "-X", "-d", cluster.url(db), "-c", "DELETE FROM events"], capture_output=True, text=True)
    assert r.returncode != 0 and "audit events are append-only" in r.stderr
    # A second init there refuses: the database is not empty.
    r = o.run("init", "--org", "Other", "--admin", "zed", "--key", tmp_path / "k2", "--token", tmp_path / "t2")
    assert r.rc == 1 and "not empty" in r.err, r


def test_doctor_on_postgres(tmp_path, cluster):
    o = pg_office(tmp_path, cluster)
    init(o)
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "2", "--cost", "8")
    checks = {c["check"]: c for c in o.ok("doctor", "--json").json()}
    # The throw-away cluster's user is a superuser, which no privilege binds: doctor warns (test_postgres_ops).
    assert checks.pop("database role")["status"] == "warn"
    assert {c["status"] for c in checks.values()} == {"ok"}, checks
    assert checks["server"]["detail"].startswith("PostgreSQL 15") and "integrity" not in checks
    r = o.run("backup", tmp_path / "copy.dump")
    assert r.rc == 0 and "pg_dump" in r.err, r


def test_an_empty_database_is_no_ledger(tmp_path, cluster):
    o = pg_office(tmp_path, cluster)
    r = o.run("license", "list")
    assert r.rc == 66 and "no owatch ledger" in r.err, r


def workflow(o):
    """The same commands on either backend; returns their --json outputs."""
    init(o)
    bob = o.add_user("bob", dept="eng")
    out = [o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "5", "--cost", "8", "--per-seat", "--json").json()]
    out.append(o.ok("license", "list", "--json").json())
    req = o.ok("request", "new", "software", "Figma", "--cost", "15", "--period", "monthly", "--reason", "design", "--json",
               token=bob).json()
    out.append(req)
    out.append(o.ok("approve", str(req["id"]), "-m", "enjoy", "--json").json())
    out.append(o.ok("license", "show", "Figma", "--json").json())
    out.append(o.ok("request", "list", "--json").json())
    verify = o.ok("audit", "verify", "--state", "--json").json()
    out.append(verify)
    return out


def normalised(outputs):
    """Times and hashes differ between runs; everything else must not."""
    def scrub(v):
        if isinstance(v, dict):
            return {k: ("*" if k in ("created_at", "decided_at", "head", "time", "updated_at") else scrub(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [scrub(x) for x in v]
        return v
    return scrub(outputs)


def test_the_same_commands_give_the_same_json_on_both_backends(tmp_path, cluster):
    (tmp_path / "pg").mkdir()
    (tmp_path / "lite").mkdir()
    on_pg = workflow(pg_office(tmp_path / "pg", cluster))
    on_sqlite = workflow(sqlite_office(tmp_path / "lite"))
    assert normalised(on_pg) == normalised(on_sqlite)
    verify = on_pg[-1]
    verify = verify[0] if isinstance(verify, list) else verify
    assert verify["ok"] is True and verify["state"] == "ok", verify


def test_a_password_in_the_url_is_never_printed(tmp_path, cluster):
    o = pg_office(tmp_path, cluster, password=PASSWORD)
    results = [o.run("init", "--org", "Acme", "--admin", "alice"), o.run("init", "--org", "Acme", "--admin", "alice", "--json"),
               o.run("license", "add", "Slack", "--vendor", "slack", "--seats", "1", "--cost", "8"),
               o.run("audit", "log", "--json"), o.run("doctor"), o.run("login", "--help")]
    # A failing connection quotes the URL too: still redacted.
    bad = o.ledger_url.rsplit("?", 1)[0] + "_missing?" + o.ledger_url.rsplit("?", 1)[1]
    results.append(o.run("license", "list", env={"OWATCH_LEDGER": bad}))
    assert results[-1].rc == 69 and "***" in results[-1].err, results[-1]
    encoded = PASSWORD.replace(":", "%3A").replace("/", "%2F").replace("@", "%40")
    for r in results:
        assert PASSWORD not in r.out + r.err and encoded not in r.out + r.err, r
    # Nor stored: the audit events and the ledger's own tables never hold it.
    db = o.ledger_url.split("?")[0].rsplit("/", 1)[1]
    dump = subprocess.run(["pg_dump", "-d", cluster.url(db)], capture_output=True, text=True, check=True).stdout
    assert PASSWORD not in dump and encoded not in dump


def test_missing_libpq_is_a_clear_error(tmp_path, cluster):
    o = pg_office(tmp_path, cluster)
    r = o.run("license", "list", env={"OWATCH_LIBPQ": "libpq-not-installed.so.5"})
    assert r.rc == 69, r
    assert "libpq" in r.err and "libpq5" in r.err, r


def test_sqlite_never_loads_libpq(tmp_path):
    o = sqlite_office(tmp_path)
    init(o)
    linked = subprocess.run(["ldd", BIN], capture_output=True, text=True).stdout
    assert "libpq" not in linked
    maps = run_and_read_maps(o)
    assert maps and "libsqlite3" in maps and "libpq" not in maps


def run_and_read_maps(o):
    """/proc/PID/maps of an owatch blocked reading stdin (`login -` waits for the token text)."""
    p = subprocess.Popen([BIN, "login", "-"], cwd=o.home, env=o.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        import time
        for _ in range(100):
            maps = Path(f"/proc/{p.pid}/maps").read_text()
            if "libsqlite3" in maps:
                return maps
            time.sleep(0.05)
        return Path(f"/proc/{p.pid}/maps").read_text()
    finally:
        p.kill()
        p.wait()


def test_postgres_loads_libpq(tmp_path, cluster):
    o = pg_office(tmp_path, cluster)
    init(o)
    r = o.run("license", "list", env={"LD_DEBUG": "files"})
    assert r.rc == 0 and "libpq.so.5" in r.err


def test_concurrent_writers_keep_the_chain(tmp_path, cluster):
    """Writers take turns (the advisory lock) and each event links to the one before."""
    o = pg_office(tmp_path, cluster)
    init(o)
    procs = []
    for w in range(4):
        script = "; ".join(f"{BIN} license add W{w}L{i} --vendor v{w} --seats 1 --cost 1 >/dev/null || echo FAIL" for i in range(6))
        procs.append(subprocess.Popen(["sh", "-c", script], cwd=o.home, env=o.env, stdout=subprocess.PIPE, text=True))
    outs = [p.communicate(timeout=300)[0] for p in procs]
    assert "FAIL" not in "".join(outs)
    assert len(o.ok("license", "list", "--json").json()) == 24
    verify = o.ok("audit", "verify", "--state", "--json").json()
    verify = verify[0] if isinstance(verify, list) else verify
    assert verify["ok"] is True and verify["state"] == "ok", verify


def test_a_writer_held_too_long_is_busy_75(tmp_path, cluster):
    """Another owatch holding the write lock past busy_timeout: exit 75, as on SQLite."""
    o = pg_office(tmp_path, cluster)
    init(o)
    o.ok("config", "set", "busy_timeout", "1s")
    lock = 0x6f_7761_7463_68                            # PostgresStorage.writeLock ("owatch")
    holder = subprocess.Popen(["psql", "-X", "-d", o.ledger_url, "-c", f"SELECT pg_advisory_lock({lock}), pg_sleep(8)"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import time
        for _ in range(100):                            # until the holder has the lock
            held = o.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted").strip()
            if held == "1":
                break
            time.sleep(0.05)
        r = o.run("license", "add", "Slack", "--vendor", "slack", "--seats", "1", "--cost", "8")
        assert r.rc == 75 and "busy" in r.err, r
        assert o.ok("license", "list", "--json").json() == []
    finally:
        holder.kill()
        holder.wait()


def scanned(o):
    init(o)
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "26.25")
    card = o.home / "card.csv"
    card.write_text("Date,Description,Amount\n2026-11-02,SLACK TECHNOLOGIES,-30.00\n2026-11-03,ZOOM.US,-15.99\n")
    result = o.ok("scan", card, "--json").json()
    verify = o.ok("audit", "verify", "--state", "--json").json()
    actions = []
    for e in o.ok("audit", "log", "--json").json():
        # How many transactions a scan's rows take is timing (a batch ends after a time), not behaviour.
        if not (e["action"] == "scan.write" and actions[-1:] == ["scan.write"]):
            actions.append(e["action"])
    charges = [(c["vendor"], c["amount_minor"]) for c in o.ok("charge", "list", "--json").json()]
    return result, verify["state"], actions, charges


def test_a_scan_is_audited_alike_on_both_backends(tmp_path, cluster):
    """A scan's rows reach the audit chain (scan.write) on PostgreSQL too, and the state verifies."""
    (tmp_path / "pg").mkdir()
    (tmp_path / "lite").mkdir()
    on_pg = scanned(pg_office(tmp_path / "pg", cluster))
    assert on_pg[1] == "ok" and "scan.write" in on_pg[2]
    assert normalised(list(on_pg)) == normalised(list(scanned(sqlite_office(tmp_path / "lite"))))


def test_a_ledger_with_an_older_state_trigger_gets_the_lazy_one(tmp_path, cluster):
    """A ledger whose state-digest trigger is an older owatch's (it expects every TEMP table made up
    front) gets the one that makes them on first use at the next write, and the digest still verifies."""
    o = pg_office(tmp_path, cluster)
    init(o)
    db = pg.database_name(o.ledger_url)
    old = """CREATE OR REPLACE FUNCTION owatch_state_rows() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF current_setting('owatch.state_rows', true) = 'on' THEN
            IF TG_OP <> 'INSERT' THEN
                EXECUTE format('INSERT INTO pg_temp.%I SELECT * FROM owatch_old', 'owatch_rows_' || TG_TABLE_NAME);
            END IF;
            IF TG_OP <> 'DELETE' THEN
                EXECUTE format('INSERT INTO pg_temp.%I SELECT * FROM owatch_new', 'owatch_rows_' || TG_TABLE_NAME);
            END IF;
        END IF;
        RETURN NULL;
    END $fn$"""
    cluster.psql(old + "; DROP FUNCTION owatch_rows_touched()", db)
    o.ok("vendor", "add", "acme", "-q")
    assert cluster.psql("SELECT count(*) FROM pg_proc WHERE proname = 'owatch_rows_touched'", db).strip() == "1"
    assert "to_regclass" in cluster.psql("SELECT prosrc FROM pg_proc WHERE proname = 'owatch_state_rows'", db)
    o.ok("charge", "add", "acme", "3.00", "--on", "2026-11-02", "-q")
    o.ok("license", "add", "Acme", "--vendor", "acme", "--seats", "2", "--cost", "5", "-q")
    o.ok("audit", "verify", "--state")
    # A write made behind owatch's back is still found.
    cluster.psql("UPDATE charges SET amount_minor = 1 WHERE vendor = 'acme'", db)
    assert o.run("audit", "verify", "--state").rc != 0


def test_names_fold_as_on_sqlite_and_doctor_says_where_they_cannot(tmp_path, cluster):
    """A case-blind name is citext on PostgreSQL, whose equality folds by the database's LC_CTYPE:
    in C, ASCII letters only, as SQLite's NOCASE — "Éclair" and "éclair" are two licenses on both,
    "ÉCLAIR" clashes with "Éclair" on both. A database whose LC_CTYPE folds more: doctor warns."""
    for d in ("c", "s", "w"):
        (tmp_path / d).mkdir()
    o = pg_office(tmp_path / "c", cluster)
    s = sqlite_office(tmp_path / "s")
    for office in (o, s):
        init(office)
        office.ok("license", "add", "Éclair", "--vendor", "v1", "--seats", "1", "--cost", "1")
        office.ok("license", "add", "éclair", "--vendor", "v2", "--seats", "1", "--cost", "1")
        r = office.run("license", "add", "ÉCLAIR", "--vendor", "v3", "--seats", "1", "--cost", "1")
        assert r.rc != 0 and "already exists" in r.err, r
    assert o.ok("license", "list", "--json").json() == s.ok("license", "list", "--json").json()
    checks = {c["check"]: c for c in o.ok("doctor", "--json").json()}
    assert checks["case folding"]["status"] == "ok" and "LC_CTYPE C" in checks["case folding"]["detail"], checks

    cluster.psql("CREATE DATABASE folds_more TEMPLATE template0 LC_CTYPE 'C.UTF-8'")
    wide = Office(tmp_path / "w")
    wide.env["OWATCH_LEDGER"] = wide.ledger_url = cluster.url("folds_more")
    init(wide)
    wide.ok("license", "add", "Éclair", "--vendor", "v1", "--seats", "1", "--cost", "1")
    assert wide.run("license", "add", "éclair", "--vendor", "v2", "--seats", "1", "--cost", "1").rc != 0
    folding = {c["check"]: c for c in wide.ok("doctor", "--json").json()}["case folding"]
    assert folding["status"] == "warn" and "C.UTF-8" in folding["detail"] and "--lc-ctype=C" in folding["detail"], folding
