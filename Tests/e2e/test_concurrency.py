"""Many processes at once: no lost writes, no "database is locked", chain intact; busy → 75."""
import subprocess
import threading
import time

from conftest import BIN


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
