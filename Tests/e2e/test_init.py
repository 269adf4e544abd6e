"""`owatch init` and the ledger it makes: private files, a verifiable key, refusing an existing or newer
ledger, a missing one (66), and `owatch doctor`."""
import os
import stat
import subprocess

import pytest


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
