"""Issue 33: a new office's first hour. The README's commands as a new user types them, and the
small things that add up (each of these fails on the build before the issue)."""
import os
import stat

from conftest import BIN  # noqa: F401  (the harness's binary)


# --- login over an admin token ------------------------------------------------------------------

def test_login_in_a_script_keeps_the_admin_token_unless_told_to_replace_it(office):
    bob = office.add_user("bob")
    before = office.token.read_text()
    r = office.run("login", bob)
    assert r.rc == 1, r
    assert "alice's admin token" in r.err and "--replace" in r.err, r.err
    assert office.token.read_text() == before
    office.ok("whoami")                                     # alice is still the admin here
    office.ok("license", "list")
    r = office.ok("login", "--replace", bob)
    assert "Logged in as bob" in r.err
    assert office.ok("whoami", "--json").json()["user"] == "bob"


def test_login_of_a_fresh_admin_token_for_the_same_admin_needs_no_replace(office):
    office.ok("user", "token", "alice", "--out", "alice2.token")
    office.ok("login", "alice2.token")
    assert office.ok("whoami", "--json").json()["user"] == "alice"


def test_login_over_an_employee_token_just_installs(office):
    bob = office.add_user("bob")
    carol = office.add_user("carol")
    office.ok("login", "--replace", bob)
    office.ok("login", carol)                               # an employee token is not guarded
    assert office.ok("whoami", "--json").json()["user"] == "carol"


def test_login_over_an_admin_token_asks_at_a_terminal(office):
    import pty
    import subprocess
    from conftest import read_until_closed
    bob = office.add_user("bob")
    before = office.token.read_text()
    for answer, installed in ((b"n\n", "alice"), (b"y\n", "bob")):
        leader, follower = pty.openpty()
        proc = subprocess.Popen([BIN, "login", str(bob)], cwd=office.home, env=office.env,
                                stdin=follower, stdout=follower, stderr=follower, close_fds=True)
        os.close(follower)
        os.write(leader, answer)
        seen = read_until_closed(leader)
        proc.wait(timeout=30)
        assert b"replace it with bob's (employee)? [y/N]" in seen, seen
        assert office.ok("whoami", "--json", token=office.token).json()["user"] == installed
    assert office.token.read_text() != before


# --- user token --all --out-dir -----------------------------------------------------------------

def test_out_dir_is_created_and_paths_are_clean(office):
    office.add_user("bob")
    r = office.ok("user", "token", "--all", "--role", "employee", "--out-dir", "tokens/")
    assert "Created tokens/" in r.err, r.err
    assert "tokens/bob.token" in r.out and "//" not in r.out, r.out
    d = office.home / "tokens"
    assert stat.S_IMODE(d.stat().st_mode) == 0o700
    assert stat.S_IMODE((d / "bob.token").stat().st_mode) == 0o600
    office.ok("whoami", token=d / "bob.token")
    again = office.run("user", "token", "--all", "--role", "employee", "--out-dir", "tokens")
    assert again.rc == 1 and "tokens/bob.token" in again.err and "//" not in again.err, again
