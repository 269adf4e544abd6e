"""Issue 29, the medium findings: sums that overflow, authorisation checked before the write
lock instead of under it, token lifetimes past `token.lifetime`, and a directory sync that
matched by name before e-mail."""
import json
import sqlite3
import subprocess
import time

import pytest

from conftest import BIN, sqlite_only

# --- Sums overflow ------------------------------------------------------------------------------

LARGEST = "9999999999999.99"          # the largest single amount owatch accepts (999,999,999,999,999 minor units)


def test_a_statement_whose_sum_would_overflow_is_bad_data_and_the_ledger_stays_readable(office):
    card = office.home / "card.csv"
    card.write_text("Date,Description,Amount,Currency\n"
                    + "".join(f"2026-03-{1 + i % 28:02d},SLACK TECHNOLOGIES REF{i},-{LARGEST},EUR\n" for i in range(9400)))
    r = office.run("scan", card, timeout=600)                # 9,400 lines: minutes on a loaded PostgreSQL runner
    assert r.rc == 65, r                                     # was 0, with spend_monthly overflowing into REAL
    assert "card.csv line" in r.err and "adds up" in r.err
    if not office.ledger_url:  # SQLite's dynamic types (PostgreSQL's bigint columns hold nothing else)
        assert office.sql("SELECT count(*) FROM spend_monthly WHERE typeof(observed_minor) != 'integer' "
                          "OR typeof(unmanaged_minor) != 'integer'").strip() == "0"
    recorded = int(office.sql("SELECT count(*) FROM charges").strip())
    assert 0 < recorded < 9400
    # Everything reads it: the reports and doctor exited 65 and 74.
    burn = office.ok("report", "burn", "--from", "2026-03", "--to", "2026-03", "--json").json()
    assert sum(int(row["observed_minor"]) for row in burn) == recorded * 999999999999999
    office.ok("report", "html", "--out", office.home / "d.html")
    office.ok("report", "summary")
    office.ok("doctor")
    office.ok("audit", "verify", "--state")
    # The refused lines are remembered: the next (cron) scan does not stop on them again.
    again = office.run("scan", card)
    assert again.rc == 0, again
    # A charge entered by hand past the bound is refused the same way, and changes nothing.
    r = office.run("charge", "add", "zoom", LARGEST, "--on", "2026-04-01")
    assert r.rc == 65 and "adds up" in r.err, r
    assert int(office.sql("SELECT count(*) FROM charges").strip()) == recorded


def test_purchase_lines_whose_sum_would_overflow_are_refused(office):
    # Growing a license line by line: each line is within the cap, their sum is not.
    office.ok("license", "add", "Big", "--vendor", "zoom", "--seats", "1", "--cost", LARGEST, "--per-seat")
    codes = [office.run("license", "grow", "Big", "--seats", "1").rc for _ in range(3)]
    assert codes == [0, 0, 0]
    r = office.run("license", "edit", "Big", "--seats", "2000")
    assert r.rc == 65 and "adds up" in r.err, r
    if not office.ledger_url:  # SQLite's dynamic types, as above
        assert office.sql("SELECT count(*) FROM purchases WHERE typeof(cost_minor) != 'integer'").strip() == "0"
    office.ok("license", "list")
    office.ok("report", "burn")
    office.ok("doctor")


# --- Check-then-act -----------------------------------------------------------------------------

SLEEPING = {"35", "230"}              # nanosleep, clock_nanosleep (x86_64): SQLite's busy handler


def wait_until_waiting_for_the_lock(proc, limit=20.0):
    """Until `proc` sleeps in SQLite's busy handler: it has verified its token and asked for the
    write lock this test holds. Deterministic: nothing else in a command sleeps."""
    deadline = time.time() + limit
    while time.time() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            with open(f"/proc/{proc.pid}/syscall") as f:
                if f.read().split(" ", 1)[0] in SLEEPING:
                    return
        except OSError:
            time.sleep(1.5)                              # no /proc: give it time instead
            return
        time.sleep(0.01)
    raise AssertionError("the command never waited for the write lock")


def revoke(office, con, token_path):
    jti = json.loads(subprocess.run([BIN, "--token", str(token_path), "whoami", "--json"], env=office.env, cwd=office.home,
                                    capture_output=True, text=True).stdout)["token_id"]
    con.execute("INSERT INTO revoked_tokens(jti, revoked_at, revoked_by) VALUES (?, '2026-01-01T00:00:00Z', 'alice')", (jti,))


def offboard(office, con, token_path):
    con.execute("UPDATE users SET status = 'offboarded', offboarded_at = '2026-01-01T00:00:00Z' WHERE name = 'bob'")


def demote(office, con, token_path):
    con.execute("UPDATE users SET role = 'scanner', tokens_after = strftime('%s', 'now') + 1 WHERE name = 'bob'")


@sqlite_only("holds SQLite's write lock with the sqlite3 module and watches for its busy handler's sleep")
@pytest.mark.parametrize("command", [["token", "renew"], ["request", "new", "software", "Figma", "--reason", "design"]])
@pytest.mark.parametrize("change", [revoke, offboard, demote])
def test_authority_is_checked_again_under_the_write_lock(office, command, change):
    """A command verifies its token, then waits for the write lock; meanwhile the token is revoked
    (the person offboarded, demoted) and that commits first. The command must not act on it."""
    office.ok("config", "set", "busy_timeout", "60s")
    bob = office.add_user("bob")
    before = bob.read_text()
    con = sqlite3.connect(str(office.ledger), isolation_level=None)
    con.execute("BEGIN IMMEDIATE")                      # a write in progress: the command must wait for it
    try:
        proc = subprocess.Popen([BIN, "--token", str(bob), *command], env=office.env, cwd=office.home,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_until_waiting_for_the_lock(proc)
        change(office, con, bob)
    finally:
        con.execute("COMMIT")                            # the revocation commits first
        con.close()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 77, (out, err)             # was 0: a renewed token for a revoked one, a request by an offboarded person
    assert "token rejected" in err
    assert bob.read_text() == before                     # no new token written
    assert office.sql("SELECT count(*) FROM requests").strip() == "0"
    assert office.run("whoami", token=bob).rc == 77


# --- Token lifetime -----------------------------------------------------------------------------

def test_only_an_admin_renews_past_the_token_lifetime_and_that_is_audited(office):
    bob = office.add_user("bob")
    cron = office.add_user("cron", role="scanner")
    for who in (bob, cron):
        r = office.run("token", "renew", "--expires", "100y", token=who)
        assert r.rc == 77 and "token.lifetime" in r.err, r  # was 0: a token valid until 2126
        office.ok("whoami", token=who)                      # the token in use is untouched
    r = office.ok("token", "renew", "--expires", "30d", token=bob)   # shorter than the lifetime: anyone
    expires = office.ok("whoami", "--json", token=bob).json()["expires_at"]
    assert time.strptime(expires, "%Y-%m-%dT%H:%M:%SZ") <= time.gmtime(time.time() + 31 * 86400)
    office.ok("config", "set", "token.lifetime", "180d")
    office.ok("token", "renew", "--expires", "170d", token=bob)     # within the configured lifetime
    assert office.run("token", "renew", "--expires", "181d", token=bob).rc == 77
    # An admin may, for themselves or anyone, and the event says it went past the lifetime.
    office.ok("token", "renew", "--expires", "2y")
    office.ok("user", "token", "bob", "--expires", "5y", "--out", office.home / "bob5y.token")
    events = [e for e in office.ok("audit", "log", "--json").json() if e["action"] in ("token.renew", "token.issue")]
    overrides = [e for e in events if e["details"].get("beyond_lifetime")]
    assert [(e["action"], e["details"]["lifetime"], e["details"]["beyond_lifetime"]) for e in overrides] == [
        ("token.renew", "2y", "180d"), ("token.issue", "5y", "180d")]


# --- Directory sync: e-mail before name ---------------------------------------------------------

def sync(o, text, *args, rc=0):
    path = o.home / "users.csv"
    path.write_text(text)
    r = o.run("user", "sync", path, "--json", *args)
    assert r.rc == rc, r
    return r.json()


HEADER = "name,email,department,status\n"


def test_a_suspended_namesake_never_takes_the_person_whose_address_is_in_the_export(office):
    office.ok("user", "add", "john", "--role", "employee", "--email", "john.smith@acme.example", "--full-name", "John Smith")
    office.ok("user", "token", "john", "--out", office.home / "john.token")
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "5", "--cost", "8.75", "--per-seat", "--assign", "john")
    export = HEADER + ("John Smith,js.old@acme.example,,suspended\n"          # a namesake who left, listed first
                       "John Smith,john.smith@acme.example,,active\n"
                       "Alice Admin,alice@acme.example,,active\n")
    changes = sync(office, export)
    assert [c for c in changes if c["change"] in ("offboard", "add") or c["user"] == "john"] == []   # was: john offboarded, a new account
    users = {u["name"]: u for u in office.ok("user", "list", "--json").json()}
    assert users["john"]["status"] == "active" and users["john"]["email"] == "john.smith@acme.example"
    assert len(users) == 2
    office.ok("whoami", token=office.home / "john.token")
    assert office.ok("license", "show", "Slack", "--json").json()["assigned_to"] == ["john"]
    assert sync(office, export) == []                     # and a re-sync has nothing to change


def test_an_ambiguous_name_is_reported_not_guessed(office):
    for name in ("jsmith", "john.s"):
        office.ok("user", "add", name, "--role", "employee", "--email", f"{name}@old.example", "--full-name", "John Smith")
    export = HEADER + "John Smith,john.smith@acme.example,,suspended\nAlice Admin,alice@acme.example,,active\n"
    changes = [c for c in sync(office, export, "--offboard-missing") if c["user"] != "alice"]
    assert [c["change"] for c in changes] == ["ambiguous"], changes
    assert "line 2" in changes[0]["what"] and "jsmith" in changes[0]["user"] and "john.s" in changes[0]["user"]
    users = {u["name"]: u for u in office.ok("user", "list", "--json").json()}
    assert len(users) == 3 and all(u["status"] == "active" for u in users.values())
    assert users["jsmith"]["email"] == "jsmith@old.example" and users["john.s"]["email"] == "john.s@old.example"
    # Where the name is unique on both sides it still finds the person (a new address).
    office.ok("user", "edit", "john.s", "--full-name", "John Q. Smith")
    changes = sync(office, HEADER + "John Smith,john.smith@acme.example,,active\nJohn Q. Smith,jqs@acme.example,,active\n"
                   "Alice Admin,alice@acme.example,,active\n")
    assert sorted((c["change"], c["user"]) for c in changes if c["user"] != "alice") == [("email", "john.s"), ("email", "jsmith")]
