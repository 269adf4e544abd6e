"""Issue 33, tables that fit: every list and report table, on a pseudo-terminal 60, 80 and 120
columns wide, in an office with long names and large amounts in four currencies, fits the
terminal; every amount and every date it shows is whole (compared with what --json says),
never cut with "…": a column gives way by being dropped, and only words are cut."""
import datetime
import decimal
import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import termios
from pathlib import Path

import pytest

from conftest import BIN, Office, at, read_until_closed

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.date.today()
DOMAIN = "internationale-handelsgesellschaft.example"
WIDTHS = (60, 80, 120)


def ahead(days):
    return (TODAY + datetime.timedelta(days=days)).isoformat()


def ago(days):
    return (TODAY - datetime.timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """An office whose names are long and whose amounts are large, in EUR, USD, GBP and JPY."""
    o = Office(tmp_path_factory.mktemp("tables"))
    o.ok("init", "--org", "Internationale Handelsgesellschaft Schulz & Partner mbH", "--admin", "alice", "--currency", "EUR")
    for name, dept in (("bob.longname-van-der-berg", "sales and business development"), ("carol", "engineering"),
                       ("dave", None), ("erin.schulz-hoffmann", "marketing and communications")):
        args = ["user", "add", name, "--role", "employee", "--email", f"{name}@{DOMAIN}",
                "--full-name", f"{name.title()} Maximilian Mustermann", "--token-out", o.home / f"{name}.token"]
        o.ok(*args, *(["--dept", dept] if dept else []))
    o.ok("user", "add", "cron", "--role", "scanner")
    o.ok("license", "add", "Adobe Creative Cloud All Apps for Teams (design department)", "--vendor", "adobe",
         "--plan", "Business Enterprise Edition", "--seats", "25", "--cost", "1234567.89", "--period", "yearly",
         "--renews", ahead(40), "--owner", "alice", "--notes", "negotiated by procurement in March; ask Erin before adding seats",
         "--assign", "carol", "--assign", "bob.longname-van-der-berg")
    o.ok("license", "add", "Microsoft 365 E5 (whole company, every subsidiary)", "--vendor", "m365", "--seats", "unlimited",
         "--cost", "2918.04", "--currency", "USD", "--period", "24m", "--renews", ahead(300), "--assign", "dave")
    # Slack's seats were given 100 days ago, so idle ones are judged (a seat is, once usage.inactive has passed).
    at(o, -100, "license", "add", "Slack Enterprise Grid", "--vendor", "slack", "--seats", "120", "--cost", "60.00", "--per-seat",
       "--currency", "GBP", "--renews", ahead(10), "--assign", "erin.schulz-hoffmann", "--assign", "carol", "--assign", "dave",
       "--assign", "bob.longname-van-der-berg")
    o.ok("license", "add", "Zoom Workplace Business Plus", "--vendor", "zoom", "--seats", "3", "--cost", "¥98765432",
         "--currency", "JPY", "--period", "quarterly", "--renews", ahead(70))
    for cur, rate in (("USD", "0.9210"), ("GBP", "1.1420"), ("JPY", "0.0061")):
        o.ok("rate", "set", cur, "EUR", rate, "--on", ago(400))
    o.ok("config", "set", "base_currency", "EUR")
    o.ok("charge", "add", "notion", "98765.43", "--on", ago(20),
         "--note", "paid by bank transfer after the card was declined twice in a row")
    o.ok("charge", "add", "slack", "7200.00 GBP", "--on", ago(5), "--license", "Slack Enterprise Grid", "--note", "annual true-up")
    (o.home / "usage.csv").write_text(f"email,last_active\ncarol@{DOMAIN},{ago(200)}\nerin.schulz-hoffmann@{DOMAIN},{ago(3)}\n")
    o.ok("usage", "import", "Slack Enterprise Grid", "usage.csv")
    o.ok("scan", "source", "add", ROOT / "examples/mail/receipts.mbox")
    o.ok("scan")
    # A receipt owatch is not sure of (two totals under one label): one charge waiting for review.
    o.ok("config", "set", "scan.review_below", "0.6")
    (o.home / "unsure.eml").write_text("From: Billing <billing@notion.so>\nSubject: Your receipt for the Notion Enterprise plan\n"
                                       "Message-ID: <unsure@notion.so>\n\nReceipt\nTotal: 1234.50 EUR\nThanks\nTotal: 12345.00 EUR\n")
    o.ok("scan", o.home / "unsure.eml")
    bob = o.home / "bob.longname-van-der-berg.token"
    o.ok("request", "new", "software", "Figma Professional for the brand refresh", "--cost", "15000", "--period", "yearly",
         "--reason", "design reviews with the agency during the brand refresh project next spring", token=bob)
    o.ok("request", "new", "leave", "--from", ahead(30), "--to", ahead(44), "--note", "family visit abroad", token=bob)
    o.ok("request", "new", "purchase", "USB-C docking station with dual 4K output", "--cost", "18900.00",
         "--reason", "new desk", token=bob)
    o.ok("request", "new", "leave", "--from", ahead(60), "--to", ahead(62), token=o.home / "carol.token")
    o.ok("approve", "4")
    o.ok("budget", "set", "--org", "50000/month")
    o.ok("budget", "set", "--dept", "sales and business development", "1234567.89/month")
    o.ok("budget", "set", "--vendor", "slack", "5000 GBP/month")
    url = o.home / "slack.url"
    url.write_text("https://hooks.slack.example/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX\n")
    url.chmod(0o600)
    o.ok("notify", "add", "slack", "office-announcements-and-renewals", "--url-file", url, "--events", "digest")
    return o


# Every command `owatch help` lists whose output is a table of rows, with what it is run as.
TABLES = {
    "user list": [[]],
    "token list": [[]],
    "license list": [[], ["--user", "bob.longname-van-der-berg"], ["--catalog"]],
    "license renewals": [["--within", "400d"]],
    "vendor list": [[]],
    "request list": [["--all"]],
    "approve": [[]],
    "scan source": [["list"]],
    "scan findings": [[], ["--all"]],
    "scan review": [[]],
    "scan eval": [[str(ROOT / "examples/eval/labels.tsv"), "--dir", str(ROOT / "Tests/corpus/pdf")]],
    "usage list": [[]],
    "charge list": [[]],
    "rate list": [[], ["--all"]],
    "budget list": [[]],
    "notify list": [[]],
    "report budget": [[], ["--from", ago(400)[:7]]],
    "report burn": [[], ["--by", "vendor"], ["--by", "dept"]],
    "report reclaim": [[]],
    "report digest": [[], ["--since", "30d"]],
    "report renewals": [["--within", "400d"]],
    "report utilization": [[]],
    "report shadow": [[]],
    "report leave": [[]],
    "report forecast": [[]],
    "config list": [[]],
    "audit log": [[]],
}
# Listed by `owatch help` but printing no table of rows: a record, prose, a file, or nothing.
NOT_TABLES = {"report summary", "report html", "report calendar"}


def on_a_terminal(office, args, columns, token=None):
    """stdout on a pseudo-terminal `columns` wide, as a person sees it."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    cmd = [BIN] + (["--token", str(token)] if token else []) + [str(a) for a in args]
    proc = subprocess.Popen(cmd, cwd=office.home, env={**office.env, "NO_COLOR": "1"}, stdout=follower,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(follower)
    seen = read_until_closed(leader)
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert proc.returncode == 0, (args, err)
    return seen.decode("utf-8").replace("\r\n", "\n")


def money_display(text, currency):
    """An amount as owatch shows it: 1,234,567.89 EUR (the digits JSON gives, grouped)."""
    negative = text.startswith("-")
    whole, _, frac = text.lstrip("-").partition(".")
    return ("-" if negative else "") + f"{int(whole):,}" + ("." + frac if frac else "") + " " + currency


DATE = re.compile(r"^\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}Z)?)?$")


def whole_values(row, header):
    """What of a JSON row its table line must show whole, as patterns: each amount (with its
    currency) and date in a shown column. A row whose first amount is null has a null `currency`
    (the JSON money rule), so its other amounts are matched with any currency code."""
    out = []
    for key in header:
        k = key.lower()
        v = row.get(k)
        if isinstance(v, decimal.Decimal) and f"{k}_minor" in row:
            currency = row.get("currency")
            shown = money_display(str(v), currency or "XXX")
            out.append(re.escape(shown) if currency else re.escape(shown[:-3]) + "[A-Z]{3}")
        elif isinstance(v, str) and DATE.match(v):
            out.append(re.escape(v))
    return out


def check(office, name, args, columns, token=None):
    shown = on_a_terminal(office, [*name.split(), *args], columns, token)
    rows = json.loads(office.ok(*name.split(), *args, "--json", token=token).out, parse_float=decimal.Decimal)
    lines = shown.rstrip("\n").split("\n")
    where = f"{name} {' '.join(args)} at {columns}"
    assert rows, f"{where}: the fixture should give this list rows"
    header = lines[0].split()
    assert header and all(h.isupper() or h.endswith("…") for h in header), (where, lines[0])
    body = lines[1:1 + len(rows)]
    assert len(body) == len(rows), (where, shown)
    everything = set()
    for row, line in zip(rows, body):
        for value in whole_values(row, header):
            assert re.search(r"(^|\s)" + value + r"($|\s)", line), f"{where}: {value!r} is not whole in {line!r}"
        everything |= {v.replace("\\", "") for v in whole_values(row, [k.upper() for k in row]) if "[" not in v}
    # Nothing cut is the start of an amount or a date the list holds: only words are cut.
    for line in lines:
        for cut in re.findall(r"(\S[^…]*?)…", line):
            fragment = cut.split("  ")[-1].strip()
            for value in everything:
                assert not (fragment and value.startswith(fragment)), f"{where}: {value!r} was cut in {line!r}"
    too_wide = [l for l in lines if len(l) > columns]
    assert not too_wide, (where, too_wide)
    return header, lines


def test_the_list_of_tables_is_every_list_and_report_in_help(bare):
    listed = set()
    for line in bare.run("help").out.splitlines():
        m = re.match(r"^  ([a-z]+(?: [a-z]+)?)\s{2,}", line)
        if m:
            listed.add(m.group(1))
    tables = {c for c in listed if c.endswith(" list") or c.startswith("report ") or c in ("approve", "scan findings",
                                                                                               "license renewals", "scan source", "audit log",
                                                                                               "scan eval", "scan review")}
    assert tables - NOT_TABLES == set(TABLES), sorted((tables - NOT_TABLES) ^ set(TABLES))


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_fits_and_shows_amounts_and_dates_whole(big, name, columns):
    for args in TABLES[name]:
        check(big, name, args, columns)


@pytest.mark.parametrize("columns", WIDTHS)
def test_an_employees_tables_fit_too(big, columns):
    bob = big.home / "bob.longname-van-der-berg.token"
    for name, args in (("license list", []), ("request list", []), ("report leave", [])):
        check(big, name, args, columns, token=bob)


def test_narrow_tables_keep_the_name_and_the_money_and_drop_details_first(big):
    header, lines = check(big, "license list", [], 60)
    assert header[:2] == ["ID", "NAME"] and "MONTHLY" in header and "RENEWS_ON" in header
    assert "COST" not in header and "PERIOD" not in header                  # the contract's terms go before the monthly cost
    assert any("Adobe Creative Cloud" in l for l in lines)                    # a name keeps enough of itself to be told apart
    header, _ = check(big, "license list", [], 120)
    assert {"PERIOD", "VENDOR", "STATUS", "ASSIGNED"} <= set(header)
    header, lines = check(big, "report reclaim", [], 60)
    assert {"LICENSE", "USER", "MONTHLY"} <= set(header)
    header, lines = check(big, "scan findings", [], 60)
    assert {"AMOUNT", "MONTHLY", "SUMMARY"} <= set(header) and any("…" in l for l in lines)   # the summary is what is cut


def test_wide_shows_every_column_whole_and_columns_are_never_dropped(big):
    out = on_a_terminal(big, ["license", "list", "--wide"], 80)
    header = out.split("\n")[0].split()
    assert {"PLAN", "NOTES", "OWNER", "ASSIGNED_TO"} <= set(header)
    assert "…" not in out and "Adobe Creative Cloud All Apps for Teams (design department)" in out
    out = on_a_terminal(big, ["license", "list", "--columns", "name,cost,period,vendor,plan"], 60)
    lines = out.rstrip("\n").split("\n")
    assert lines[0].split() == ["NAME", "COST", "PERIOD", "VENDOR", "PLAN"]     # chosen columns all stay
    assert all(len(l) <= 60 for l in lines) and "1,234,567.89 EUR" in out        # words cut, the amount whole


@pytest.mark.parametrize("columns", WIDTHS)
def test_totals_and_the_summary_fit_without_breaking_an_amount(big, columns):
    money = re.compile(r"-?\d[\d,]*(?:\.\d+)? [A-Z]{3}\b")
    for args, table in ((["report", "summary"], False), (["report", "reclaim"], True), (["report", "utilization"], True),
                        (["report", "burn"], True), (["license", "list", "--user", "bob.longname-van-der-berg"], True)):
        shown = on_a_terminal(big, args, columns)
        lines = shown.rstrip("\n").split("\n")
        assert all(len(l) <= columns for l in lines), (args, columns, [l for l in lines if len(l) > columns])
        # What is under the table (or the whole summary) has the amounts it has piped, where nothing is broken.
        rows = len(big.ok(*args, "--json").json()) + 1 if table else 0
        piped = big.ok(*args).out.split("\n")
        under, under_piped = "\n".join(lines[rows:]), "\n".join(piped[rows:])
        assert money.findall(under) == money.findall(under_piped), (args, columns)


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


def columns_of(text):
    """How many terminal columns a line takes, by Python's unicodedata: East Asian Wide and Fullwidth
    characters and emoji take two, combining marks none."""
    import unicodedata
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or ch == "\ufe0f":
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def test_wide_characters_take_two_columns(office):
    """Chinese, Japanese, Korean and emoji names are drawn two columns wide: the columns after them stay in line,
    on a narrow terminal too (a cut never ends half a character past the edge)."""
    names = ["Tool 日本語 🚀", "Zoë Ångström", "한국어 도구", "Plain"]
    for n in names:
        office.ok("license", "add", n, "--vendor", "acme", "--seats", "1", "--cost", "10")
    for argv in (["license", "list", "--columns", "name,vendor,seats"], ["license", "list"]):
        for width in (None, 40, 60):
            if width is None:
                out = office.ok(*argv).out
            else:
                rc, out, err = table_on_a_terminal(office, argv, columns=width)
                assert rc == 0, err
            lines = [l for l in out.split("\n") if l.strip()]
            if width:
                assert all(columns_of(l) <= width for l in lines), (width, lines)
            if argv[-1] == "name,vendor,seats":
                # VENDOR starts at one column on every line
                starts = {columns_of(l[:l.index("acme") if "acme" in l else l.index("VENDOR")]) for l in lines}
                assert len(starts) == 1, (width, lines)
