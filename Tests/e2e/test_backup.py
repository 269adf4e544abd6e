"""`owatch backup`: a consistent, private copy that never clobbers a file."""
import subprocess

from test_init import mode


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
