"""The command table: parsing, help, suggestions, completions and man pages."""
import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, ROOT, read_until_closed
import os
import pty
import time

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

def listed_commands():
    """Every command `owatch help` lists: the table decides, not a list kept here by hand."""
    out = subprocess.run([BIN, "help"], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}).stdout
    body = out.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line[2:22].strip() for line in body.splitlines() if line.startswith("  ") and line[2:22].strip()]


COMMANDS = listed_commands()


def test_help_lists_every_noun():
    assert len(COMMANDS) >= 70
    assert len(COMMANDS) == len(set(COMMANDS)), [c for c in COMMANDS if COMMANDS.count(c) > 1]   # each once (a merge can add one twice)
    for cmd in ["init", "user add", "license list", "scan inspect", "report reclaim", "approve", "remote-exec", "shell", "completion"]:
        assert cmd in COMMANDS


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_command_has_help_with_examples(bare, cmd):
    r = bare.ok(*cmd.split(), "--help")
    assert r.out.startswith(f"usage: owatch {cmd}")
    examples = r.out.split("examples:\n", 1)[1]
    assert examples.startswith("  $ ") and "owatch" in examples.splitlines()[0]
    if not any(other.startswith(cmd + " ") for other in COMMANDS):      # `help scan` is the noun's page: its verbs
        assert bare.ok("help", *cmd.split()).out == r.out


def test_overview_and_version(bare):
    r = bare.ok("--help")
    for cmd in COMMANDS:
        assert f"  {cmd} " in r.out
    assert "gen-docs" not in r.out
    # A bare `owatch` is a usage error with the short usage, like git (issue 14).
    bare_run = bare.run()
    assert bare_run.rc == 64 and bare_run.out == "" and bare_run.err.startswith("usage: owatch")
    assert bare.ok("--version").out.startswith("owatch ")
    assert "verbs:" in bare.ok("user").out


@pytest.mark.parametrize("argv,needle", [
    (["usr", "list"], "did you mean 'owatch user'"),
    (["user", "lst"], "did you mean 'owatch user list'"),
    (["user", "list", "--rol", "admin"], "did you mean '--role'"),
    (["whoami", "--jsn"], "did you mean '--json'"),
    (["completion", "bsh"], "did you mean 'bash'"),
    (["user", "add"], "needs NAME"),
    (["user", "show", "a", "b"], "unexpected 'b'"),
    (["user", "list", "--format"], "needs a value"),
    (["user", "list", "--format", "xml"], "must be one of"),
    (["whoami", "--json=1"], "takes no value"),
])
def test_usage_errors_exit_64_with_hint(bare, argv, needle):
    r = bare.run(*argv)
    assert r.rc == 64, r
    assert r.err.startswith("owatch: error: ") and needle in r.err
    assert r.out == ""


def test_option_forms_and_double_dash(office):
    office.ok("user", "add", "--role=employee", "bob", "--dept=ops", "--token-out", office.home / "b.t")
    assert office.ok("user", "show", "bob", "--format=json").json()["dept"] == "ops"
    office.ok("--json", "user", "show", "bob")  # global option before the command
    r = office.run("user", "add", "--role", "employee", "--", "-x")
    assert r.rc == 64 and "invalid user name '-x'" in r.err


@pytest.mark.parametrize("shell,file", [("bash", "owatch.bash"), ("zsh", "_owatch"), ("fish", "owatch.fish")])
def test_committed_completions_match_the_table(bare, shell, file):
    assert bare.ok("completion", shell).out == (ROOT / "completions" / file).read_text(), \
        "completions/ drifted from the command table: run `make docs`"


def test_bash_completion_works(bare):
    script = f"""
    source '{ROOT}/completions/owatch.bash'
    COMP_WORDS=(owatch use); COMP_CWORD=1; _owatch; echo "${{COMPREPLY[@]}}"
    COMP_WORDS=(owatch user ""); COMP_CWORD=2; _owatch; echo "${{COMPREPLY[@]}}"
    COMP_WORDS=(owatch user add bob --ro); COMP_CWORD=4; _owatch; echo "${{COMPREPLY[@]}}"
    """
    # The script asks the binary (`owatch __complete`), so `owatch` must be on PATH, as once installed.
    bindir = bare.home / "bin"
    bindir.mkdir(exist_ok=True)
    (bindir / "owatch").symlink_to(BIN)
    env = {**bare.env, "PATH": f"{bindir}:{bare.env['PATH']}"}
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env).stdout.splitlines()
    assert out[0] == "user"
    assert "add" in out[1].split() and "offboard" in out[1].split()
    assert out[2] == "--role"


def test_committed_man_pages_match_and_lint_clean(bare, tmp_path):
    bare.ok("gen-docs", tmp_path)
    generated = sorted(p.name for p in (tmp_path / "man").iterdir())
    committed = sorted(p.name for p in (ROOT / "man").iterdir())
    assert generated == committed
    for name in generated:
        assert (tmp_path / "man" / name).read_text() == (ROOT / "man" / name).read_text(), f"man/{name} drifted: run `make docs`"
    if not shutil.which("mandoc"):
        pytest.skip("mandoc not installed")
    for name in committed:
        lint = subprocess.run(["mandoc", "-Tlint", "-W", "warning", str(ROOT / "man" / name)], capture_output=True, text=True)
        assert lint.returncode == 0 and lint.stdout + lint.stderr == "", f"{name}: {lint.stdout}{lint.stderr}"


# Run once, on SQLite (make test): the parser; no ledger.
@pytest.mark.backend_independent
def test_bare_owatch_is_a_usage_error(bare):
    r = bare.run()
    assert r.rc == 64 and r.out == "" and "usage: owatch" in r.err and "owatch help" in r.err


# Run once, on SQLite (make test): the parser's messages.
@pytest.mark.backend_independent
def test_messages_name_the_flags_as_typed(office):
    r = office.run("license", "add", "X", "--vendor", "slack", "--seats", "2", "--cost", "10", "--renews", "2026-13-01")
    assert r.rc == 64 and "--renews '2026-13-01'" in r.err and "renews_on" not in r.err
    assert "owatch: warning: owatch:" not in r.err and r.err.count("owatch: error:") == 1


def on_a_terminal(office, args, answer):
    """Runs owatch with stdin and stderr on a pseudo-terminal, answers its question, returns (rc, what it showed)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([BIN, *map(str, args)], cwd=office.home, env=office.env, stdin=follower, stdout=subprocess.PIPE,
                            stderr=follower)
    os.close(follower)
    seen = b""
    deadline = time.time() + 30
    while b"[y/N]" not in seen and time.time() < deadline and proc.poll() is None:
        try:
            seen += os.read(leader, 4096)
        except OSError:
            break
    if answer is not None:
        os.write(leader, answer.encode() + b"\n")
    proc.wait(timeout=30)
    seen += read_until_closed(leader)
    return proc.returncode, seen.decode("utf-8", "replace")


# Run once, on SQLite (make test): the terminal prompt.
@pytest.mark.backend_independent
def test_destructive_commands_ask_on_a_terminal_only(office):
    office.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "2", "--cost", "30")
    office.ok("license", "add", "Typo", "--vendor", "zoom", "--seats", "2", "--cost", "30")
    office.add_user("bob")
    rc, seen = on_a_terminal(office, ["user", "offboard", "bob"], "n")
    assert rc == 1 and "Offboard bob" in seen and "not confirmed" in seen
    assert office.ok("user", "show", "bob", "--json").json()["status"] == "active"
    rc, seen = on_a_terminal(office, ["license", "remove", "Typo"], "y")
    assert rc == 0 and "Delete Typo" in seen
    rc, seen = on_a_terminal(office, ["license", "cancel", "Zoom", "--yes"], None)
    assert rc == 0 and "[y/N]" not in seen
    # Piped: never a question, never a hang.
    r = office.run("user", "offboard", "bob")
    assert r.rc == 0 and "[y/N]" not in r.err
