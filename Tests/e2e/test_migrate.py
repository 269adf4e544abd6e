"""owatch migrate --to (issue 35): the whole ledger copied to a new SQLite file or an empty
PostgreSQL database in one transaction, checked on both sides (same chain head, same state
digest), never into a target that holds something. The PostgreSQL tests run on a throw-away
cluster (pg.py) and are skipped where the server binaries are absent; SQLite → SQLite always runs."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import pg
from conftest import Office

# Run once, on SQLite ledgers (make test): it starts its own cluster and covers both backends itself.
pytestmark = pytest.mark.backend_independent

ROOT = Path(__file__).resolve().parents[2]
SKIP = pg.missing()
needs_pg = pytest.mark.skipif(SKIP is not None, reason=SKIP or "")
PASSWORD = "s3cr:et/pw@x"


cluster = pytest.fixture(scope="module", name="cluster")(pg.throwaway_cluster)


def small_office(home):
    """A SQLite office with people, licenses, requests and approvals, a scan of examples/, charges."""
    o = Office(home)
    o.env.pop("OWATCH_LEDGER", None)
    o.ledger_url = None
    o.ok("init", "--org", "Acme GmbH", "--admin", "alice", "--currency", "EUR")
    bob = o.add_user("bob", dept="eng")
    o.add_user("erin", role="admin", dept="ops")
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8")
    o.ok("license", "add", "Figma", "--vendor", "figma", "--seats", "1", "--cost", "15", "--period", "monthly")
    req = o.ok("request", "new", "software", "Notion", "--plan", "Plus", "--cost", "10", "--period", "monthly",
               "--reason", "notes", "--json", token=bob).json()
    o.ok("approve", str(req["id"]), "-m", "fine")
    other = o.ok("request", "new", "software", "Miro", "--cost", "12", "--period", "monthly", "--reason", "boards",
                 "--json", token=bob).json()
    o.ok("approve", "--reject", str(other["id"]), "-m", "use Figma")
    shutil.copy(ROOT / "examples" / "mail" / "receipts.mbox", home / "receipts.mbox")
    shutil.copy(ROOT / "examples" / "statements" / "card.csv", home / "card.csv")
    o.ok("scan", "source", "add", home / "receipts.mbox")
    o.run("scan", "-q")
    o.run("scan", home / "card.csv", "-q")
    o.ok("rate", "set", "USD", "EUR", "0.9", "--on", "2026-11-01")
    o.ok("charge", "add", "slack", "24.00", "--on", "2026-11-03", "--license", "Slack")
    o.ok("audit", "seal")
    return o


def tables(db):
    """Every table of a SQLite file as sqlite3 -json dumps it, rows in key order."""
    names = subprocess.run(["sqlite3", str(db), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"],
                           capture_output=True, text=True, check=True).stdout.split()
    out = {}
    for name in names:
        r = subprocess.run(["sqlite3", "-json", str(db), f'SELECT * FROM "{name}" ORDER BY 1'], capture_output=True, check=True)
        # Blobs (keys, signatures) come out as their raw bytes: compared byte for byte.
        out[name] = json.loads(r.stdout.decode("utf-8", "surrogateescape") or "[]")
    return out


def verify(o, ledger):
    r = o.ok("--ledger", ledger, "audit", "verify", "--state", "--json")
    got = r.json()
    got = got[0] if isinstance(got, list) else got
    assert got["ok"] and got["state"] == "ok", got
    return got


def last_event(o, ledger):
    return o.ok("--ledger", ledger, "audit", "log", "--json").json()[-1]


def test_sqlite_to_sqlite(tmp_path):
    o = small_office(tmp_path)
    before = verify(o, o.ledger)
    copy = tmp_path / "copy.db"
    r = o.ok("migrate", "--to", f"sqlite:{copy}")
    assert "Copied the ledger to" in r.err and r.out == "", r
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    after = verify(o, copy)
    assert after["head"] == before["head"] and after["events"] == before["events"]
    # The source records the copy after it was made: one event more there, none in the copy.
    ev = last_event(o, o.ledger)
    assert ev["action"] == "ledger.migrate" and str(copy) in ev["object"]
    a, b = tables(o.ledger), tables(copy)
    # The office holds what it should (the scan found charges), so equal tables mean something.
    assert len(a["charges"]) >= 3 and len(a["requests"]) == 2 and len(a["seals"]) == 1 and len(a["licenses"]) >= 3, a["charges"]
    assert a["events"][:-1] == b["events"]
    del a["events"], b["events"]
    assert a == b
    # The copy is a ledger owatch works on.
    o.ok("--ledger", copy, "license", "add", "Zoom", "--vendor", "zoom", "--seats", "2", "--cost", "14")


def test_refuses_an_existing_file_and_a_non_admin(tmp_path):
    o = small_office(tmp_path)
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"keep me")
    r = o.run("migrate", "--to", f"sqlite:{taken}")
    assert r.rc == 1 and "exists" in r.err and taken.read_bytes() == b"keep me", r
    r = o.run("migrate", "--to", f"sqlite:{o.ledger}")
    assert r.rc == 64 and "itself" in r.err, r
    r = o.run("migrate", "--to", f"sqlite:{tmp_path / 'x.db'}", token=tmp_path / "bob.token")
    assert r.rc == 77 and not (tmp_path / "x.db").exists(), r
    r = o.run("migrate")
    assert r.rc == 64 and "--to" in r.err, r
    assert not list(tmp_path.glob("*.partial-*"))


def test_a_ledger_edited_behind_owatch_is_not_copied(tmp_path):
    o = small_office(tmp_path)
    o.sql("UPDATE licenses SET plan = 'Gold' WHERE name = 'Slack'")
    r = o.run("migrate", "--to", f"sqlite:{tmp_path / 'copy.db'}")
    assert r.rc == 65 and "edited without owatch" in r.err, r
    assert not (tmp_path / "copy.db").exists() and not list(tmp_path.glob("*.partial-*"))


@needs_pg
def test_round_trip_through_postgres(tmp_path, cluster):
    o = small_office(tmp_path)
    first = verify(o, o.ledger)
    url = pg.fresh_database(cluster.url(password=PASSWORD))
    r = o.ok("migrate", "--to", url)
    assert PASSWORD not in r.out + r.err and "***" in r.err, r
    on_pg = verify(o, url)
    assert on_pg["head"] == first["head"]
    # The copy on PostgreSQL is a ledger every command reads as the file's.
    assert o.ok("--ledger", url, "license", "list", "--json").json() == o.ok("license", "list", "--json").json()
    last = tmp_path / "back.db"
    o.ok("--ledger", url, "migrate", "--to", f"sqlite:{last}")
    back = verify(o, last)
    assert back["head"] == first["head"]
    # Identical tables but for what must differ: each source records its copy after making it,
    # so the first file has one event (its copy to PostgreSQL) the last file never received.
    a, b = tables(o.ledger), tables(last)
    assert a["events"][:-1] == b["events"] and a["events"][-1]["action"] == "ledger.migrate"
    del a["events"], b["events"]
    assert a == b
    # The password appears in no event anywhere.
    for ledger in (o.ledger, url, last):
        log = o.ok("--ledger", ledger, "audit", "log", "--json").out
        assert PASSWORD not in log and "s3cr" not in log
    # New rows on PostgreSQL continue after the copied ids.
    o.ok("--ledger", url, "license", "add", "Zoom", "--vendor", "zoom", "--seats", "2", "--cost", "14")
    verify(o, url)


@needs_pg
def test_refuses_a_database_that_is_not_empty(tmp_path, cluster):
    o = small_office(tmp_path)
    url = pg.fresh_database(cluster.url())
    db = url.split("?")[0].rsplit("/", 1)[1]
    cluster.psql("CREATE TABLE mine(x int); INSERT INTO mine VALUES (1)", db)
    r = o.run("migrate", "--to", url)
    assert r.rc == 1 and "not empty" in r.err, r
    assert cluster.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", db).strip() == "1"
    # A ledger there already is refused the same way.
    full = pg.fresh_database(cluster.url())
    o.ok("migrate", "--to", full)
    r = o.run("migrate", "--to", full)
    assert r.rc == 1 and "not empty" in r.err, r
    # PostgreSQL → PostgreSQL too: the copy ends where the source stood before recording the copy.
    other = pg.fresh_database(cluster.url())
    o.ok("--ledger", full, "migrate", "--to", other)
    log = o.ok("--ledger", full, "audit", "log", "--json").json()
    assert o.ok("--ledger", other, "audit", "log", "--json").json() == log[:-1]
    verify(o, other)


def charges_sql(n):
    """`n` statement charges over 2024–2026 in one set-based INSERT (no CLI call per charge), then
    the schema version one back, so the next owatch run re-runs the last (re-runnable) migration
    and its event records the state digest of the tables as they now are."""
    return f"""
    INSERT INTO charges(item_key, origin, vendor_id, vendor, amount_minor, currency, charged_on, license_id, created_at)
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {n})
    SELECT 'gen:' || i, 'statement', (SELECT min(id) FROM vendors), 'Acme', 100 + (i * 7919) % 50000,
           CASE WHEN i % 4 THEN 'EUR' ELSE 'USD' END,
           printf('%04d-%02d-%02d', 2024 + i % 3, 1 + i % 12, 1 + i % 28), NULL, '2026-01-01T00:00:00Z'
    FROM n;
    PRAGMA user_version = {SCHEMA_VERSION - 1};"""


SCHEMA_VERSION = 19


def dump(db, table, order="1"):
    return subprocess.run(["sqlite3", str(db), f'SELECT * FROM "{table}" ORDER BY {order}'], capture_output=True, check=True).stdout


@needs_pg
def test_round_trip_of_a_large_ledger(tmp_path, cluster):
    import os
    n = int(os.environ.get("OWATCH_MIGRATE_CHARGES", "20000"))
    o = Office(tmp_path)
    o.env.pop("OWATCH_LEDGER", None)
    o.ledger_url = None
    o.ok("init", "--org", "Acme GmbH", "--admin", "alice", "--currency", "EUR", "-q")
    o.ok("license", "add", "Acme Suite", "--vendor", "acme", "--seats", "3", "--cost", "8")
    o.sql(charges_sql(n))
    first = verify(o, o.ledger)                 # the migration re-ran; its event holds the new state
    assert int(o.sql("SELECT count(*) FROM charges")) == n
    url = pg.fresh_database(cluster.url())
    o.ok("migrate", "--to", url, timeout=600)
    assert verify(o, url)["head"] == first["head"]
    back = tmp_path / "back.db"
    o.ok("--ledger", url, "migrate", "--to", f"sqlite:{back}", timeout=600)
    assert verify(o, back)["head"] == first["head"]
    # Identical tables (the source's own record of its copy aside) and the same chain.
    names = subprocess.run(["sqlite3", str(back), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert "charges" in names
    for name in names:
        a, b = dump(o.ledger, name), dump(back, name)
        if name == "events":
            a = a[:a.rstrip(b"\n").rfind(b"\n") + 1]
        assert a == b, name
    assert dump(back, "charges").count(b"\n") == n
