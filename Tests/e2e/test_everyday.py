import json
import os
import pty
import subprocess
import time
import pytest

from conftest import BIN, read_until_closed

"""Everyday use (issue 14): messages that say what the user typed, and refusals that help."""


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


def test_license_names_get_did_you_mean_and_quoted_hints(office):
    office.ok("license", "add", "Adobe CC", "--vendor", "adobe", "--seats", "2", "--cost", "10")
    for wrong in ("Adobe", "Adobe Cc ", "Adobee CC"):
        r = office.run("license", "show", wrong)
        assert r.rc == 1 and "did you mean 'Adobe CC'?" in r.err, (wrong, r)
    r = office.run("license", "list", "--user", "ghost")
    assert r.rc == 1 and "user 'ghost' not found" in r.err


# Run once, on SQLite (make test): output paths, checked before any write.
@pytest.mark.backend_independent
def test_outputs_refuse_a_missing_directory(office):
    r = office.run("report", "html", "--out", office.home / "no" / "such" / "d.html")
    assert r.rc == 66 and "no directory" in r.err
    assert not (office.home / "no").exists()
    r = office.run("backup", office.home / "nodir" / "b.db")
    assert r.rc == 66 and not (office.home / "nodir").exists()


# Run once, on SQLite (make test): scan inspect (a reader); writes nothing.
@pytest.mark.backend_independent
def test_scan_inspect_of_empty_or_binary_files(office):
    empty = office.home / "empty.eml"
    empty.write_bytes(b"")
    binary = office.home / "bin.eml"
    binary.write_bytes(bytes(range(256)) * 8)
    for f, why in ((empty, "it is empty"), (binary, "it is binary")):
        r = office.run("scan", "inspect", f)
        assert r.rc == 65 and "is not an email message" in r.err and why in r.err, r


def test_employees_see_the_catalog_without_prices(office):
    office.ok("license", "add", "Figma", "--vendor", "figma", "--seats", "1", "--cost", "15", "--assign", "alice")
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "5", "--cost", "40")
    office.ok("license", "add", "Old", "--vendor", "zoom", "--seats", "5", "--cost", "40")
    office.ok("license", "cancel", "Old")
    bob = office.add_user("bob")
    r = office.ok("license", "list", "--catalog", "--json", token=bob)
    rows = {e["name"]: e for e in r.json()}
    assert set(rows) == {"Figma", "Slack"}
    assert rows["Figma"]["seat_free"] is False and rows["Slack"]["seat_free"] is True
    assert set(rows["Slack"]) == {"name", "vendor", "category", "seat_free"}           # no prices, no holders
    assert "EUR" not in office.ok("license", "list", "--catalog", token=bob).out
    assert office.ok("license", "list", "--json", token=bob).json() == []              # bob still sees only his own seats


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


def table_on_a_terminal(office, args, columns=80):
    """stdout on an 80-column pseudo-terminal: what a person sees."""
    import fcntl
    import struct
    import termios
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen([BIN, *map(str, args)], cwd=office.home, env={**office.env, "NO_COLOR": "1"}, stdout=follower,
                            stderr=subprocess.PIPE)
    os.close(follower)
    seen = read_until_closed(leader)
    proc.wait(timeout=30)
    return proc.returncode, seen.decode().replace("\r\n", "\n"), proc.stderr.read().decode()


# Run once, on SQLite (make test): table rendering.
@pytest.mark.backend_independent
def test_tables_fit_80_columns_dropping_empty_columns_first(office):
    office.ok("license", "add", "A very long license name for the design team", "--vendor", "figma", "--seats", "3", "--cost", "45")
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "10", "--cost", "87.50")
    rc, out, err = table_on_a_terminal(office, ["license", "list"])
    assert rc == 0, err
    lines = out.strip("\n").split("\n")
    assert all(len(l) <= 80 for l in lines), lines
    header = lines[0].split()
    assert "RENEWS_ON" not in header and "ASSIGNED_TO" not in header            # all '-': dropped before any cell is cut
    assert "A very long" in out and "…" in out                                   # then the widest cell is cut, last
    rc, out, _ = table_on_a_terminal(office, ["license", "list", "--columns", "name,monthly"])
    assert out.split("\n")[0].split() == ["NAME", "MONTHLY"]
    wide = office.ok("license", "list", "--wide").out.split("\n")[0].split()
    assert "PLAN" in wide or len(wide) > len(office.ok("license", "list").out.split("\n")[0].split())
    r = office.run("license", "list", "--columns", "name,price")
    assert r.rc == 64 and "no column 'price'" in r.err and "monthly" in r.err
    r = office.run("user", "list", "--columns", "name,role")
    assert r.rc == 0 and r.out.split("\n")[0].split() == ["NAME", "ROLE"]


def inventory(office):
    for u in ("bob", "carol", "dave"):
        office.add_user(u)
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8.75", "--per-seat", "--renews", "2027-01-01",
              "--assign", "bob", "--assign", "carol", "--plan", "Pro", "--notes", "team; chat, \"quoted\"")
    office.ok("license", "grow", "Slack", "--seats", "2", "--order", "PO-1;2")
    office.ok("license", "add", "Office", "--vendor", "m365", "--seats", "unlimited", "--cost", "2400", "--period", "24m", "--assign", "dave")
    office.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "2", "--cost", "30", "--renews", "2027-03-01")
    office.ok("license", "cancel", "Zoom", "--on", "2027-02-28")


def second_office(office, name):
    from conftest import Office
    (office.home / name).mkdir()
    other = Office(office.home / name)
    other.ok("init", "--org", "Other", "--admin", "alice")
    for u in ("bob", "carol", "dave"):
        other.add_user(u)
    return other


def test_every_list_format_imports_back_losslessly(office):
    inventory(office)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "id"} for r in rows]
    expected = strip(office.ok("license", "list", "--json").json())
    assert {r["status"] for r in expected} == {"active", "cancelled"}
    for fmt, suffix in (("csv", "csv"), ("json", "json"), ("jsonl", "jsonl")):
        export = office.ok("license", "list", "--format", fmt).out
        other = second_office(office, f"o-{fmt}")
        path = other.home / f"inv.{suffix}"
        path.write_text(export)
        other.ok("license", "import", path)
        assert strip(other.ok("license", "list", "--json").json()) == expected, fmt


def test_import_update_shows_the_diff_and_dry_run_writes_nothing(office):
    inventory(office)
    rows = office.ok("license", "list", "--json").json()
    for r in rows:
        if r["name"] == "Slack":
            r["assigned_to"] = ["bob", "dave"]
            r["lines"][0]["cost"] = 30.00
        if r["name"] == "Office":
            r["notes"] = "site licence"
    rows.append({"name": "Figma", "vendor": "figma", "seats": 2, "cost": 45})
    path = office.home / "edited.json"
    path.write_text(json.dumps(rows, indent=2))
    before = office.ok("license", "list", "--json").out
    r = office.ok("license", "import", path, "--update", "--dry-run", "--json")
    changes = {c["license"]: c for c in r.json()}
    assert changes["Figma"]["change"] == "add"
    assert "holders +dave -carol" in changes["Slack"]["what"] and "26.25 EUR → 1×30.00" not in changes["Slack"]["what"]
    assert "notes - → site licence" in changes["Office"]["what"]
    assert "Zoom" not in changes
    assert office.ok("license", "list", "--json").out == before                       # a dry run changes nothing
    office.ok("license", "import", path, "--update")
    after = {l["name"]: l for l in office.ok("license", "list", "--json").json()}
    assert after["Slack"]["assigned_to"] == ["bob", "dave"] and after["Office"]["notes"] == "site licence" and "Figma" in after
    assert after["Slack"]["id"] == [l for l in json.loads(before) if l["name"] == "Slack"][0]["id"]   # updated in place
    r = office.run("license", "import", path)                                          # without --update: names are taken
    assert r.rc == 65 and "--update" in r.err
    office.ok("audit", "verify", "--state")


# Run once, on SQLite (make test): the JSON import reader refuses before any write.
@pytest.mark.backend_independent
def test_json_import_errors_name_the_record_and_its_line(office):
    path = office.home / "bad.json"
    path.write_text('[\n  {"name": "A", "vendor": "slack", "seats": 1, "cost": 5},\n\n  {"name": "B", "vendor": "slack",\n   "seats": "many", "cost": 5}\n]\n')
    r = office.run("license", "import", path)
    assert r.rc == 65 and "line 4: record 2:" in r.err, r


# Run once, on SQLite (make test): the CSV import reader's dialects; CSV imports land on PostgreSQL in test_licenses.
@pytest.mark.backend_independent
def test_spreadsheet_csvs_semicolons_decimal_commas_latin1_and_date_formats(office):
    path = office.home / "excel.csv"
    path.write_bytes("name;vendor;seats;cost;renews_on;notes\nBüro Suite;m365;5;1.234,56;31/12/2026;Gebühr für Büro\n".encode("cp1252"))
    r = office.run("license", "import", path, "--date-format", "DD/MM/YYYY")
    assert r.rc == 0 and "Windows-1252" in r.err, r
    l = office.ok("license", "show", "Büro Suite", "--json").json()
    assert l["cost_minor"] == 123456 and l["renews_on"] == "2026-12-31" and l["notes"] == "Gebühr für Büro"
    tab = office.home / "tab.csv"
    tab.write_text("name\tvendor\tseats\tcost\tpurchased_on\nTabbed\tslack\t2\t9,50\t12.31.2026\n")
    r = office.run("license", "import", tab, "--date-format", "MM.DD.YYYY")
    assert r.rc == 0, r
    assert office.ok("license", "show", "Tabbed", "--json").json()["cost_minor"] == 950
    bad = office.home / "bad.csv"
    bad.write_bytes(b"name,vendor,seats,cost\nX\x81\x8d,slack,1,5\n")
    r = office.run("license", "import", bad)
    assert r.rc == 65 and "neither UTF-8 nor Windows-1252" in r.err
    r = office.run("license", "import", tab, "--date-format", "DD/MM")
    assert r.rc == 64


# Run once, on SQLite (make test): the parser's messages.
@pytest.mark.backend_independent
def test_seat_messages_name_the_flag(office):
    r = office.run("license", "add", "X", "--vendor", "slack", "--seats", "x", "--cost", "10")
    assert r.rc == 64 and "--seats must be a whole number" in r.err
