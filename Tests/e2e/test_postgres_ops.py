"""Operating a PostgreSQL ledger (issue 35): the database keeps the audit insert-only for owatch's
role, a reader role for BI sees no secrets, doctor reports the server and the grants, backup goes
through pg_dump (and restores), and reports run on a hot standby where writes are refused.
A throw-away cluster (pg.py) on a Unix socket; skipped where the server binaries are absent."""
import json
import os
import subprocess
import uuid

import pytest

import pg
from conftest import Office

SKIP = pg.missing()
# Starts its own cluster, so `make test` runs it once (not again in the PostgreSQL pass).
pytestmark = [pytest.mark.skipif(SKIP is not None, reason=SKIP or ""), pytest.mark.backend_independent]

cluster = pytest.fixture(scope="module", name="cluster")(pg.throwaway_cluster)


def psql(cluster, database, sql, user=pg.SUPERUSER):
    """psql as `user` (trust auth on the socket); returns the CompletedProcess, never raises."""
    return subprocess.run(["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-h", str(cluster.socket), "-U", user, "-d", database,
                           "-c", sql], capture_output=True, text=True)


class Roles:
    """Three fresh login roles (roles are cluster-wide) and a database the owner owns."""
    def __init__(self, cluster):
        tag = uuid.uuid4().hex[:8]
        self.owner, self.app, self.reader = f"own_{tag}", f"app_{tag}", f"bi_{tag}"
        self.db = f"office_{tag}"
        cluster.psql(f"CREATE ROLE {self.owner} LOGIN; CREATE ROLE {self.app} LOGIN; CREATE ROLE {self.reader} LOGIN")
        cluster.psql(f"CREATE DATABASE {self.db} OWNER {self.owner}")


def office_with_roles(tmp_path, cluster, *init_args):
    """An Office initialised by the database owner with --role and --reader, then run as the application role."""
    r = Roles(cluster)
    o = Office(tmp_path)
    o.env["OWATCH_LEDGER"] = cluster.url(r.db, user=r.owner)
    o.ok("init", "--org", "Acme", "--admin", "alice", "--role", r.app, "--reader", r.reader, *init_args)
    o.env["OWATCH_LEDGER"] = o.ledger_url = cluster.url(r.db, user=r.app)
    return o, r


def one(value):
    return value[0] if isinstance(value, list) else value


def checks(o):
    return {c["check"]: c for c in o.run("doctor", "--json").json()}


def test_owatchs_role_may_insert_events_but_never_edit_them(tmp_path, cluster):
    o, r = office_with_roles(tmp_path, cluster)
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8")
    for statement in ("UPDATE events SET actor = 'mallory' WHERE seq = 1", "DELETE FROM events", "TRUNCATE events"):
        as_app = psql(cluster, r.db, statement, user=r.app)
        assert as_app.returncode != 0 and "permission denied for table events" in as_app.stderr, (statement, as_app)
    # The owner lost them too: only a deliberate GRANT gives them back.
    as_owner = psql(cluster, r.db, "UPDATE events SET actor = 'mallory' WHERE seq = 1", user=r.owner)
    assert as_owner.returncode != 0 and "permission denied" in as_owner.stderr, as_owner
    assert one(o.ok("audit", "verify", "--state", "--json").json())["state"] == "ok"
    # The data tables stay writable, and an edit behind owatch's back is found.
    edited = psql(cluster, r.db, "UPDATE licenses SET plan = 'enterprise' WHERE name = 'Slack'", user=r.app)
    assert edited.returncode == 0, edited
    v = o.run("audit", "verify", "--state", "--json")
    assert v.rc == 65 and one(v.json())["state"] != "ok", v
    assert checks(o)["audited state"]["status"] == "fail"


def test_doctor_reports_the_server_the_roles_and_the_grants(tmp_path, cluster):
    o, r = office_with_roles(tmp_path, cluster)
    c = checks(o)
    assert c["server"]["status"] == "ok" and c["server"]["detail"].startswith("PostgreSQL 15"), c
    assert c["database role"]["status"] == "ok" and r.app in c["database role"]["detail"], c
    assert c["roles"]["status"] == "ok" and f"{r.reader} (reader)" in c["roles"]["detail"], c
    assert c["schema"]["status"] == "ok" and c["audit chain"]["status"] == "ok", c
    table = o.ok("doctor").out
    assert "database role" in table and "roles" in table
    # A reader that can see a secret, or an application role that can edit events: doctor fails.
    cluster.psql(f"GRANT SELECT ON tokens TO {r.reader}", r.db)
    d = o.run("doctor", "--json")
    assert d.rc == 1 and "roles" in d.err, d
    bad = {x["check"]: x for x in d.json()}["roles"]
    assert bad["status"] == "fail" and f"{r.reader} can read tokens" in bad["detail"], bad
    cluster.psql(f"REVOKE SELECT ON tokens FROM {r.reader}; GRANT UPDATE ON events TO {r.app}", r.db)
    bad = checks(o)["database role"]
    assert bad["status"] == "fail" and "may UPDATE events" in bad["detail"], bad


def test_doctor_warns_when_owatch_connects_as_a_superuser(tmp_path, cluster):
    o = Office(tmp_path)
    o.env["OWATCH_LEDGER"] = pg.fresh_database(cluster.url())
    o.ok("init", "--org", "Acme", "--admin", "alice")
    d = o.ok("doctor", "--json")                       # a warning is not a failure
    role = {x["check"]: x for x in d.json()}["database role"]
    assert role["status"] == "warn" and "superuser" in role["detail"], role


def test_the_reader_sees_tables_but_no_secrets(tmp_path, cluster):
    o, r = office_with_roles(tmp_path, cluster)
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8")
    assert psql(cluster, r.db, "SELECT count(*) FROM licenses", user=r.reader).stdout.strip() == "1"
    assert psql(cluster, r.db, "SELECT count(*) FROM charges", user=r.reader).returncode == 0
    for secret in ("tokens", "issuers", "notify_channels", "config"):
        denied = psql(cluster, r.db, f"SELECT * FROM {secret}", user=r.reader)
        assert denied.returncode != 0 and "permission denied" in denied.stderr, (secret, denied)
    wrote = psql(cluster, r.db, "UPDATE licenses SET plan = 'x'", user=r.reader)
    assert wrote.returncode != 0 and "permission denied" in wrote.stderr


def test_grant_adds_a_reader_to_an_existing_ledger(tmp_path, cluster):
    o, r = office_with_roles(tmp_path, cluster)
    late = f"late_{uuid.uuid4().hex[:8]}"
    cluster.psql(f"CREATE ROLE {late} LOGIN")
    assert psql(cluster, r.db, "SELECT count(*) FROM licenses", user=late).returncode != 0
    owner_url = cluster.url(r.db, user=r.owner)
    for _ in range(2):                                 # re-runnable
        g = o.ok("--ledger", owner_url, "grant", "--reader", late)
        assert late in g.err
    assert psql(cluster, r.db, "SELECT count(*) FROM licenses", user=late).stdout.strip() == "0"
    assert psql(cluster, r.db, "SELECT * FROM tokens", user=late).returncode != 0
    grants = [e for e in o.ok("audit", "log", "--json").json() if e["action"] == "ledger.grant"]
    assert [e["details"] for e in grants][-1] == {"readers": [late]}
    assert o.ok("audit", "verify", "--state").rc == 0
    missing = o.run("--ledger", owner_url, "grant", "--reader", "nobody_here_" + uuid.uuid4().hex[:6])
    assert missing.rc == 1 and "does not exist" in missing.err and "CREATE ROLE" in missing.err, missing
    assert o.run("grant").rc == 64
    # As the application role (not the owner) a GRANT would only be a server warning: refused instead.
    denied = o.run("grant", "--reader", late)
    assert denied.rc == 77 and r.owner in denied.err, denied


def test_roles_on_a_sqlite_ledger_are_a_usage_error(tmp_path):
    o = Office(tmp_path)
    o.env.pop("OWATCH_LEDGER", None)
    r = o.run("init", "--org", "Acme", "--admin", "alice", "--reader", "bi")
    assert r.rc == 64 and "PostgreSQL" in r.err, r
    assert not o.ledger.exists() and not o.key.exists()
    o.ok("init", "--org", "Acme", "--admin", "alice")
    r = o.run("grant", "--reader", "bi")
    assert r.rc == 64 and "SQLite" in r.err, r
    r = o.run("config", "set", "--local", "ledger.read_url", "/srv/ledger.db")
    assert r.rc == 64 and "postgresql://" in r.err, r


PASSWORD = "s3cret:/@pw-7d1"


def test_backup_uses_pg_dump_without_the_password_on_its_command_line(tmp_path, cluster):
    o = Office(tmp_path)
    url = pg.fresh_database(cluster.url(password=PASSWORD))
    o.env["OWATCH_LEDGER"] = url
    o.ok("init", "--org", "Acme", "--admin", "alice")
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8")
    # A pg_dump on PATH that notes what it was given, then runs the real one.
    spy = tmp_path / "bin"
    spy.mkdir()
    real = subprocess.run(["sh", "-c", "command -v pg_dump"], capture_output=True, text=True).stdout.strip()
    (spy / "pg_dump").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {tmp_path}/argv\nprintf "%s" "$PGPASSWORD" > {tmp_path}/pw\n'
                                 f'exec {real} "$@"\n')
    (spy / "pg_dump").chmod(0o755)
    env = {"PATH": f"{spy}:{o.env['PATH']}"}
    b = o.run("backup", tmp_path / "office.dump", env=env)
    assert b.rc == 0, b
    assert "pg_dump" in b.err and "pg_restore" in b.err, b
    assert PASSWORD not in b.out + b.err and "s3cret" not in b.out + b.err
    argv = (tmp_path / "argv").read_text()
    assert "s3cret" not in argv and "--format=custom" in argv and "--snapshot=" in argv, argv
    assert (tmp_path / "pw").read_text() == PASSWORD   # given in libpq's environment instead
    assert oct((tmp_path / "office.dump").stat().st_mode & 0o777) == "0o600"
    again = o.run("backup", tmp_path / "office.dump", env=env)
    assert again.rc == 1 and "--force" in again.err
    event = [e for e in o.ok("audit", "log", "--json").json() if e["action"] == "ledger.backup"][-1]
    assert event["details"]["format"] == "pg_dump custom format"
    # Restored into a fresh database, the ledger verifies and holds the same licenses.
    restored = pg.fresh_database(cluster.url())
    subprocess.run(["pg_restore", "--no-owner", "--dbname", restored, tmp_path / "office.dump"], check=True, capture_output=True)
    v = one(o.ok("--ledger", restored, "audit", "verify", "--state", "--json").json())
    assert v["ok"] is True and v["state"] == "ok", v
    names = [x["name"] for x in o.ok("--ledger", restored, "license", "list", "--json").json()]
    assert names == ["Slack"]


def test_backup_without_pg_dump_names_the_debian_package(tmp_path, cluster):
    o = Office(tmp_path)
    o.env["OWATCH_LEDGER"] = pg.fresh_database(cluster.url())
    o.ok("init", "--org", "Acme", "--admin", "alice")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    r = o.run("backup", tmp_path / "office.dump", env={"PATH": str(empty)})
    assert r.rc == 69 and "pg_dump" in r.err and "postgresql-client" in r.err, r
    assert not (tmp_path / "office.dump").exists()


@pytest.fixture(scope="module")
def standby(cluster):
    s = cluster.standby()
    yield s
    s.stop()


def office_with_slack(tmp_path, cluster):
    """An Office on a fresh database of `cluster` holding one license (Slack); and its URL."""
    o = Office(tmp_path)
    url = pg.fresh_database(cluster.url())
    o.env["OWATCH_LEDGER"] = url
    o.ok("init", "--org", "Acme", "--admin", "alice")
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8")
    return o, url


def test_reports_run_on_a_hot_standby_and_writes_are_refused(tmp_path, cluster, standby):
    o, url = office_with_slack(tmp_path, cluster)
    o.ok("charge", "add", "slack", "24", "--on", "2026-11-02")
    db = url.split("?")[0].rsplit("/", 1)[1]
    standby.caught_up(cluster)
    replica = standby.url(db)
    for args in (("report", "burn", "--json"), ("license", "list", "--json"), ("audit", "verify", "--json")):
        assert o.ok("--ledger", replica, *args).json() == o.ok(*args).json(), args
    assert "hot standby" in o.ok("--ledger", replica, "doctor").out
    w = o.run("--ledger", replica, "license", "add", "Zoom", "--vendor", "zoom", "--seats", "1", "--cost", "15")
    assert w.rc == 77 and "hot standby" in w.err and "primary" in w.err, w
    assert "ERROR:" not in w.err and "read-only transaction" not in w.err, w
    # ledger.read_url: reads go to the standby by themselves, writes to the primary.
    o.ok("config", "set", "--local", "ledger.read_url", replica)
    standby.psql("SELECT pg_wal_replay_pause()")
    try:
        o.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "1", "--cost", "15")
        names = lambda r: sorted(x["name"] for x in r.json())
        assert names(o.ok("license", "list", "--json")) == ["Slack"]            # the paused standby
        assert names(o.ok("--ledger", url, "license", "list", "--json")) == ["Slack", "Zoom"]
    finally:
        standby.psql("SELECT pg_wal_replay_resume()")
    standby.caught_up(cluster)
    assert o.ok("report", "renewals", "--json").rc == 0


def test_read_url_on_a_primary_still_only_reads(tmp_path, cluster):
    """A read_url naming a server that could write (not a standby): the connection is read-only all the same."""
    o = Office(tmp_path)
    url = pg.fresh_database(cluster.url())
    o.env["OWATCH_LEDGER"] = url
    o.ok("init", "--org", "Acme", "--admin", "alice")
    o.ok("config", "set", "--local", "ledger.read_url", url)
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8")
    assert [x["name"] for x in o.ok("license", "list", "--json").json()] == ["Slack"]
    assert json.loads(o.ok("config", "get", "--local", "ledger.read_url", "--json").out)


def test_an_unreachable_read_url_falls_back_to_the_primary_with_a_warning(tmp_path, cluster, standby):
    o, url = office_with_slack(tmp_path, cluster)
    replica = standby.url(url.split("?")[0].rsplit("/", 1)[1])
    standby.caught_up(cluster)
    o.ok("config", "set", "--local", "ledger.read_url", replica)
    standby.stop()
    try:
        r = o.ok("license", "list", "--json")
        assert [x["name"] for x in r.json()] == ["Slack"], r
        assert "warning" in r.err and "ledger.read_url" in r.err and "reading from the primary" in r.err, r
        assert o.ok("report", "burn", "--json").json() == o.ok("--ledger", url, "report", "burn", "--json").json()
        # Writes never went to the replica; an explicit --ledger naming it is not second-guessed.
        o.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "1", "--cost", "15")
        assert o.run("--ledger", replica, "license", "list").rc == 69
    finally:
        standby.start()
