"""Output across commands: formats (`--json`, jq, csv quoting and the formula guard, the format from the
environment), stdout carrying data only, raw controls never reaching a terminal (issue 29), `--out-dir`,
and write commands saying what changed in one line (issue 33)."""
import csv
import io
import json
import os
import pty
import stat
import subprocess

import pytest

from conftest import BIN, read_until_closed


# Run once, on SQLite (make test): an output format.
@pytest.mark.backend_independent
def test_jq_pipeline(office):
    office.add_user("bob")
    out = subprocess.run(f"'{BIN}' user list --json | jq -r '.[] | select(.role==\"employee\") | .name'",
                         shell=True, capture_output=True, text=True, env=office.env, cwd=office.home)
    assert out.stdout == "bob\n"


# Run once, on SQLite (make test): an output format.
@pytest.mark.backend_independent
def test_csv_quoting_and_formula_guard(office):
    office.ok("user", "add", "eve", "--role", "employee", "--dept", '=HYPERLINK("x"),"q"')
    rows = list(csv.reader(io.StringIO(office.ok("user", "list", "--format", "csv").out)))
    eve = [r for r in rows if r[0] == "eve"][0]
    assert eve[2] == "'" + '=HYPERLINK("x"),"q"'


# Run once, on SQLite (make test): output format selection.
@pytest.mark.backend_independent
def test_output_format_from_environment(office):
    r = office.ok("whoami", env={"OWATCH_FORMAT": "json"})
    assert r.json()["user"] == "alice"
    assert office.run("whoami", env={"OWATCH_FORMAT": "yaml"}).rc == 64
    assert office.ok("whoami", "--format=csv").out.startswith("user,role,")


# Run once, on SQLite (make test): stdout and stderr separation.
@pytest.mark.backend_independent
def test_stdout_is_data_only(office):
    r = office.ok("user", "add", "bob", "--role", "employee", "--token-out", office.home / "b.t", "--json")
    json.loads(r.out)
    assert "Added bob" in r.err
    q = office.ok("user", "add", "carl", "--role", "employee", "--token-out", office.home / "c.t", "--json", "-q")
    assert q.err == ""


# Run once, on SQLite (make test): output paths.
@pytest.mark.backend_independent
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


def test_write_commands_say_what_changed_in_one_line(office):
    office.add_user("bob")
    office.add_user("carol")
    add = office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "10", "--cost", "8.75", "--per-seat")
    assert add.out == "" and add.err.strip() == "Added license Slack (Slack): 87.50 EUR a month.", add
    assign = office.ok("license", "assign", "Slack", "bob", "carol")
    assert assign.out == "" and assign.err.strip() == "Assigned Slack to bob, carol; 2 of 10 seat(s) taken.", assign
    quiet = office.ok("license", "unassign", "Slack", "carol", "-q")
    assert quiet.out == "" and quiet.err == "", quiet
    verbose = office.ok("license", "assign", "Slack", "carol", "--verbose")
    assert "ASSIGNED_TO" in verbose.out and "bob, carol" in verbose.out, verbose
    table = office.ok("license", "grow", "Slack", "--seats", "2", "--format", "table")
    assert "ASSIGNED_TO" in table.out, table
    assert office.ok("license", "edit", "Slack", "--notes", "x", "--json").json()["notes"] == "x"
    bob = office.home / "bob.token"
    office.ok("request", "new", "purchase", "Desk", "--cost", "10.00", token=bob)
    approve = office.ok("approve", "1")
    assert approve.out == "" and "Approved #1" in approve.err, approve
    # A token written to a file is in hand: the new user is a change like any other. Without --token-out the
    # record carries the token, its only copy, so it is printed.
    dana = office.ok("user", "add", "dana", "--role", "employee", "--token-out", office.home / "dana.token", "-q")
    assert dana.out == "" and dana.err == "", dana
    assert "eyJ" in office.ok("user", "add", "erin", "--role", "employee", "-q").out
    assert office.ok("user", "role", "dana", "admin", "-q").out == ""
    rates = office.home / "rates.csv"
    rates.write_text("date,from,to,rate\n2026-11-30,GBP,EUR,1.14\n")
    assert office.ok("rate", "import", rates, "-q").out == ""


def test_show_takes_columns_as_a_table_does(office):
    office.ok("license", "add", "CRM", "--vendor", "hubspot", "--seats", "2", "--cost", "10")
    shown = office.ok("license", "show", "CRM", "--columns", "seats,name").out
    assert [line.split()[0] for line in shown.splitlines()] == ["seats", "name"], shown
    bad = office.run("license", "show", "CRM", "--columns", "nam")
    assert bad.rc == 64 and "no field 'nam'" in bad.err and "name" in bad.err, bad
    assert len(office.ok("license", "show", "CRM", "--columns", "name", "--json").json()) > 2


# Run once, on SQLite (make test): output paths, checked before any write.
@pytest.mark.backend_independent
def test_outputs_refuse_a_missing_directory(office):
    r = office.run("report", "html", "--out", office.home / "no" / "such" / "d.html")
    assert r.rc == 66 and "no directory" in r.err
    assert not (office.home / "no").exists()
    r = office.run("backup", office.home / "nodir" / "b.db")
    assert r.rc == 66 and not (office.home / "nodir").exists()


HOSTILE = "Sales\x1b]0;owned\x07\u202e\x9b2J\x7f"


def on_a_terminal(office, args):
    """stdout on a pseudo-terminal: (rc, the bytes the terminal received, with its CR LF as LF)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([BIN, *map(str, args)], cwd=office.home, env={**office.env, "NO_COLOR": "1"}, stdout=follower,
                            stderr=subprocess.PIPE)
    os.close(follower)
    seen = read_until_closed(leader)
    proc.wait(timeout=30)
    return proc.returncode, seen.replace(b"\r\n", b"\n")


# Run once, on SQLite (make test): output formats on a terminal; hostile names are written on PostgreSQL by test_hardening.
@pytest.mark.backend_independent
def test_csv_and_json_on_a_terminal_never_carry_raw_controls(office):
    office.add_user("bob", dept=HOSTILE)
    for args in (["user", "list", "--format", "csv"], ["user", "show", "bob", "--format", "csv"]):
        rc, seen = on_a_terminal(office, args)
        assert rc == 0, seen
        for bad in (b"\x1b", b"\x07", "\u202e".encode(), "\x9b".encode(), b"\x7f"):
            assert bad not in seen, (args, bad, seen)
        assert b"Sales^[]0;owned^G<U+202E><U+009B>2J^?" in seen, seen
    for args in (["user", "list", "--format", "json"], ["user", "list", "--format", "jsonl"],
                 ["user", "show", "bob", "--format", "json"], ["user", "show", "bob", "--format", "jsonl"]):
        rc, seen = on_a_terminal(office, args)
        assert rc == 0, seen
        for bad in (b"\x1b", b"\x07", "\u202e".encode(), "\x9b".encode(), b"\x7f"):
            assert bad not in seen, (args, bad, seen)
        text = seen.decode()
        # Still JSON, and it reads back the very same text.
        values = [json.loads(line) for line in text.splitlines()] if "jsonl" in args else [json.loads(text)]
        rows = [v for x in values for v in (x if isinstance(x, list) else [x])]
        assert HOSTILE in [r.get("dept") for r in rows], text


# Run once, on SQLite (make test): output formats to a pipe; hostile names are written on PostgreSQL by test_hardening.
@pytest.mark.backend_independent
def test_csv_and_json_to_a_pipe_stay_byte_exact(office):
    office.add_user("bob", dept=HOSTILE)
    for args in (["user", "list", "--format", "csv"], ["user", "show", "bob", "--format", "csv"]):
        out = subprocess.run([BIN, *args], cwd=office.home, env=office.env, capture_output=True).stdout
        assert HOSTILE.encode() in out and out.endswith(b"\r\n") and b"^M" not in out, out
    for args in (["user", "list", "--format", "json"], ["user", "show", "bob", "--format", "json"]):
        out = subprocess.run([BIN, *args], cwd=office.home, env=office.env, capture_output=True).stdout
        assert "\u202e\x9b2J\x7f".encode() in out, out          # JSON escapes only what it must
        parsed = json.loads(out)
        assert HOSTILE in [r.get("dept") for r in (parsed if isinstance(parsed, list) else [parsed])]
