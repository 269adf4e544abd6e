"""init, users, login/logout/whoami, config, backup, doctor, output formats."""
import csv
import io
import json
import os
import stat
import subprocess
import pytest

from conftest import BIN


def mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


def test_init_creates_private_files_and_verifiable_key(office):
    assert mode(office.key) == 0o600 and mode(office.token) == 0o600
    assert mode(office.key.parent) == 0o700
    pem = office.key.read_text()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    out = subprocess.run(["openssl", "pkey", "-in", str(office.key), "-noout", "-text"], capture_output=True, text=True)
    assert out.returncode == 0 and "ED25519" in out.stdout
    if not office.ledger_url:  # a SQLite file's journal (a PostgreSQL server keeps its own WAL)
        assert office.sql("PRAGMA journal_mode").strip() == "wal"
    who = office.ok("whoami", "--json").json()
    assert who["user"] == "alice" and who["role"] == "admin" and who["org"] == "Acme GmbH"


def test_init_refuses_existing_ledger_and_leaves_it_alone(office):
    def contents():
        return office.sql("SELECT seq, hash FROM events ORDER BY seq") if office.ledger_url else office.ledger.read_bytes()
    before = contents()
    r = office.run("init", "--org", "Other", "--admin", "mallory", "--token", office.home / "t2", "--key", office.home / "k2")
    assert r.rc == 1 and ("is not empty" if office.ledger_url else "already exists") in r.err
    assert contents() == before
    assert not (office.home / "k2").exists()


# Run once, on SQLite (make test): init's argument checks; no ledger.
@pytest.mark.backend_independent
def test_init_bad_input(bare):
    assert bare.run("init", "--admin", "alice").rc == 64
    assert bare.run("init", "--org", "A").rc == 64
    r = bare.run("init", "--org", "A", "--admin", "bad name!")
    assert r.rc == 64 and "invalid user name" in r.err
    r = bare.run("init", "--org", "A", "--admin", "alice", "--currency", "XYZ")
    assert r.rc == 64 and "unknown currency" in r.err
    assert not bare.ledger.exists() and not bare.key.exists()


def test_missing_ledger_exits_66(bare):
    r = bare.run("whoami")
    assert r.rc == 66 and "no ledger" in r.err and "hint:" in r.err
    assert bare.run("user", "list").rc == 66


def test_user_lifecycle_in_every_format(office):
    office.add_user("bob", dept="sales")
    office.ok("user", "add", "carol", "--role", "scanner", "--email", "carol@example.com")
    rows = office.ok("user", "list", "--json").json()
    assert [u["name"] for u in rows] == ["alice", "bob", "carol"]
    assert rows[1] == {**rows[1], "role": "employee", "dept": "sales", "status": "active"}
    lines = office.ok("user", "list", "--format", "jsonl").out.splitlines()
    assert [json.loads(l)["name"] for l in lines] == ["alice", "bob", "carol"]
    table = list(csv.DictReader(io.StringIO(office.ok("user", "list", "--format", "csv").out)))
    assert [r["name"] for r in table] == ["alice", "bob", "carol"] and table[2]["email"] == "carol@example.com"
    assert set(table[0].keys()) == set(rows[0].keys())
    text = office.ok("user", "list").out
    assert text.splitlines()[0].split()[:3] == ["NAME", "ROLE", "DEPT"]
    shown = office.ok("user", "show", "bob", "--json").json()
    assert shown["name"] == "bob" and shown["active_tokens"] == 1
    assert office.run("user", "show", "nobody").rc == 1
    assert office.run("user", "add", "bob", "--role", "employee").rc == 1
    r = office.run("user", "add", "dave", "--role", "boss")
    assert r.rc == 64 and "admin, employee, scanner" in r.err


# Run once, on SQLite (make test): an output format.
@pytest.mark.backend_independent
def test_jq_pipeline(office):
    office.add_user("bob")
    out = subprocess.run(f"'{BIN}' user list --json | jq -r '.[] | select(.role==\"employee\") | .name'",
                         shell=True, capture_output=True, text=True, env=office.env, cwd=office.home)
    assert out.stdout == "bob\n"


def test_role_change_and_offboard_stop_old_tokens(office):
    bob = office.add_user("bob")
    office.ok("whoami", token=bob)
    office.ok("user", "role", "bob", "admin")
    r = office.run("whoami", token=bob)
    assert r.rc == 77 and "role" in r.err
    fresh = office.home / "bob2.token"
    office.ok("user", "token", "bob", "--out", fresh)
    assert office.ok("whoami", "--json", token=fresh).json()["role"] == "admin"
    res = office.ok("user", "offboard", "bob", "--json").json()
    # The role change already revoked the first token (issue 11), so offboarding revokes the fresh one.
    assert res["status"] == "offboarded" and res["revoked_tokens"] == 1
    r = office.run("whoami", token=fresh)
    assert r.rc == 77 and ("offboarded" in r.err or "revoked" in r.err)
    assert office.run("user", "offboard", "bob").rc == 1


def test_last_admin_is_protected(office):
    r = office.run("user", "role", "alice", "employee")
    assert r.rc == 1 and "last active admin" in r.err
    assert office.run("user", "offboard", "alice").rc == 1


def test_login_logout_whoami(office):
    bob = office.add_user("bob")
    office.ok("logout")
    assert not office.token.exists()
    assert office.run("whoami").rc == 77
    r = office.ok("login", bob)
    assert "bob" in r.err
    assert mode(office.token) == 0o600
    assert office.ok("whoami", "--json").json()["user"] == "bob"
    garbage = office.home / "garbage.token"
    garbage.write_text("not.a.token\n")
    garbage.chmod(0o600)
    assert office.run("login", garbage).rc == 77
    assert office.ok("whoami", "--json").json()["user"] == "bob"   # unchanged


# Run once, on SQLite (make test): file modes of the token and key.
@pytest.mark.backend_independent
def test_world_readable_token_and_key_refused(office):
    office.token.chmod(0o644)
    r = office.run("whoami")
    assert r.rc == 77 and f"chmod 600 {office.token}" in r.err
    office.token.chmod(0o600)
    office.key.chmod(0o644)
    r = office.run("user", "add", "bob", "--role", "employee")
    assert r.rc == 77 and f"chmod 600 {office.key}" in r.err
    assert "bob" not in office.ok("user", "list").out
    bob = office.home / "bob.token"
    office.key.chmod(0o600)
    office.ok("user", "add", "bob", "--role", "employee", "--token-out", bob)
    bob.chmod(0o640)
    r = office.run("login", bob)
    assert r.rc == 77 and "chmod 600" in r.err


def test_token_list_and_revoke(office):
    bob = office.add_user("bob")
    toks = office.ok("token", "list", "--user", "bob", "--json").json()
    assert len(toks) == 1 and toks[0]["revoked_at"] is None
    office.ok("token", "revoke", toks[0]["jti"])
    r = office.run("whoami", token=bob)
    assert r.rc == 77 and "revoked" in r.err
    assert office.run("token", "revoke", toks[0]["jti"]).rc == 1
    listed = office.ok("token", "list", "--json").json()
    assert [t["user"] for t in listed] == ["alice", "bob"]   # in issue order
    assert listed[1]["revoked_at"] and listed[0]["revoked_at"] is None


def test_user_token_printed_bare_for_redirection(office):
    office.add_user("bob")
    tok = office.ok("user", "token", "bob", "--expires", "1d").out.strip()
    assert tok.count(".") == 2
    path = office.home / "t"
    path.write_text(tok + "\n")
    path.chmod(0o600)
    assert office.ok("whoami", "--json", token=path).json()["user"] == "bob"
    assert office.run("user", "token", "bob", "--expires", "soon").rc == 64


def test_config(office):
    assert office.ok("config", "get", "token.ttl").out == "90d\n"
    office.ok("config", "set", "token.ttl", "30d")
    assert office.ok("config", "get", "token.ttl", "--json").json() == {"key": "token.ttl", "value": "30d"}
    listed = {r["key"]: r for r in office.ok("config", "list", "--json").json()}
    assert listed["token.ttl"]["set"] is True and listed["busy_timeout"]["value"] == "5s"
    r = office.run("config", "set", "token.tll", "3d")
    assert r.rc == 64 and "did you mean 'token.ttl'" in r.err
    assert office.run("config", "set", "token.ttl", "forever").rc == 64
    office.ok("config", "unset", "token.ttl")
    assert office.ok("config", "get", "token.ttl").out == "90d\n"
    assert office.run("config", "set", "renewals.notify", "30d,7d,1d").rc == 0
    assert office.ok("config", "get", "renewals.notify").out == "30d,7d,1d\n"


def test_backup_is_consistent_private_and_never_clobbers(office):
    office.add_user("bob")
    dest = office.home / "copy.db"
    office.ok("backup", dest)
    assert mode(dest) == 0o600
    if office.ledger_url:  # a pg_dump archive (custom format); restoring it is test_postgres_ops's
        assert dest.read_bytes()[:5] == b"PGDMP"
    else:
        names = subprocess.run(["sqlite3", str(dest), "SELECT name FROM users ORDER BY name"], capture_output=True, text=True).stdout.split()
        assert names == ["alice", "bob"]
    r = office.run("backup", dest)
    assert r.rc == 1 and "--force" in r.err
    office.ok("backup", dest, "--force")
    if not office.ledger_url:
        # The copy is a working ledger.
        assert office.ok("--ledger", dest, "user", "list", "--json").json()[1]["name"] == "bob"
        assert office.ok("--ledger", dest, "audit", "verify").rc == 0


def test_case_blind_names_compare_sort_and_match_alike_on_both_backends(office):
    """SQLite's NOCASE folds ASCII letters only and then compares bytes; on PostgreSQL the
    case-blind columns (citext) and the queries' COLLATE NOCASE (lower under "C") agree, and a
    reader's psql can LIKE a license name (a nondeterministic collation refused it)."""
    for name in ("figma", "Zoom", "_under", "a-b", "Éclair", "zeta", "~tilde"):
        office.ok("license", "add", name, "--vendor", "v", "--seats", "1", "--cost", "1")
    r = office.run("license", "add", "FIGMA", "--vendor", "v", "--seats", "1", "--cost", "1")
    assert r.rc == 1 and "already exists" in r.err, r
    names = [x["name"] for x in office.ok("license", "list", "--json").json()]
    assert names == sorted(names, key=lambda n: n.encode().lower()), names  # bytes.lower(): ASCII only
    assert office.sql("SELECT name FROM licenses WHERE name LIKE 'FIG%'").split() == ["figma"]
    assert office.ok("license", "show", "ZOOM", "--json").json()["name"] == "Zoom"
    office.add_user("bob", dept="Sales")
    assert [u["name"] for u in office.ok("user", "list", "--dept", "SALES", "--json").json()] == ["bob"]


def test_doctor(office):
    checks = {c["check"]: c["status"] for c in office.ok("doctor", "--json").json()}
    # PostgreSQL only: a superuser connection (the test cluster's) is a warning by design (test_postgres_ops).
    checks.pop("database role", None)
    assert set(checks.values()) == {"ok"}
    office.sql(office.drop_triggers("events.events_append_only_u") + "UPDATE events SET actor='mallory' WHERE seq=1;")
    r = office.run("doctor", "--json")
    assert r.rc == 1 and {c["check"]: c["status"] for c in r.json()}["audit chain"] == "fail"


def test_newer_ledger_refused(office):
    office.sql("UPDATE owatch_schema SET version = 99" if office.ledger_url else "PRAGMA user_version = 99")
    r = office.run("whoami")
    assert r.rc == 1 and "newer owatch" in r.err


# Run once, on SQLite (make test): an output format.
@pytest.mark.backend_independent
def test_csv_quoting_and_formula_guard(office):
    office.ok("user", "add", "eve", "--role", "employee", "--dept", '=HYPERLINK("x"),"q"')
    rows = list(csv.reader(io.StringIO(office.ok("user", "list", "--format", "csv").out)))
    eve = [r for r in rows if r[0] == "eve"][0]
    assert eve[2] == "'" + '=HYPERLINK("x"),"q"'


# Run once, on SQLite (make test): output format selection.
@pytest.mark.backend_independent
def test_output_format_from_environment(office):
    r = office.ok("whoami", env={"OWATCH_FORMAT": "json"})
    assert r.json()["user"] == "alice"
    assert office.run("whoami", env={"OWATCH_FORMAT": "yaml"}).rc == 64
    assert office.ok("whoami", "--format=csv").out.startswith("user,role,")


# Run once, on SQLite (make test): stdout and stderr separation.
@pytest.mark.backend_independent
def test_stdout_is_data_only(office):
    r = office.ok("user", "add", "bob", "--role", "employee", "--token-out", office.home / "b.t", "--json")
    json.loads(r.out)
    assert "Added bob" in r.err
    q = office.ok("user", "add", "carl", "--role", "employee", "--token-out", office.home / "c.t", "--json", "-q")
    assert q.err == ""
