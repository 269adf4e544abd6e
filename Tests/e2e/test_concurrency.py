"""Many processes at once: no lost writes, no "database is locked", chain intact; busy → 75."""
import subprocess
import threading
import time

from conftest import BIN, sqlite_only
import json
import pytest
import sqlite3


def test_eight_processes_adding_25_users_each(office):
    script = "set -e; for i in $(seq 1 25); do '{bin}' user add w{w}u$i --role employee -q >/dev/null; done"
    procs = [subprocess.Popen(["bash", "-c", script.format(bin=BIN, w=w)], env=office.env, cwd=office.home,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(8)]
    results = [p.communicate(timeout=600) + (p.returncode,) for p in procs]
    for out, err, rc in results:
        assert rc == 0, err
        assert "locked" not in err and "busy" not in err
    names = office.ok("user", "list", "--json").json()
    assert len(names) == 201
    assert office.ok("audit", "verify", "--json").json()["ok"]


def test_busy_ledger_exits_75_after_timeout(office):
    office.ok("config", "set", "busy_timeout", "1s")
    held = threading.Event()
    release = threading.Event()

    def hold_lock():
        with office.holding_write_lock():
            held.set()
            release.wait(30)

    t = threading.Thread(target=hold_lock)
    t.start()
    try:
        held.wait(10)
        start = time.time()
        r = office.run("user", "add", "bob", "--role", "employee")
        assert r.rc == 75, r
        assert "busy" in r.err and "retry" in r.err
        assert time.time() - start < 20
    finally:
        release.set()
        t.join()
    assert "bob" not in office.ok("user", "list").out
    office.ok("user", "add", "bob", "--role", "employee")


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
