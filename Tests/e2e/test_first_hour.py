"""Issue 33: a new office's first hour. The README's commands as a new user types them, and the
small things that add up (each of these fails on the build before the issue)."""
import os
import stat
import pytest

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


# --- small things that add up -------------------------------------------------------------------

def test_approve_on_an_empty_queue_says_only_that(office):
    r = office.ok("approve")
    assert r.out == "" and r.err.strip() == "Nothing waits for approval.", r
    assert office.ok("approve", "--json").json() == []      # programs still get their empty list


RECEIPT = ("From: {sender}\nTo: accounts@acme.example\nSubject: Your receipt\nDate: Mon, 02 Nov 2026 10:00:00 +0000\n"
           "Message-ID: <{mid}@example>\n\nNotion Plus\nTotal: $20.00\nAmount paid: $20.00\n")


def test_scanning_files_seen_before_says_so(office):
    for i in (1, 2):
        (office.home / f"{'ab'[i - 1]}.eml").write_text(RECEIPT.format(sender="Notion <billing@notion.so>", mid=f"m{i}"))
    office.ok("scan", "a.eml", "b.eml")
    seen = on_a_terminal(office, "scan", "a.eml", "b.eml")
    assert b"nothing new; 2 already seen" in seen, seen
    new = RECEIPT.format(sender="Notion <billing@notion.so>", mid="m3")
    (office.home / "c.eml").write_text(new)
    seen = on_a_terminal(office, "scan", "a.eml", "b.eml", "c.eml")
    assert b"1 new item(s)" in seen and b"2 already seen" in seen, seen
    quiet = office.ok("scan", "a.eml", "b.eml")             # cron (no terminal) mails only news
    assert quiet.out == "" and quiet.err == "", quiet
    assert office.ok("scan", "a.eml", "b.eml", "--json").json()["already_seen"] == 2


def on_a_terminal(office, *args):
    """What a person sees running owatch at a terminal (stdout and stderr on a pseudo-terminal)."""
    import pty
    import subprocess
    from conftest import read_until_closed
    leader, follower = pty.openpty()
    proc = subprocess.Popen([BIN, *map(str, args)], cwd=office.home, env=office.env,
                            stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    seen = read_until_closed(leader)
    assert proc.wait(timeout=60) == 0, seen
    return seen


SENDERS = [
    "Notion Labs, Inc. <billing@notion.so>",
    "Smith, John <billing@notion.so>",
    '"Notion Labs, Inc." <billing@notion.so>',
    "Notion <billing@notion.so>",
    "billing@notion.so (Notion Labs, Inc.)",
    "<billing@notion.so>",
    "Notion Labs, Inc. <billing@notion.so>, Other <other@example.org>",
    "=?utf-8?q?Notion_Labs=2C_Inc=2E?= <billing@notion.so>",
]


# Run once, on SQLite (make test): the mail header reader.
@pytest.mark.backend_independent
def test_an_unquoted_comma_in_the_senders_name_keeps_the_sender(office):
    """Python's email.utils is the reference for the addresses (getaddresses finds billing@… in
    each); its parseaddr gives up on the unquoted comma ('Notion'), as owatch did. owatch reads the
    phrase before the comma as part of the name, as mail clients show it."""
    from email.utils import getaddresses, parseaddr
    for i, sender in enumerate(SENDERS):
        eml = office.home / f"s{i}.eml"
        eml.write_text(RECEIPT.format(sender=sender, mid=f"s{i}"))
        r = office.ok("scan", "inspect", eml, "--json").json()
        assert r["vendor"] == "Notion" and r["amount_minor"] == 2000, (sender, r)
        ours = [a for _, a in getaddresses([r["from"]]) if "@" in a]
        python = [a for _, a in getaddresses([sender]) if "@" in a]
        if "=?" not in sender:
            assert ours == python, (sender, r["from"])
    assert parseaddr(SENDERS[0])[1] == "Notion"              # the reference's own reading of it
    shown = office.ok("scan", "inspect", office.home / "s0.eml", "--json").json()["from"]
    assert getaddresses([shown]) == [("Notion Labs, Inc.", "billing@notion.so")], shown
    shown = office.ok("scan", "inspect", office.home / "s1.eml", "--json").json()["from"]
    assert getaddresses([shown]) == [("Smith, John", "billing@notion.so")], shown


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


# Run once, on SQLite (make test): the import reader, dry run.
@pytest.mark.backend_independent
def test_import_dry_run_shows_each_row_as_read(office):
    office.add_user("bob")
    (office.home / "x.csv").write_bytes(
        "name;vendor;plan;seats;cost;period;renews_on;assigned\r\nMiro;miro;Büro;5;1.234,56;yearly;01/03/2027;\r\n"
        "Loom;loom;;3;12,50;monthly;15/01/2027;bob\r\n".encode("cp1252"))
    r = office.ok("license", "import", "x.csv", "--date-format", "DD/MM/YYYY", "--dry-run")
    rows = r.out.splitlines()
    assert rows[0].split() == ["CHANGE", "LICENSE", "WHAT"], r.out
    assert "Miro" in rows[1] and "plan Büro" in rows[1] and "1,234.56 EUR" in rows[1] and "yearly" in rows[1] \
        and "renews 2027-03-01" in rows[1], rows
    assert "Loom" in rows[2] and "12.50 EUR" in rows[2] and "renews 2027-01-15" in rows[2] and "holders bob" in rows[2], rows
    assert "nothing was written" in r.err
    assert office.ok("license", "list", "--json").json() == []
    counts = office.ok("license", "import", "x.csv", "--date-format", "DD/MM/YYYY", "--dry-run", "--json").json()
    assert counts == {"licenses": 2, "seats": 1, "dry_run": True}       # programs keep the counts


def test_report_html_is_a_file_to_share_unless_the_ledger_is_kept_private(bare, tmp_path):
    shared = bare.home / "office"
    shared.mkdir()
    os.chmod(shared, 0o755)
    ledger = shared / "ledger.db"
    bare.env["OWATCH_LEDGER"] = str(ledger)
    bare.ok("init", "--org", "Acme", "--admin", "alice")
    r = bare.ok("report", "html", "--out", "dash.html")
    assert stat.S_IMODE((bare.home / "dash.html").stat().st_mode) == 0o644
    assert "mode 0644" in r.err, r.err
    os.chmod(shared, 0o700)                                 # the ledger kept private: so is its dashboard
    r = bare.ok("report", "html", "--out", "private.html")
    assert stat.S_IMODE((bare.home / "private.html").stat().st_mode) == 0o600
    assert "mode 0600" in r.err and "chmod 644" in r.err, r.err


def test_report_leave_tells_taken_from_planned(office):
    """Approved leave still to come is planned, not taken (issue 33). The clock is moved with
    faketime to the Wednesday of an approved Monday–Friday week."""
    import datetime
    import shutil
    import subprocess
    import pytest
    if not shutil.which("faketime"):
        pytest.skip("faketime is not installed")
    today = datetime.date.today()
    monday = today + datetime.timedelta(days=7 + (7 - today.weekday()) % 7)
    while (monday + datetime.timedelta(days=18)).year != monday.year:
        monday += datetime.timedelta(days=7)
    day = lambda n: (monday + datetime.timedelta(days=n)).isoformat()          # noqa: E731
    bob = office.add_user("bob")
    office.ok("config", "set", "leave.allowance", "20")
    office.ok("request", "new", "leave", "--from", day(0), "--to", day(4), token=bob)         # Mon–Fri: 5 days
    office.ok("request", "new", "leave", "--from", day(14), "--to", day(18), token=bob)       # 5 more, two weeks on
    office.ok("request", "new", "leave", "--from", day(21), "--to", day(21), token=bob)       # 1 day, pending
    office.ok("approve", "1", "2")
    year = str(monday.year)
    now = {r["user"]: r for r in office.ok("report", "leave", "--year", year, "--json").json()}["bob"]
    assert (now["taken"], now["planned"], now["pending"], now["remaining"]) == (0, 10, 1, 9), now
    wednesday = (monday + datetime.timedelta(days=2) - today).days
    proc = subprocess.run(["faketime", "-f", f"+{wednesday}d", BIN, "report", "leave", "--year", year, "--json"],
                          cwd=office.home, env=office.env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    then = {r["user"]: r for r in __import__("json").loads(proc.stdout)}["bob"]
    assert (then["taken"], then["planned"], then["pending"], then["remaining"]) == (3, 7, 1, 9), then


def test_an_employee_gets_their_own_summary_and_dashboard(office):
    bob = office.add_user("bob")
    carol = office.add_user("carol")
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "5", "--cost", "8.75", "--per-seat", "--assign", "bob",
              "--assign", "carol")
    office.ok("license", "add", "Secret", "--vendor", "secret.example", "--seats", "1", "--cost", "999.00", "--assign", "carol")
    office.ok("request", "new", "software", "Figma", "--reason", "design", token=bob)
    office.ok("request", "new", "purchase", "Carol's chair", "--cost", "300.00", token=carol)
    office.ok("config", "set", "leave.allowance", "20")
    r = office.ok("report", "summary", token=bob)
    assert "Your seats" in r.out and "Slack" in r.out and "software: Figma" in r.out and "20 of 20 left" in r.out, r.out
    assert "Secret" not in r.out and "chair" not in r.out and "carol" not in r.out, r.out
    mine = office.ok("report", "summary", "--json", token=bob).json()
    assert mine["user"] == "bob" and [s["name"] for s in mine["seats"]] == ["Slack"]
    assert [q["summary"] for q in mine["requests"]] == ["software: Figma"]
    assert mine["leave"]["remaining"] == 20 and mine["leave"]["planned"] == 0
    office.ok("report", "html", "--out", "bob.html", token=bob)
    page = (office.home / "bob.html").read_text()
    assert "Your seats" in page and "Slack" in page and "software: Figma" in page and "Your leave in" in page
    assert "Secret" not in page and "chair" not in page and "999" not in page and "carol" not in page
    office.ok("report", "html", "--out", "all.html")
    assert "Burn by month" in (office.home / "all.html").read_text()        # the admin's is the office's
    scanner = office.add_user("cron", role="scanner")
    assert office.run("report", "summary", token=scanner).rc == 77


def test_out_dir_over_the_remote_protocol_prints_clean_paths(office):
    """Through remote-exec (an ssh stand-in running it on this machine, as this account)."""
    bin_dir = office.home / ".bin"
    bin_dir.mkdir()
    os.symlink(BIN, bin_dir / "owatch")
    ssh = bin_dir / "ssh"
    ssh.write_text('#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done\nshift 2\nexec "$@"\n')
    ssh.chmod(0o755)
    office.add_user("bob")
    env = {"PATH": f"{bin_dir}:{office.env['PATH']}", "OWATCH_REMOTE": "ssh://owatch@office.example"}
    r = office.ok("user", "token", "--all", "--role", "employee", "--out-dir", "laptop/", env=env)
    assert "laptop/bob.token" in r.out and "//" not in r.out + r.err and "Created laptop/" in r.err, r
    assert stat.S_IMODE((office.home / "laptop/bob.token").stat().st_mode) == 0o600
