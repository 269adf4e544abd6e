"""Hardening (issue 11): owatch never runs with privileges its user lacks."""
import grp
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import BIN

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="making a setgid binary for another user needs root")


def run_as_nobody(args, env):
    """Runs a command as nobody (not in any owatch group), as a local user of a shared machine would."""
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def shared_dir():
    d = Path(tempfile.mkdtemp(prefix="owatch-shared-", dir="/tmp"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def owatch_group():
    name = f"owt{os.getpid() % 100000}"
    subprocess.run(["groupadd", "-f", name], check=True, capture_output=True)
    yield name
    subprocess.run(["groupdel", name], capture_output=True)


@needs_root
def test_the_former_strict_install_is_refused(shared_dir, owatch_group, office):
    # The README's former recipe: group-writable setgid ledger dir, setgid binary.
    ledger_dir = shared_dir / "srv"
    subprocess.run(["install", "-d", "-o", "root", "-g", owatch_group, "-m", "2770", str(ledger_dir)], check=True)
    binary = shared_dir / "owatch"
    subprocess.run(["install", "-o", "root", "-g", owatch_group, "-m", "2755", BIN, str(binary)], check=True)
    shutil.copy(office.ledger, ledger_dir / "ledger.db")
    os.chown(ledger_dir / "ledger.db", 0, grp.getgrnam(owatch_group).gr_gid)
    (ledger_dir / "ledger.db").chmod(0o660)
    before = (ledger_dir / "ledger.db").read_bytes()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(shared_dir), "LANG": "C.UTF-8", "OWATCH_LEDGER": str(ledger_dir / "ledger.db")}
    # The attack of the red-team pass: `logout --token LEDGER` unlinked the office ledger.
    for args in (["logout", "--token", str(ledger_dir / "ledger.db")], ["whoami"], ["help"], ["--version"]):
        r = run_as_nobody([str(binary), *args], env)
        assert r.returncode == 77, (args, r.returncode, r.stdout, r.stderr)
        assert "refuses to run setgid" in r.stderr
        assert "real and effective group ids differ" in r.stderr
        assert r.stdout == ""
    assert (ledger_dir / "ledger.db").read_bytes() == before


@needs_root
def test_setuid_is_refused_too(shared_dir):
    binary = shared_dir / "owatch"
    shutil.copy(BIN, binary)
    os.chown(binary, 0, 0)
    binary.chmod(0o4755)
    r = run_as_nobody([str(binary), "--version"], {"PATH": "/usr/bin:/bin", "HOME": str(shared_dir)})
    assert r.returncode == 77, r
    assert "refuses to run setuid" in r.stderr


@needs_root
def test_a_plain_install_runs_for_other_users(shared_dir):
    binary = shared_dir / "owatch"
    shutil.copy(BIN, binary)
    binary.chmod(0o755)
    r = run_as_nobody([str(binary), "--version"], {"PATH": "/usr/bin:/bin", "HOME": str(shared_dir)})
    assert r.returncode == 0, r
