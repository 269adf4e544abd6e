"""End-to-end harness: runs the built owatch binary exactly as a user types it,
each test in its own temporary HOME with its own ledger, key and token."""
import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

# A Swift runtime trap as the runtime prints it ("Swift/Array.swift:692: Fatal error: …", or the
# backtracer's banner); not data that merely says "Fatal error", which owatch may quote in a message.
TRAP = re.compile(r"^(?:\S+\.swift:\d+: )?Fatal error: |\*\*\* Program crashed", re.M)


def trapped(stderr):
    return TRAP.search(stderr or "") is not None

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("OWATCH_BIN", str(ROOT / ".build" / "debug" / "owatch"))

# OWATCH_TEST_LEDGER=postgresql://… runs every Office on a fresh PostgreSQL database (issue 35).
ON_POSTGRES = bool(os.environ.get("OWATCH_TEST_LEDGER"))
# Where the caller's own owatch lives is not the tests': an office builds its environment from nothing, and tests that
# run owatch as another account (runuser) inherit this process's, where an XDG_CONFIG_HOME of the caller's pointed
# that account at a folder it may not write.
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "OWATCH_LEDGER", "OWATCH_TOKEN", "OWATCH_FORMAT", "OWATCH_REMOTE"):
    os.environ.pop(_name, None)
# The advisory lock owatch's writers take on PostgreSQL (PostgresStorage.writeLock: "owatch" in ASCII).
PG_WRITE_LOCK = 0x6F7761746368


def sqlite_only(reason):
    """Marks a test (or, as `pytestmark`, a file) that is about SQLite by nature (the file's
    mode, its WAL, rolling the file back to an old schema): skipped on PostgreSQL, with why."""
    return pytest.mark.skipif(ON_POSTGRES, reason="SQLite by nature: " + reason)


# Why a test that takes a ledger back to an older schema runs on SQLite only.
OLDER_SCHEMA = "takes the ledger file back to an older schema; a PostgreSQL ledger is created at the current one (not migrated yet)"


def not_on_postgres_yet(reason):
    """Marks what owatch does not do on PostgreSQL yet (issue 35 tracks it): skipped there."""
    return pytest.mark.skipif(ON_POSTGRES, reason="not on PostgreSQL yet (issue 35): " + reason)


def clear_dead_faketime_files(shm="/dev/shm"):
    """faketime (the wrapper) names its shared memory and semaphore after its process id and refuses to start
    ('sem_open: File exists') when a killed one left them behind and the id comes round again. Those of processes
    that are gone are removed before the tests start (xdist's workers each try; a file already gone is fine)."""
    try:
        names = os.listdir(shm)
    except OSError:
        return
    for name in names:
        found = re.fullmatch(r"(?:faketime_shm_|sem\.faketime_sem_)(\d+)", name)
        if not found:
            continue
        try:
            os.kill(int(found.group(1)), 0)
            continue  # alive: in use
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # alive, another user's
        try:
            os.unlink(os.path.join(shm, name))
        except OSError:
            pass


def pytest_configure(config):
    clear_dead_faketime_files()
    # The rule (issue 35): a test goes through the ledger's SQL (writes, queries, triggers, locks, migrations, audit,
    # digest, the remote server) and runs on both backends, unless what it checks is a reader (a PDF, a charset, MIME,
    # a statement or import format, e-invoices, look-alikes, free text), the front end (parser, help, completion, man
    # pages, messages), an output format, hooks' processes or token signatures, and another test still writes the same
    # kind of row on PostgreSQL (one per scan source kind and per command noun). Each mark says why in one line.
    config.addinivalue_line(
        "markers", "backend_independent: checks a reader, the front end, an output format, hooks' processes, built-in data or "
        "the terminal, not ledger SQL; `make test` runs it once, on SQLite")


# The tests that take longest (pytest --durations, December 2026; on SQLite, PostgreSQL or both), started first:
# with --maxschedchunk 1 (make test) xdist hands out one test at a time in this order, so no worker is left
# with a half-minute test when the others have finished. A name that drifts only loses its place.
SLOW_FIRST = (
    "test_report_views_agree.py::test_every_pair_of_views_agrees_to_the_minor_unit",
    "test_pdf_differential.py::test_pdf_text_agrees_with_pdftotext",
    "test_report.py::test_aggregate_always_equals_recomputation",
    "test_hardening.py::test_a_killed_scan_keeps_what_it_wrote",
    "test_hardening.py::test_a_scan_never_blocks_other_writers",
    "test_scan_statements.py::test_recurring_charge_detector_precision_and_recall",
    "test_fuzz.py::test_fuzzed_mailboxes",
    "test_scan_reconcile.py::test_random_interleavings_keep_burn_and_findings_true",
    "test_remote.py::test_every_format_is_byte_identical",
    "test_migrate.py::test_round_trip_of_a_large_ledger",
    "test_scan_statements.py::test_a_statement_whose_sum_would_overflow_is_bad_data_and_the_ledger_stays_readable",
    "test_fuzz.py::test_fuzzed_statements",
    "test_rate.py::test_conversions_agree_with_currency_converter",
    "test_postgres_concurrency.py::test_writers_killed_mid_transaction_leave_no_half_write",
    "test_postgres_concurrency.py::test_sixteen_writers_lose_nothing",
    "test_scan_documents.py::test_real_documents_read_to_their_fields",
    "test_fuzz.py::test_fuzzed_eml_with_pdf",
    "test_concurrency.py::test_eight_processes_adding_25_users_each",
    "test_readme.py::test_the_readme_runs_as_written",
    "test_license_import.py::test_every_list_format_imports_back_losslessly",
    "test_fuzz.py::test_fuzzed_license_imports",
    "test_hardening.py::test_big_mbox_inputs_stay_in_bounded_memory",
    "test_migrate.py::test_refuses_a_database_that_is_not_empty",
)


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    def place(item):
        name = Path(item.location[0]).name + "::" + item.originalname
        return rank.get(name, len(rank))
    items.sort(key=place)  # stable: the rest keep their order


class Result:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"<rc={self.rc} out={self.out[:400]!r} err={self.err[:400]!r}>"


class Office:
    """A temp HOME with an initialised ledger. `run` returns a Result."""

    def __init__(self, home: Path, template=None):
        self.home = home
        self.env = {
            "HOME": str(home),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
        }
        self.ledger = home / ".local/share/owatch/ledger.db"
        # OWATCH_TEST_LEDGER=postgresql://… (a server where databases can be created): each
        # Office gets a fresh database there instead of a SQLite file (issue 35).
        self.ledger_url = None
        base = os.environ.get("OWATCH_TEST_LEDGER")
        if base:
            import pg
            self.ledger_url = pg.fresh_database(base, template.ledger_url if template else None)
            self.env["OWATCH_LEDGER"] = self.ledger_url
        self.token = home / ".config/owatch/token"
        self.key = home / ".config/owatch/issuer.key"

    def copy_to(self, home: Path):
        """An Office in `home` whose ledger, key and token are copies of this one's (files keep their
        modes; on PostgreSQL a database made with this one's as its template)."""
        for part in self.home.iterdir():
            if part.is_dir():
                shutil.copytree(part, home / part.name, dirs_exist_ok=True)
        return Office(home, template=self)

    def run(self, *args, token=None, input=None, env=None, timeout=60):
        cmd = [BIN]
        if token is not None:
            cmd += ["--token", str(token)]
        cmd += [str(a) for a in args]
        e = dict(self.env)
        if env:
            e.update(env)
        proc = subprocess.run(cmd, cwd=self.home, env=e, input=input, capture_output=True, text=True, timeout=timeout)
        assert not trapped(proc.stderr), proc.stderr
        return Result(proc)

    def ok(self, *args, **kw):
        r = self.run(*args, **kw)
        assert r.rc == 0, r
        return r

    def add_user(self, name, role="employee", dept=None):
        path = self.home / f"{name}.token"
        args = ["user", "add", name, "--role", role, "--token-out", path]
        if dept:
            args += ["--dept", dept]
        self.ok(*args)
        return path

    def install_hook(self, name, body):
        """An executable shell hook beside the ledger (SPEC §4)."""
        d = self.ledger.parent / "hooks"
        d.mkdir(exist_ok=True)
        p = d / name
        p.write_text("#!/bin/sh\n" + body)
        p.chmod(0o755)
        return p

    def sql(self, statement):
        """Runs SQL on the ledger with the backend's own client (sqlite3 or psql), as a person
        editing it behind owatch's back would; its output (a failure raises)."""
        r = self.sql_run(statement)
        if r.returncode != 0:
            raise subprocess.CalledProcessError(r.returncode, r.args, r.stdout, r.stderr)
        return r.stdout

    def sql_run(self, statement):
        """`sql` that may fail: the finished process (returncode, stdout, stderr)."""
        if self.ledger_url:
            # psql's unaligned output is sqlite3's: one row a line, columns split by '|'.
            return subprocess.run(["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-d", self.ledger_url, "-c", statement],
                                  capture_output=True, text=True)
        return subprocess.run(["sqlite3", str(self.ledger), statement], capture_output=True, text=True)

    def beside(self, suffix):
        """A file owatch keeps beside the ledger (`.scan.lock`, `.scan.reading`): beside the SQLite
        file; for a PostgreSQL ledger, in the data folder, named by the ledger's id (Ledger.besidePath)."""
        if not self.ledger_url:
            return self.ledger.with_name(self.ledger.name + suffix)
        ledger_id = self.sql("SELECT value FROM meta WHERE key = 'ledger_id'").strip()
        return self.home / ".local/share/owatch" / f"ledger-{ledger_id}{suffix}"

    @contextlib.contextmanager
    def holding_write_lock(self):
        """Holds the ledger's write lock as another owatch writer would (SQLite: BEGIN IMMEDIATE;
        PostgreSQL: owatch's advisory lock, through psql) until the block ends."""
        if not self.ledger_url:
            con = sqlite3.connect(str(self.ledger), isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                con.execute("ROLLBACK")
                con.close()
            return
        psql = subprocess.Popen(["psql", "-X", "-qAt", "-d", self.ledger_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            psql.stdin.write(f"SELECT pg_advisory_lock({PG_WRITE_LOCK});\n\\echo held\n")
            psql.stdin.flush()
            while psql.stdout.readline().strip() != "held":
                assert psql.poll() is None, psql.communicate()
            yield
        finally:
            psql.communicate(f"SELECT pg_advisory_unlock({PG_WRITE_LOCK});\n", timeout=30)

    def drop_triggers(self, *names):
        """SQL dropping the ledger's triggers `TABLE.NAME` (what an attacker with write access does
        first), in the backend's dialect."""
        if self.ledger_url:
            return "".join(f"DROP TRIGGER IF EXISTS {n.split('.')[1]} ON {n.split('.')[0]}; " for n in names)
        return "".join(f"DROP TRIGGER IF EXISTS {n.split('.')[1]}; " for n in names)

    def undo_schema_10(self):
        """What a test taking the ledger back to an older schema does first: the columns of the
        forwarded-receipts migration go (migration 8 copies findings with SELECT *), and
        migration 10's triggers name columns the older schemas lack (read from the ledger, not listed here)."""
        self.sql("ALTER TABLE charges DROP COLUMN forwarded_by; ALTER TABLE findings DROP COLUMN pending;")
        names = self.sql("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'seat\\_findings\\_after\\_%' ESCAPE '\\'").split()
        self.sql("".join(f"DROP TRIGGER {n}; " for n in names) + "DELETE FROM meta WHERE key = 'seat_findings.current';")


@pytest.fixture
def bare(tmp_path):
    """A temp HOME with no ledger yet."""
    return Office(tmp_path)


OFFICE_INIT = ("init", "--org", "Acme GmbH", "--admin", "alice", "--currency", "EUR")


@pytest.fixture(scope="session")
def office_template(tmp_path_factory):
    """The `office` every test starts from, initialised once per test process (each xdist worker is
    one): `owatch init` costs ~0.1 s of CPU on SQLite and ~0.7 s on PostgreSQL, and most tests
    need an office, not a test of init (those run init on a `bare` HOME). OWATCH_TEST_FRESH_INIT=1
    runs init for every office instead."""
    if os.environ.get("OWATCH_TEST_FRESH_INIT"):
        return None
    o = Office(tmp_path_factory.mktemp("office-template"))
    r = o.run(*OFFICE_INIT)
    assert r.rc == 0, r
    return o


@pytest.fixture
def office(tmp_path, office_template):
    """A temp HOME with a ledger whose admin is alice (token installed)."""
    if office_template:
        return office_template.copy_to(tmp_path)
    o = Office(tmp_path)
    r = o.run(*OFFICE_INIT)
    assert r.rc == 0, r
    return o


def read_until_closed(fd):
    """Everything a pseudo-terminal's leader side receives until the other side closes."""
    seen = b""
    try:
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass                                            # EIO: the terminal's other side is closed
    os.close(fd)
    return seen


# A small launcher between pytest and the measured command: a child's peak RSS as the kernel
# reports it includes the memory of the process it was forked (or vforked) from before exec, and
# pytest with hypothesis loaded is far over the 100 MB bound itself.
LAUNCH = ("import os, sys\n"
          "pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)\n"
          "_, status, usage = os.wait4(pid, 0)\n"
          "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
          "code = os.waitstatus_to_exitcode(status)\n"
          "sys.exit(code if code >= 0 else 128 - code)\n")


def run_measured(cmd, cwd, env, timeout):
    """Runs a command; returns (exit status, stdout, stderr, peak RSS in MB of that command),
    failing past `timeout` seconds (the bound a hostile input must not pass). A signal shows
    as 128 + its number, as a shell reports it."""
    import sys
    import tempfile
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        proc = subprocess.Popen([sys.executable, "-c", LAUNCH, rss_file.name, *map(str, cmd)], cwd=cwd, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.communicate()
            raise AssertionError(f"{list(cmd)[:3]} ran past {timeout} s")
        kb = int(rss_file.read() or 0)
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), kb / 1024


def faketime(days):
    """The command prefix that runs a program `days` from today (negative: before), as someone
    coming back after a holiday would."""
    return ["faketime", "-f", f"{days:+d}d"]


def at(o, days, *args, rc=0):
    """owatch run `days` from today (negative: before), through faketime. Before today it uses a
    token minted then with the issuer key (today's admin token is not valid yet)."""
    token = o.home / f"at{days}.token"
    if days < 0 and not token.exists():
        subprocess.run(faketime(days) + [BIN, "--key", o.key, "user", "token", "alice", "--out", token],
                       cwd=o.home, env=o.env, check=True, capture_output=True)
    cmd = faketime(days) + [BIN] + (["--token", token] if days < 0 else []) + [str(a) for a in args]
    r = Result(subprocess.run(cmd, cwd=o.home, env=o.env, capture_output=True, text=True, timeout=60))
    assert not trapped(r.err), r.err
    assert r.rc == rc, r
    return r


GOOGLE_HEADER = ("First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Password Hash Function [UPLOAD ONLY],"
                 "Org Unit Path [Required],New Primary Email [UPLOAD ONLY],Recovery Email,Employee ID,Employee Type,Employee Title,Manager Email,"
                 "Department,Cost Center,Status [READ ONLY],Last Sign In [READ ONLY],Email Usage [READ ONLY]")


def google_row(first, last, email, status="Active", dept="", sign_in="Never logged in", employee_id=""):
    """A row of Google Workspace's user export."""
    return f"{first},{last},{email},****,,/Staff,,,{employee_id},,,,{dept},,{status},{sign_in},0.1GB"


def google_export(rows):
    # As Google writes it: a byte-order mark and CRLF line ends.
    return ("\ufeff" + "\r\n".join([GOOGLE_HEADER] + rows) + "\r\n").encode("utf-8")
