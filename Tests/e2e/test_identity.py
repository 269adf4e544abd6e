"""Identity lifecycle (issue 14): a way back in with the issuer key, renewal, re-issuing, login."""
import json
import shutil
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest

from conftest import BIN, trapped

needs_faketime = pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime (Debian faketime) is not installed")


def later(office, days, *args, token=None, input=None):
    """Runs owatch `days` from now, as a user coming back after a holiday would."""
    cmd = ["faketime", "-f", f"+{days}d", BIN] + (["--token", str(token)] if token else []) + [str(a) for a in args]
    p = subprocess.run(cmd, cwd=office.home, env=office.env, capture_output=True, text=True, input=input, timeout=60)
    assert not trapped(p.stderr), p.stderr
    return p


@needs_faketime
def test_an_expired_admin_token_is_recovered_with_the_issuer_key(office):
    r = later(office, 100, "user", "list")
    assert r.returncode == 77 and "expired" in r.stderr
    assert "--key PATH" in r.stderr                                   # the hint says how to get back in
    fresh = office.home / "alice-new.token"
    r = later(office, 100, "--key", office.key, "user", "token", "alice", "--out", fresh)
    assert r.returncode == 0, r.stderr
    assert oct(fresh.stat().st_mode & 0o777) == "0o600"
    r = later(office, 100, "whoami", "--json", token=fresh)
    assert r.returncode == 0 and json.loads(r.stdout)["user"] == "alice"
    issued = [e for e in json.loads(later(office, 100, "audit", "log", "--json", token=fresh).stdout) if e["action"] == "token.issue"]
    assert issued[-1]["actor"] == "issuer"
    later(office, 100, "audit", "verify", "--state", token=fresh).check_returncode()


def test_a_foreign_or_missing_key_mints_nothing(office, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    o2 = type(office)(other)
    assert o2.run("init", "--org", "Other", "--admin", "mallory").rc == 0
    r = office.run("--key", o2.key, "user", "token", "alice", "--out", office.home / "x.token")
    assert r.rc == 77 and "does not belong to this ledger" in r.err
    r = office.run("--key", office.home / "nope.key", "user", "token", "alice")
    assert r.rc == 66
    assert not (office.home / "x.token").exists()


@needs_faketime
def test_tokens_near_expiry_warn_once_a_day_and_renew(office):
    r = later(office, 80, "whoami")
    assert r.returncode == 0 and "expires in 10 day(s)" in r.stderr and "owatch token renew" in r.stderr
    assert "expires in" not in later(office, 80, "whoami").stderr           # once a day
    old = later(office, 80, "whoami", "--json").stdout
    r = later(office, 80, "token", "renew", "--json")
    assert r.returncode == 0, r.stderr
    renewed = json.loads(r.stdout)
    assert renewed["user"] == "alice" and renewed["role"] == "admin"
    assert renewed["jti"] != json.loads(old)["token_id"]
    assert oct(office.token.stat().st_mode & 0o777) == "0o600"
    r = later(office, 80, "whoami")
    assert r.returncode == 0 and "expires in" not in r.stderr               # a fresh 90 days
    revoked = [t for t in json.loads(later(office, 80, "token", "list", "--json").stdout) if t["revoked_at"]]
    assert [t["jti"] for t in revoked] == [json.loads(old)["token_id"]]


def test_days_left_are_counted_to_the_nearest_day(office):
    """A 10-day token read a second after it was issued has 10 days left (not 9, as counting
    whole days down said); under a day is said so."""
    office.ok("user", "token", "alice", "--expires", "10d", "--out", office.home / "t10")
    office.ok("user", "token", "alice", "--expires", "12h", "--out", office.home / "t12")
    time.sleep(1.1)
    assert "expires in 10 day(s)" in office.ok("whoami", token=office.home / "t10").err
    assert "expires in less than a day" in office.ok("whoami", token=office.home / "t12").err


def test_renewing_without_the_issuer_key_says_who_can(office):
    bob = office.add_user("bob")
    office.key.rename(office.home / "elsewhere.key")
    r = office.run("token", "renew", "--out", office.home / "bob2.token", token=bob)
    assert r.rc == 66 and "needs the issuer key" in r.err
    assert office.run("whoami", token=bob).rc == 0                          # nothing was revoked


def test_everyone_reissued_into_a_directory(office):
    office.add_user("bob")
    office.add_user("carol")
    office.add_user("cron", role="scanner")
    out = office.home / "tokens"
    out.mkdir()
    rows = office.ok("user", "token", "--all", "--role", "employee", "--out-dir", out, "--json").json()
    assert sorted(r["user"] for r in rows) == ["bob", "carol"]
    for name in ("bob", "carol"):
        f = out / f"{name}.token"
        assert oct(f.stat().st_mode & 0o777) == "0o600"
        assert office.ok("whoami", "--json", token=f).json()["user"] == name
    r = office.run("user", "token", "--all", "--out-dir", out)
    assert r.rc == 1 and "does not overwrite" in r.err                    # bob.token exists: nothing issued
    assert len(office.ok("token", "list", "--json").json()) == 6
    r = office.ok("user", "token", "--all", "--out-dir", office.home / "missing")       # created, 0700, and said (issue 33)
    assert "Created" in r.err and oct((office.home / "missing").stat().st_mode & 0o777) == "0o700"
    (office.home / "a-file").write_text("")
    assert office.run("user", "token", "--all", "--out-dir", office.home / "a-file").rc == 64
    assert office.run("user", "token").rc == 64


def test_token_lifetime_setting(office):
    office.ok("config", "set", "token.lifetime", "180d")
    rows = office.ok("user", "token", "alice", "--json").json()
    expires = datetime.fromisoformat(rows["expires_at"].replace("Z", "+00:00"))
    assert timedelta(days=179) < expires - datetime.now(timezone.utc) < timedelta(days=181)


def test_login_from_stdin_and_from_files_others_can_read(office):
    bob = office.add_user("bob")
    text = bob.read_text()
    office.ok("logout")
    r = office.run("login", "-", input=text)
    assert r.rc == 0 and "Logged in as bob" in r.err
    assert office.ok("whoami", "--json").json()["user"] == "bob"
    pasted = office.home / "pasted.token"
    pasted.write_text(text)
    pasted.chmod(0o644)
    r = office.run("login", pasted)                                      # a token pasted into a 0644 file
    assert r.rc == 77 and f"chmod 600 {pasted}" in r.err and "valid token for bob" in r.err, r
    pasted.chmod(0o600)
    office.ok("login", pasted)
    assert oct(office.token.stat().st_mode & 0o777) == "0o600"
    r = office.run("login", "/etc/passwd")
    assert r.rc == 77 and "does not hold a token" in r.err and "chmod" not in r.err


def test_user_edit_reactivate_and_full_names(office):
    bob = office.add_user("bob", dept="sales")
    office.ok("user", "add", "zoe", "--role", "employee", "--full-name", "Zoë Lefèvre", "--email", "zoe@example.com")
    assert office.ok("user", "show", "zoe", "--json").json()["full_name"] == "Zoë Lefèvre"
    assert "Zoë Lefèvre" in office.ok("user", "list").out
    r = office.ok("user", "edit", "bob", "--dept", "marketing", "--full-name", "Bob Stone", "--json").json()
    assert (r["dept"], r["full_name"]) == ("marketing", "Bob Stone")
    assert office.ok("user", "edit", "bob", "--dept", "", "--json").json()["dept"] is None
    assert office.run("user", "edit", "bob").rc == 64
    assert office.run("user", "edit", "bob", "--email", "not-an-email").rc == 64
    assert office.run("user", "edit", "ghost", "--dept", "x").rc == 1
    office.ok("user", "offboard", "bob")
    assert office.run("whoami", token=bob).rc == 77
    assert office.ok("user", "reactivate", "bob", "--json").json()["status"] == "active"
    r = office.run("whoami", token=bob)
    assert r.rc == 77, r                                                    # new tokens needed
    fresh = office.home / "bob2.token"
    office.ok("user", "token", "bob", "--out", fresh)
    assert office.ok("whoami", "--json", token=fresh).json()["user"] == "bob"
    assert office.run("user", "reactivate", "bob").rc == 1
    actions = [e["action"] for e in office.ok("audit", "log", "--json").json()]
    assert "user.edit" in actions and "user.reactivate" in actions
    office.ok("audit", "verify", "--state")


def test_the_last_admin_cannot_be_demoted_or_offboarded(office):
    for argv in (["user", "role", "alice", "employee"], ["user", "role", "alice", "scanner"], ["user", "offboard", "alice"]):
        r = office.run(*argv)
        assert r.rc == 1 and "last active admin" in r.err, (argv, r)
    office.add_user("erin", role="admin")
    office.ok("user", "offboard", "erin")
    assert office.run("user", "role", "alice", "employee").rc == 1        # erin is gone: alice is the last again
