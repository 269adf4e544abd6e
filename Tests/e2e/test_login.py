"""`owatch login`, `logout`, `whoami`: installing a token (over an admin's only when told, issue 33), from
stdin or a file others can read (issue 14), and refusing key and token files others can read."""
import os

import pytest

from conftest import BIN
from test_init import mode


def test_login_logout_whoami(office):
    bob = office.add_user("bob")
    office.ok("logout")
    assert not office.token.exists()
    assert office.run("whoami").rc == 77
    r = office.ok("login", bob)
    assert "bob" in r.err
    assert mode(office.token) == 0o600
    assert office.ok("whoami", "--json").json()["user"] == "bob"
    garbage = office.home / "garbage.token"
    garbage.write_text("not.a.token\n")
    garbage.chmod(0o600)
    assert office.run("login", garbage).rc == 77
    assert office.ok("whoami", "--json").json()["user"] == "bob"   # unchanged


# Run once, on SQLite (make test): file modes of the token and key.
@pytest.mark.backend_independent
def test_world_readable_token_and_key_refused(office):
    office.token.chmod(0o644)
    r = office.run("whoami")
    assert r.rc == 77 and f"chmod 600 {office.token}" in r.err
    office.token.chmod(0o600)
    office.key.chmod(0o644)
    r = office.run("user", "add", "bob", "--role", "employee")
    assert r.rc == 77 and f"chmod 600 {office.key}" in r.err
    assert "bob" not in office.ok("user", "list").out
    bob = office.home / "bob.token"
    office.key.chmod(0o600)
    office.ok("user", "add", "bob", "--role", "employee", "--token-out", bob)
    bob.chmod(0o640)
    r = office.run("login", bob)
    assert r.rc == 77 and "chmod 600" in r.err


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
