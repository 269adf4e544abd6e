"""The audit chain detects edits, deletions, reordering and truncation past a seal, on either
backend: the tampering is done with the backend's own client (sqlite3 or psql)."""
import pytest

from conftest import sqlite_only


@pytest.fixture
def busy_office(office):
    for name in ["bob", "carol", "dave"]:
        office.add_user(name)
    office.ok("config", "set", "token.ttl", "30d")
    return office


def tamper(office, sql):
    # An attacker with file access drops the append-only triggers first.
    office.sql(office.drop_triggers("events.events_append_only_u", "events.events_append_only_d",
                                    "seals.seals_append_only_u", "seals.seals_append_only_d") + sql)


def verify_fails_at(office, seq):
    r = office.run("audit", "verify", "--json")
    assert r.rc == 65, r
    assert r.json()["first_bad_seq"] == seq and r.json()["ok"] is False
    assert "audit chain broken" in r.err


def test_clean_chain_verifies(busy_office):
    v = busy_office.ok("audit", "verify", "--json").json()
    assert v["ok"] and v["events"] == 9 and v["first_bad_seq"] is None
    log = busy_office.ok("audit", "log", "--json").json()
    assert [e["seq"] for e in log] == list(range(1, 10))
    assert log[2]["action"] == "user.add" and log[2]["details"]["role"] == "employee"
    assert [e["seq"] for e in busy_office.ok("audit", "log", "-n", "2", "--json").json()] == [8, 9]
    assert {e["action"] for e in busy_office.ok("audit", "log", "--action", "user", "--json").json()} == {"user.add"}


def test_triggers_block_casual_edits(busy_office):
    r = busy_office.sql_run("UPDATE events SET actor='x' WHERE seq=2")
    assert r.returncode != 0 and "append-only" in r.stderr


def test_edit_detected(busy_office):
    tamper(busy_office, "UPDATE events SET details='{\"role\":\"admin\"}' WHERE seq=5;")
    verify_fails_at(busy_office, 5)


def test_edit_with_recomputed_hash_detected_by_next_link(busy_office):
    tamper(busy_office, "UPDATE events SET actor='mallory', hash='" + "ab" * 32 + "' WHERE seq=4;")
    verify_fails_at(busy_office, 4)


def test_delete_detected(busy_office):
    tamper(busy_office, "DELETE FROM events WHERE seq=3;")
    verify_fails_at(busy_office, 3)


def test_reorder_detected(busy_office):
    tamper(busy_office, "UPDATE events SET seq=100 WHERE seq=3; UPDATE events SET seq=3 WHERE seq=4; UPDATE events SET seq=4 WHERE seq=100;")
    verify_fails_at(busy_office, 3)


def test_truncation_past_seal_detected(busy_office):
    busy_office.ok("audit", "seal")
    busy_office.add_user("erin")
    tamper(busy_office, "DELETE FROM events WHERE seq >= 8;")
    verify_fails_at(busy_office, 9)


def test_forged_seal_detected(busy_office):
    busy_office.ok("audit", "seal")
    zeros = "decode(repeat('00', 64), 'hex')" if busy_office.ledger_url else "zeroblob(64)"
    tamper(busy_office, f"UPDATE seals SET signature={zeros};")
    r = busy_office.run("audit", "verify")
    assert r.rc == 65 and "bad signature" in r.err


def test_every_change_is_audited(busy_office):
    before = int(busy_office.sql("SELECT count(*) FROM events"))
    busy_office.ok("user", "role", "bob", "admin")
    busy_office.ok("user", "offboard", "carol")
    busy_office.ok("config", "unset", "token.ttl")
    actions = [e["action"] for e in busy_office.ok("audit", "log", "-n", "3", "--json").json()]
    assert actions == ["user.role", "user.offboard", "config.unset"]
    assert int(busy_office.sql("SELECT count(*) FROM events")) == before + 3


@sqlite_only("rolls the file back to schema 7 (a PostgreSQL ledger is created at the current schema)")
def test_an_upgraded_ledger_verifies_and_says_whether_it_held_before(office):
    """A migration that adds columns to audited tables changes every row's digest: the upgrade
    records a ledger.migrate event with the new state, so `audit verify --state` holds after it,
    and the event says whether the tables matched the chain just before. Simulated here by taking
    this ledger back to schema 7 with sqlite3 — itself an edit outside owatch, which it reports."""
    office.ok("user", "add", "bob", "--role", "employee")
    office.undo_schema_10()
    office.sql("DROP TABLE rates; DROP TABLE usage; ALTER TABLE users DROP COLUMN directory_status; "
               "ALTER TABLE users DROP COLUMN last_sign_in; ALTER TABLE charges DROP COLUMN currency_assumed; "
               "ALTER TABLE findings DROP COLUMN currency_assumed; DROP TRIGGER renewals_after_license_insert; DROP TRIGGER renewals_after_license_update; DROP TRIGGER renewals_after_config_insert; "
               "DROP TRIGGER renewals_after_config_update; DROP TRIGGER renewals_after_config_delete; PRAGMA user_version = 7;")
    r = office.ok("audit", "verify", "--state")                   # opening migrates to the current schema
    assert "ok" in r.out
    migrate = [e for e in office.ok("audit", "log", "--json").json() if e["action"] == "ledger.migrate"]
    assert len(migrate) == 1 and migrate[0]["details"]["from"] == 7 and migrate[0]["details"]["state_before"] == "differed from the audit chain"
    office.ok("user", "add", "carol", "--role", "employee")
    office.ok("audit", "verify", "--state")
    office.ok("doctor")


def test_an_outside_edit_is_still_found_after_owatch_writes(busy_office):
    """owatch keeps the state digest from the rows its own writes change (SQLite: TEMP triggers on its
    connection; PostgreSQL: triggers that copy rows only for owatch's session): an edit made with the
    backend's own client before the next owatch write is not folded into what that write records."""
    busy_office.sql("UPDATE users SET dept = 'edited' WHERE name = 'bob'")
    busy_office.add_user("erin")
    r = busy_office.run("audit", "verify", "--state")
    assert r.rc == 65 and "edited without owatch" in r.err, r
    assert busy_office.run("audit", "verify").rc == 0
