"""`owatch login`, `logout`, `whoami`: installing a token (over an admin's only when told, issue 33), from
stdin or a file others can read (issue 14), and refusing key and token files others can read."""
import csv
import io
import json
import os
import pytest
import stat
import subprocess
from conftest import BIN, trapped
from test_backup import mode
from datetime import datetime, timedelta, timezone
import shutil
import time


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
