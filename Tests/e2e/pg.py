"""A throw-away PostgreSQL cluster for the end-to-end tests (issue 35).

`initdb` refuses to run as root, and CI runs as root: the cluster belongs to an unprivileged
account (`nobody`, or the caller when not root) and listens only on a Unix socket in a temp
directory, so nothing outside the test can reach it. Trust authentication on that socket: a
password in a test URL is accepted and ignored, which is what the redaction tests need.

    python3 Tests/e2e/pg.py start DIR   # prints the base URL; the cluster keeps running
    python3 Tests/e2e/pg.py stop DIR
"""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

BIN = Path(os.environ.get("OWATCH_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "owatch"


def missing():
    """Why no cluster can be started here (None when one can)."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (BIN / tool).exists():
            return f"PostgreSQL server binaries not found in {BIN} (apt-get install postgresql; or set OWATCH_PG_BIN)"
    if not shutil.which("psql"):
        return "psql not found (apt-get install postgresql-client)"
    return None


def throwaway_cluster():
    """The body of a module-scoped pytest fixture: a started cluster, stopped and removed after.
    Skips (pytest) where no cluster can be started here."""
    import pytest
    why = missing()
    if why:
        pytest.skip(why)
    # Not under pytest's tmp_path: its parents are private to root, and the server runs as nobody.
    root = tempfile.mkdtemp(prefix="owatch-pg-")
    c = Cluster(root).start()
    yield c
    c.stop()
    shutil.rmtree(root, ignore_errors=True)


def _as_owner():
    """The command prefix running a server tool as the cluster's owner."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]


def _chown(path):
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(path, nobody.pw_uid, nobody.pw_gid)


class Cluster:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.data = self.root / "data"
        self.socket = self.root / "sock"

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o755)
        _chown(self.root)
        if not self.data.exists():
            self.socket.mkdir(exist_ok=True)
            _chown(self.socket)
            subprocess.run(_as_owner() + [str(BIN / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                                          "-E", "UTF8", "--locale=C.UTF-8", "--lc-ctype=C", "--no-sync"],
                           check=True, capture_output=True, cwd="/")
        # No autovacuum: a test run leaves hundreds of small databases, and its launcher then keeps
        # starting workers that visit each (7 s of CPU every 30 s with 80 of them, idle; none with it off).
        options = (f"-k {self.socket} -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=60 "
                   "-c autovacuum=off")
        subprocess.run(_as_owner() + [str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                                      "-w", "start"], check=True, capture_output=True, cwd="/")
        return self

    def stop(self):
        subprocess.run(_as_owner() + [str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True, cwd="/")

    def standby(self, name="standby"):
        """A hot standby of this cluster: `pg_basebackup -R` (streaming, a standby.signal and
        primary_conninfo written) into a second data directory, started on its own socket. A fast
        checkpoint: the default spread one waits checkpoint_completion_target x checkpoint_timeout
        (0.9 x 5 min = 4 m 30 s) with nothing to write, which one test worker spent idle."""
        s = Cluster(self.root / name)
        s.root.mkdir(parents=True, exist_ok=True)
        os.chmod(s.root, 0o755)
        _chown(s.root)
        s.socket.mkdir(exist_ok=True)
        _chown(s.socket)
        subprocess.run(_as_owner() + [str(BIN / "pg_basebackup"), "-h", str(self.socket), "-U", SUPERUSER, "-D", str(s.data),
                                      "-R", "-X", "stream", "--no-sync", "--checkpoint=fast"], check=True, capture_output=True, cwd="/")
        return s.start()

    def caught_up(self, primary, timeout=30):
        """Waits until this standby has replayed everything `primary` had written when called."""
        import time
        lsn = primary.psql("SELECT pg_current_wal_lsn()").strip()
        for _ in range(int(timeout / 0.05)):
            if self.psql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn").strip() == "t":
                return
            time.sleep(0.05)
        raise TimeoutError(f"the standby did not replay up to {lsn}")

    def url(self, database="postgres", password=None, user=SUPERUSER):
        auth = user + (":" + quote(password, safe="") if password else "")
        return f"postgresql://{auth}@/{database}?host={quote(str(self.socket), safe='')}"

    def psql(self, sql, database="postgres"):
        return subprocess.run(["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-h", str(self.socket), "-U", SUPERUSER,
                               "-d", database, "-c", sql], check=True, capture_output=True, text=True).stdout


def fresh_database(base_url, template=None):
    """A new, empty database on the server `base_url` names; returns its URL. Each test's
    ledger gets one, as each gets its own SQLite file. `template`: a copy of that database
    (nobody may be connected to it), which is how an `office` gets an initialised ledger cheaply."""
    name = "owt_" + uuid.uuid4().hex[:12]
    create = f"CREATE DATABASE {name}" + (f" TEMPLATE {database_name(template)}" if template else "")
    subprocess.run(["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-d", base_url, "-c", create],
                   check=True, capture_output=True, text=True)
    head, _, query = base_url.partition("?")
    scheme, _, rest = head.partition("://")
    authority, _, _ = rest.partition("/")
    return f"{scheme}://{authority}/{name}" + ("?" + query if query else "")


def database_name(url):
    """The database a URL from `fresh_database` names."""
    return url.partition("?")[0].rpartition("/")[2]


if __name__ == "__main__":
    verb, where = sys.argv[1], Path(sys.argv[2])
    c = Cluster(where)
    if verb == "start":
        print(c.start().url())
    else:
        c.stop()
