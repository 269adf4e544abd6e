"""Output across commands: formats (`--json`, jq, csv quoting and the formula guard, the format from the
environment), stdout carrying data only, raw controls never reaching a terminal (issue 29), `--out-dir`,
and write commands saying what changed in one line (issue 33)."""
import csv
import io
import json
import os
import pytest
import stat
import subprocess
from conftest import BIN


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
