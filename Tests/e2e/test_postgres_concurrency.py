"""Many writers on one PostgreSQL ledger (issue 35): 16 processes at once, each making requests,
approving them, entering charges and editing a license through the CLI: nothing lost, no error
past the retries, the audit chain and the state digest verify. Then the same with writers killed
(SIGKILL) mid-transaction: what they were writing is all there or not there at all.

Scale: OWATCH_PG_WRITERS (default 16) processes × OWATCH_PG_WRITES (default 8) writes each;
the issue's figure is OWATCH_PG_WRITES=250: `make bench-writers` runs it (tens of minutes on 2
cores, each write a process of its own; its figure is in CHANGELOG).

Exit codes: every write exits 0, except 75 ("busy, retry", SPEC §3) when a writer waited for the
ledger's write lock past the busy timeout; the writer then runs the same command again, as the
message says, and the counts below prove the refused attempt wrote nothing."""
import json
import os
import random
import signal
import subprocess
import threading
import time

import pytest

import pg
from conftest import BIN, Office

SKIP = pg.missing()
# Starts its own cluster, so `make test` runs it once (not again in the PostgreSQL pass).
pytestmark = [pytest.mark.skipif(SKIP is not None, reason=SKIP or ""), pytest.mark.backend_independent]

WRITERS = int(os.environ.get("OWATCH_PG_WRITERS", "16"))
WRITES = int(os.environ.get("OWATCH_PG_WRITES", "8"))

cluster = pytest.fixture(scope="module", name="cluster")(pg.throwaway_cluster)


@pytest.fixture
def ledger(tmp_path, cluster):
    o = Office(tmp_path)
    o.ledger_url = pg.fresh_database(cluster.url())
    o.env["OWATCH_LEDGER"] = o.ledger_url
    o.ok("init", "--org", "Acme GmbH", "--admin", "alice", "--currency", "EUR", "-q")
    o.emp = o.add_user("emp")
    csv = tmp_path / "licenses.csv"
    csv.write_text("name,vendor,seats,cost,period\n" + "".join(f"L{w},acme,5,10.00,monthly\n" for w in range(WRITERS)))
    o.ok("license", "import", csv, "-q")
    return o


def names(o, column="name"):
    """(name, column) of every license (filtered by the caller)."""
    return [tuple(line.split("|")) for line in o.sql(f"SELECT name, {column} FROM licenses").splitlines()]


class Writer:
    """One writer process's commands in order, each run until it exits 0 (75: busy, retried)."""

    def __init__(self, o, w, procs=None):
        self.o, self.w, self.procs = o, w, procs
        self.busy = 0
        self.failures = []
        self.killed = 0

    def run(self, args, token=None):
        cmd = [BIN] + (["--token", str(token)] if token else []) + [str(a) for a in args]
        while True:
            p = subprocess.Popen(cmd, cwd=self.o.home, env=self.o.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if self.procs is not None:
                self.procs.add(p)
            out, err = p.communicate(timeout=300)
            if self.procs is not None:
                self.procs.discard(p)
            if p.returncode == 75:
                assert "retry" in err, err
                self.busy += 1
                continue
            if p.returncode == -signal.SIGKILL:
                self.killed += 1
                return None
            if p.returncode != 0:
                self.failures.append((args, p.returncode, err))
            return out

    def writes(self, count):
        """request new (employee), approve it (admin), charge add, license edit; again."""
        pending = None
        for j in range(count):
            step = j % 4
            if step == 0:
                out = self.run(["request", "new", "purchase", f"w{self.w}-{j}", "--cost", "1.00", "--reason", "load", "--json"],
                               token=self.o.emp)
                pending = None if out is None else json.loads(out)["id"]
            elif step == 1 and pending is not None:
                self.run(["approve", pending, "-q"])
            elif step == 2:
                self.run(["charge", "add", "acme", "1.00", "--on", "2026-11-02", "--note", f"w{self.w}-{j}", "-q"])
            elif step == 3:
                self.run(["license", "edit", f"L{self.w}", "--notes", f"w{self.w}-{j}", "-q"])


def expected(count):
    steps = [j % 4 for j in range(count)]
    return {k: steps.count(k) for k in range(4)}


def run_all(writers, body):
    threads = [threading.Thread(target=body, args=(w,)) for w in writers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def verified(o):
    o.ok("audit", "verify")
    r = o.run("audit", "verify", "--state")
    assert r.rc == 0, r


def test_sixteen_writers_lose_nothing(ledger):
    o = ledger
    writers = [Writer(o, w) for w in range(WRITERS)]
    started = time.monotonic()
    run_all(writers, lambda w: w.writes(WRITES))
    elapsed = time.monotonic() - started
    assert [f for w in writers for f in w.failures] == []
    n = expected(WRITES)
    count = lambda sql: int(o.sql(sql).strip())  # noqa: E731
    assert count("SELECT count(*) FROM requests WHERE reason = 'load'") == WRITERS * n[0]
    assert count("SELECT count(*) FROM requests WHERE reason = 'load' AND status = 'approved'") == WRITERS * n[1]
    assert count("SELECT count(*) FROM charges WHERE origin = 'manual'") == WRITERS * n[2]
    assert count("SELECT count(*) FROM events WHERE action = 'license.edit'") == WRITERS * n[3]
    # Each writer's last edit is its license's notes: no write overtook another's.
    if n[3]:
        last = max(j for j in range(WRITES) if j % 4 == 3)
        notes = dict(names(o, "notes"))
        assert all(notes[f"L{w}"] == f"w{w}-{last}" for w in range(WRITERS)), notes
    # The chain has one event per write and no gaps in its sequence.
    assert count("SELECT max(seq) - count(*) FROM events") == 0
    verified(o)
    print(f"\n{WRITERS} writers x {WRITES} writes: {elapsed:.1f} s, {sum(w.busy for w in writers)} busy (75) retried")


def import_batch(tmp, w, j, rows=40):
    path = tmp / f"batch-{w}-{j}.csv"
    path.write_text("name,vendor,seats,cost,period\n" + "".join(f"K{w}-{j}-{i},acme,1,1.00,monthly\n" for i in range(rows)))
    return path


def test_writers_killed_mid_transaction_leave_no_half_write(ledger, tmp_path):
    o = ledger
    procs = set()
    writers = [Writer(o, w, procs) for w in range(WRITERS)]
    done = threading.Event()

    def body(writer):
        for j in range(max(2, WRITES // 2)):
            # A 40-row import is one transaction long enough to be killed inside.
            writer.run(["license", "import", import_batch(tmp_path, writer.w, j), "-q"])
            writer.run(["charge", "add", "acme", "1.00", "--on", "2026-11-03", "--note", f"k{writer.w}-{j}", "-q"])

    def killer():
        rng = random.Random(35)
        while not done.is_set():
            time.sleep(rng.uniform(0.1, 0.6))
            running = [p for p in list(procs) if p.poll() is None]
            if running:
                rng.choice(running).send_signal(signal.SIGKILL)

    k = threading.Thread(target=killer)
    k.start()
    try:
        run_all(writers, body)
    finally:
        done.set()
        k.join()
    assert [f for w in writers for f in w.failures] == []
    killed = sum(w.killed for w in writers)
    assert killed > 0
    # Every import is all or nothing.
    batches = {}
    for name, _ in names(o):
        if name.startswith("K"):
            batch = name.rsplit("-", 1)[0]
            batches[batch] = batches.get(batch, 0) + 1
    assert batches and set(batches.values()) == {40}, batches
    # No lock left behind by a killed writer: the next write goes through at once.
    o.ok("charge", "add", "acme", "2.00", "--on", "2026-11-04", "-q", timeout=20)
    assert int(o.sql("SELECT max(seq) - count(*) FROM events").strip()) == 0
    verified(o)
    print(f"\nkilled {killed} writers mid-run; {len(batches)} imports landed whole")
