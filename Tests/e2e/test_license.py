"""Licenses, seats, vendors, renewals, import: every verb, every format, every refusal."""
import csv
import datetime
import io
import json
import os
import re
import subprocess

import pytest

from conftest import BIN, OLDER_SCHEMA, sqlite_only


@pytest.fixture
def inv(office):
    """An office with three employees and a few licenses."""
    for u in ["bob", "carol", "dave"]:
        office.add_user(u, dept="eng")
    office.ok("license", "add", "Slack", "--vendor", "slack", "--plan", "Pro", "--seats", "3", "--cost", "8.75", "--per-seat",
              "--renews", "2030-01-15", "--assign", "bob", "--assign", "carol")
    office.ok("license", "add", "Figma", "--vendor", "FIGMA", "--seats", "5", "--cost", "€540", "--period", "yearly", "--renews", "2030-03-01")
    office.ok("license", "add", "Office", "--vendor", "m365", "--seats", "unlimited", "--cost", "2400", "--period", "24m")
    return office


def licenses(o, *args, token=None):
    return {l["name"]: l for l in o.ok("license", "list", "--json", *args, token=token).json()}


def test_add_and_list_in_every_format(inv):
    ls = licenses(inv)
    slack = ls["Slack"]
    assert slack["vendor"] == "Slack" and slack["seats"] == 3 and slack["assigned"] == 2 and slack["free"] == 1
    assert slack["cost"] == 26.25 and slack["cost_minor"] == 2625 and slack["currency"] == "EUR" and slack["per_seat"] is True
    assert slack["assigned_to"] == ["bob", "carol"] and slack["renews_on"] == "2030-01-15"
    assert ls["Figma"]["monthly_minor"] == 4500 and ls["Figma"]["vendor"] == "Figma"
    assert ls["Office"]["seats"] is None and ls["Office"]["unlimited"] is True and ls["Office"]["monthly"] == 100
    rows = list(csv.DictReader(io.StringIO(inv.ok("license", "list", "--format", "csv").out)))
    assert [r["name"] for r in rows] == ["Figma", "Office", "Slack"] and rows[2]["assigned_to"] == "bob;carol"
    assert set(rows[0].keys()) == set(slack.keys())
    jl = [json.loads(l) for l in inv.ok("license", "list", "--format", "jsonl").out.splitlines()]
    assert [l["name"] for l in jl] == ["Figma", "Office", "Slack"]
    table = inv.ok("license", "list").out.splitlines()
    assert table[0].split()[:3] == ["ID", "NAME", "VENDOR"] and "unlimited" in table[2]
    shown = inv.ok("license", "show", "slack", "--json").json()
    assert shown["name"] == "Slack" and shown["lines"][0]["seats"] == 3
    assert inv.ok("license", "show", str(shown["id"]), "--json").json()["name"] == "Slack"


@pytest.mark.parametrize("cost,period,monthly_minor", [
    ("120", "yearly", 1000), ("1,234.56", "monthly", 123456), ("1.234,56 EUR", "monthly", 123456), ("EUR 12.00", "quarterly", 400),
    ("12,5", "monthly", 1250), ("52", "weekly", 22533), ("2400", "24m", 10000), ("300", "3y", 833), ("999", "one-off", 0),
])
# Run once, on SQLite (make test): the money parser.
@pytest.mark.backend_independent
def test_money_formats_and_exact_monthly(office, cost, period, monthly_minor):
    office.ok("license", "add", "X", "--vendor", "acme", "--seats", "1", "--cost", cost, "--period", period)
    assert licenses(office)["X"]["monthly_minor"] == monthly_minor


def test_currencies_are_never_summed(office):
    office.add_user("bob")
    office.ok("license", "add", "A", "--vendor", "slack", "--seats", "1", "--cost", "$10", "--assign", "bob")
    office.ok("license", "add", "B", "--vendor", "zoom", "--seats", "1", "--cost", "¥1200", "--assign", "bob")
    office.ok("license", "add", "C", "--vendor", "figma", "--seats", "1", "--cost", "5", "--assign", "bob")
    ls = licenses(office)
    assert ls["A"]["currency"] == "USD" and ls["B"]["currency"] == "JPY" and ls["B"]["cost"] == 1200 and ls["B"]["cost_minor"] == 1200
    out = office.ok("license", "list", "--user", "bob").out
    assert "total for bob: 5.00 EUR + 1,200 JPY + 10.00 USD a month" in out
    r = office.run("license", "add", "D", "--vendor", "x", "--seats", "1", "--cost", "£5", "--currency", "EUR")
    assert r.rc == 64 and "GBP" in r.err


BAD_ADDS = [
    (["--seats", "0", "--cost", "1"], 64, "at least 1"),
    (["--seats", "-3", "--cost", "1"], 64, ""),
    (["--seats", "many", "--cost", "1"], 64, "whole number"),
    (["--seats", "2", "--cost", "1", "--currency", "ABC"], 64, "unknown currency"),
    (["--seats", "2", "--cost", "-5"], 64, "negative"),
    (["--seats", "2", "--cost", "12.3456"], 64, "2 decimal"),
    (["--seats", "2", "--cost", "abc"], 64, "cannot read"),
    (["--seats", "2", "--cost", "1", "--renews", "2026-02-30"], 64, "not a date"),
    (["--seats", "2", "--cost", "1", "--period", "fortnightly"], 64, "unknown billing period"),
    (["--seats", "unlimited", "--cost", "1", "--per-seat"], 64, "per-seat"),
    (["--seats", "1", "--cost", "1", "--assign", "bob", "--assign", "carol"], 1, "seat(s)"),
    (["--seats", "1", "--cost", "1", "--owner", "ghost"], 1, "owner"),
    (["--seats", "1"], 64, "--cost"),
]


# Run once, on SQLite (make test): argument checks before any write.
@pytest.mark.backend_independent
@pytest.mark.parametrize("args,rc,needle", BAD_ADDS)
def test_bad_add_refused_and_ledger_unchanged(inv, args, rc, needle):
    before = inv.ok("license", "list", "--json").out
    events = inv.sql("SELECT count(*) FROM events")
    r = inv.run("license", "add", "New", "--vendor", "notion", *args)
    assert r.rc == rc, r
    assert needle in r.err and r.err.startswith("owatch: error:")
    assert inv.ok("license", "list", "--json").out == before
    assert inv.sql("SELECT count(*) FROM events") == events


def test_duplicate_name_refused(inv):
    r = inv.run("license", "add", "slack", "--vendor", "slack", "--seats", "1", "--cost", "1")
    assert r.rc == 1 and "already exists" in r.err


def test_assign_rules(inv):
    inv.ok("license", "assign", "Slack", "dave")
    r = inv.run("license", "assign", "Slack", "alice")
    assert r.rc == 1 and "0 free seat" in r.err and "--grow" in r.err
    r = inv.run("license", "assign", "Slack", "bob")
    assert r.rc == 1 and "already holds" in r.err
    grown = inv.ok("license", "assign", "Slack", "alice", "--grow", "--json").json()
    assert grown["seats"] == 4 and grown["cost_minor"] == 3500 and len(grown["lines"]) == 2
    assert "license.grow" in inv.ok("audit", "log", "--action", "license", "--json").out
    inv.ok("user", "offboard", "dave")
    r = inv.run("license", "assign", "Figma", "dave")
    assert r.rc == 1 and "offboarded" in r.err
    inv.ok("license", "unassign", "Slack", "alice")
    r = inv.run("license", "unassign", "Slack", "alice")
    assert r.rc == 1 and "holds no seat" in r.err
    assert inv.run("license", "assign", "Nope", "bob").rc == 1


def test_grow_edit_cancel_remove(inv):
    g = inv.ok("license", "grow", "Figma", "--seats", "2", "--cost", "200", "--order", "PO-7", "--json").json()
    assert g["seats"] == 7 and g["cost_minor"] == 74000 and g["lines"][1] == {**g["lines"][1], "order": "PO-7", "seats": 2}
    shown = inv.ok("license", "show", "Figma").out
    assert "seats 5, cost 540.00 EUR, purchased on" in shown and "; seats 2, cost 200.00 EUR, order PO-7, purchased on" in shown, shown
    per_seat = inv.ok("license", "grow", "Slack", "--seats", "1", "--json").json()
    assert per_seat["cost_minor"] == 3500   # at the current seat price
    assert inv.run("license", "grow", "Office", "--seats", "1").rc == 1
    assert inv.run("license", "grow", "Figma", "--seats", "0").rc == 64
    e = inv.ok("license", "edit", "Slack", "--cost", "10", "--owner", "bob", "--plan", "Business+", "--json").json()
    assert e["cost_minor"] == 4000 and e["owner"] == "bob" and e["plan"] == "Business+"
    assert inv.run("license", "edit", "Slack").rc == 64
    assert inv.run("license", "edit", "Slack", "--name", "Figma").rc == 1
    c = inv.ok("license", "cancel", "Slack", "--json").json()
    assert c["status"] == "cancelled" and c["ends_on"] == "2030-01-14" and c["renews_on"] is None
    assert inv.run("license", "cancel", "Slack").rc == 1
    assert inv.run("license", "assign", "Slack", "dave").rc == 1
    r = inv.run("license", "remove", "Slack")
    assert r.rc == 1 and "--force" in r.err
    inv.ok("license", "remove", "Slack", "--force")
    inv.ok("license", "remove", "Office")
    assert set(licenses(inv)) == {"Figma"}
    assert "Slack" not in licenses(inv, "--active")


def test_list_filters(inv):
    inv.ok("license", "edit", "Figma", "--owner", "carol")
    assert set(licenses(inv, "--vendor", "figma")) == {"Figma"}
    assert set(licenses(inv, "--vendor", "office 365")) == {"Office"}   # by alias
    assert set(licenses(inv, "--category", "design")) == {"Figma"}
    assert set(licenses(inv, "--owner", "carol")) == {"Figma"}
    assert set(licenses(inv, "--unused")) == {"Slack", "Figma"}
    assert set(licenses(inv, "--user", "bob")) == {"Slack"}
    share = licenses(inv, "--user", "bob")["Slack"]["share"]
    assert share == 8.75
    within = set(licenses(inv, "--renewing-within", "100y"))
    assert within == {"Slack", "Figma", "Office"} - {"Office"} or within == {"Slack", "Figma"}
    assert licenses(inv, "--renewing-within", "1d") == {}


def test_employees_see_only_their_seats_scanners_nothing(inv):
    bob = inv.home / "bob.token"
    assert set(licenses(inv, token=bob)) == {"Slack"}
    r = inv.run("license", "show", "Figma", token=bob)
    assert r.rc == 1 and "not found" in r.err
    assert inv.ok("license", "show", "Slack", "--json", token=bob).json()["name"] == "Slack"
    r = inv.run("license", "list", "--user", "carol", token=bob)
    assert r.rc == 77
    for argv in (["license", "add", "X", "--vendor", "v", "--seats", "1", "--cost", "1"], ["license", "assign", "Slack", "dave"],
                 ["license", "renewals"], ["license", "import", "x.csv"], ["vendor", "list"], ["license", "cancel", "Slack"]):
        assert inv.run(*argv, token=bob).rc == 77, argv
    cron = inv.add_user("cron", role="scanner")
    assert inv.run("license", "list", token=cron).rc == 77


def test_renewals_roll_forward_and_list(office):
    past = (datetime.date.today() - datetime.timedelta(days=40)).isoformat()
    office.ok("license", "add", "Old", "--vendor", "zoom", "--seats", "1", "--cost", "10", "--renews", past)
    nxt = licenses(office)["Old"]["renews_on"]
    assert nxt > datetime.date.today().isoformat() or nxt == datetime.date.today().isoformat()
    due = office.ok("license", "renewals", "--within", "60d", "--json").json()
    assert due[0]["name"] == "Old" and due[0]["amount_minor"] == 1000 and due[0]["days"] <= 31


def test_vendor_catalog(office):
    vendors = office.ok("vendor", "list", "--json").json()
    assert len(vendors) >= 400
    assert all(v["domains"] for v in vendors) and {v["source"] for v in vendors} == {"builtin"}
    # One vendor per name and alias, one per billing domain (intuit.com bills for two, named in the mail).
    from collections import Counter
    names = Counter(n.lower() for v in vendors for n in [v["name"], *v["aliases"]])
    domains = Counter(d for v in vendors for d in v["domains"])
    assert [n for n, c in names.items() if c > 1] == [] and [d for d, c in domains.items() if c > 1] == ["intuit.com"]
    office.ok("vendor", "add", "Acme Analytics", "--domain", "acme-analytics.io", "--alias", "acmea", "--category", "analytics")
    office.ok("license", "add", "AA", "--vendor", "ACMEA", "--seats", "2", "--cost", "1")
    assert licenses(office)["AA"]["vendor"] == "Acme Analytics"
    assert office.run("vendor", "add", "slack").rc == 1
    e = office.ok("vendor", "edit", "Slack", "--domain", "slack-billing.example", "--json").json()
    assert "slack-billing.example" in e["domains"] and e["source"] == "local"
    office.ok("license", "add", "Unknown", "--vendor", "Brand New Tool", "--seats", "1", "--cost", "1")
    assert office.ok("vendor", "list", "--json").json()[0]["name"]


@sqlite_only(OLDER_SCHEMA)
def test_an_older_ledger_gets_the_new_catalog_vendors(office):
    """A ledger made before the catalog grew gets the new vendors when it is opened; a vendor of
    the same name the office added itself keeps its own domains."""
    office.undo_schema_10()
    office.sql("DELETE FROM vendors WHERE name IN ('Retool', 'Vanta', 'Klaviyo'); "
               "ALTER TABLE charges DROP COLUMN currency_assumed; ALTER TABLE findings DROP COLUMN currency_assumed; "
               "DROP TRIGGER renewals_after_license_insert; DROP TRIGGER renewals_after_license_update; DROP TRIGGER renewals_after_config_insert; "
               "DROP TRIGGER renewals_after_config_update; DROP TRIGGER renewals_after_config_delete; PRAGMA user_version = 8;")
    office.sql("INSERT INTO vendors(name, domains, source) VALUES ('Retool', 'retool.internal.example', 'local')")
    vendors = {v["name"]: v for v in office.ok("vendor", "list", "--json").json()}
    assert vendors["Vanta"]["source"] == "builtin" and vendors["Klaviyo"]["domains"] == ["klaviyo.com"]
    assert vendors["Retool"]["source"] == "local" and vendors["Retool"]["domains"] == ["retool.internal.example"]
    office.ok("doctor")


def test_offboard_frees_seats_and_prints_saving(inv):
    r = inv.ok("user", "offboard", "bob", "--json")
    res = r.json()
    assert res["freed_seats"] == ["Slack"] and res["monthly_saving"] == ["8.75 EUR"]
    assert "8.75 EUR a month" in r.err
    assert licenses(inv)["Slack"]["assigned_to"] == ["carol"]
    assert inv.ok("user", "show", "carol", "--json").json()["monthly_cost"] == ["8.75 EUR"]


# --- import ---------------------------------------------------------------

GOOD_CSV = ('\ufeffname,vendor,seats,cost,currency,period,renews_on,owner,assigned,notes\r\n'
            'Zoom,zoom,10,149.90,EUR,monthly,2030-02-01,alice,bob;carol,"multi\r\nline, with ""quotes"""\r\n'
            'Notion,notion.so alias,unlimited,"1.200,00",EUR,yearly,,,,\r\n'
            'GitHub,github,5,"$ 21.00",USD,monthly,,,dave,\r\n')


def write(o, name, text, mode=0o600):
    p = o.home / name
    p.write_bytes(text.encode())
    p.chmod(mode)
    return p


def test_import_csv(inv):
    inv.ok("vendor", "edit", "Notion", "--alias", "notion.so alias")
    r = inv.ok("license", "import", write(inv, "l.csv", GOOD_CSV), "--json")
    assert r.json() == {"licenses": 3, "seats": 3, "dry_run": False}
    ls = licenses(inv)
    assert ls["Zoom"]["assigned_to"] == ["bob", "carol"] and ls["Zoom"]["notes"] == 'multi\r\nline, with "quotes"'
    assert ls["Notion"]["unlimited"] and ls["Notion"]["cost_minor"] == 120000 and ls["Notion"]["vendor"] == "Notion"
    assert ls["GitHub"]["currency"] == "USD" and ls["GitHub"]["cost_minor"] == 2100
    assert inv.ok("audit", "log", "-n", "1", "--json").json()[0]["action"] == "license.import"


def test_import_dry_run_writes_nothing(inv):
    before = inv.ok("license", "list", "--json").out
    r = inv.ok("license", "import", write(inv, "l.csv", GOOD_CSV.replace("notion.so alias", "notion")), "--dry-run", "--json")
    assert r.json()["dry_run"] is True and r.json()["licenses"] == 3
    assert inv.ok("license", "list", "--json").out == before


BAD_CSVS = {
    "unclosed quote": ('name,vendor,seats,cost\nA,slack,1,"5\n', "never closed"),
    "text after quote": ('name,vendor,seats,cost\nA,slack,1,"5"x\n', "after a closing quote"),
    "field count": ("name,vendor,seats,cost\nA,slack,1\n", "line 2: expected 4 fields"),
    "unknown column": ("name,vendor,seats,cost,colour\nA,slack,1,5,red\n", "unknown column 'colour'"),
    "missing column": ("name,vendor,cost\nA,slack,5\n", "no 'seats' column"),
    "zero seats": ("name,vendor,seats,cost\nA,slack,1,5\nB,zoom,0,5\n", "line 3: seats must be at least 1"),
    "bad date": ("name,vendor,seats,cost,renews_on\nA,slack,1,5,2026-13-01\n", "line 2: renews_on"),
    "bad currency": ("name,vendor,seats,cost,currency\nA,slack,1,5,ZZZ\n", "line 2: unknown currency"),
    "dup in file": ("name,vendor,seats,cost\nA,slack,1,5\na,zoom,1,5\n", "line 3: 'a' is also on line 2"),
    "dup in ledger": ("name,vendor,seats,cost\nSlack,slack,1,5\n", "line 2: a license named 'Slack' already exists"),
    "unknown user": ("name,vendor,seats,cost,assigned\nA,slack,2,5,ghost\n", "line 2: cannot assign 'ghost'"),
    "over-assigned": ("name,vendor,seats,cost,assigned\nA,slack,1,5,bob;carol\n", "line 2: 'A' has 1 seat(s)"),
    "empty file": ("", "empty"),
    "header only": ("name,vendor,seats,cost\n", "no licenses"),
}


# Run once, on SQLite (make test): the CSV reader refuses before any write; a bad row at the end of a bulk import runs on PostgreSQL.
@pytest.mark.backend_independent
@pytest.mark.parametrize("case", list(BAD_CSVS))
def test_malformed_import_rejected_whole(inv, case):
    text, needle = BAD_CSVS[case]
    before = inv.ok("license", "list", "--json").out
    good_first = "name,vendor,seats,cost\nGood,slack,1,5\n" if case in ("zero seats",) else ""
    r = inv.run("license", "import", write(inv, "bad.csv", good_first + text if good_first and not text.startswith("name") else text))
    assert r.rc == 65, r
    assert needle in r.err, r.err
    assert inv.ok("license", "list", "--json").out == before


# Run once, on SQLite (make test): the CSV reader's messages.
@pytest.mark.backend_independent
def test_every_bad_row_is_reported(inv):
    text = "name,vendor,seats,cost\nA,slack,0,5\nB,zoom,2,5\nC,zoom,x,5\nD,zoom,1,-1\n"
    r = inv.run("license", "import", write(inv, "bad.csv", text))
    assert r.rc == 65 and "3 bad row(s)" in r.err
    assert "line 2:" in r.err and "line 4:" in r.err and "line 5:" in r.err and "line 3:" not in r.err
    assert "B" not in licenses(inv)


def big_csv(n, clash_at={}):
    """n licenses; `clash_at` maps rows to names the `inv` ledger already has (case changed)."""
    rows = ["name,vendor,seats,cost,period,renews_on,assigned"]
    for i in range(n):
        name = clash_at.get(i, f"Bulk {i:05d}")
        holders = ";".join(["bob", "carol", "dave"][: i % 4])
        seats = "unlimited" if i % 97 == 0 else str(3 + i % 5)
        rows.append(f"{name},{['slack', 'zoom', 'Brand New Vendor'][i % 3]},{seats},{i % 1000}.{i % 100:02d},{['monthly', 'yearly', '24m'][i % 3]},2031-0{1 + i % 9}-1{i % 10},{holders}")
    return "\n".join(rows) + "\n"


def test_bulk_import_spans_many_statements(inv):
    """2,500 rows: several statements and chunks of rows. Every license comes back with its seats, holders and price."""
    before = licenses(inv)
    r = inv.ok("license", "import", write(inv, "big.csv", big_csv(2500)), "--json")
    assert r.json() == {"licenses": 2500, "seats": sum(i % 4 for i in range(2500)), "dry_run": False}
    ls = licenses(inv)
    assert len(ls) == len(before) + 2500
    for i in (0, 1, 2, 3, 96, 97, 998, 999, 1000, 1001, 2499):
        l = ls[f"Bulk {i:05d}"]
        assert l["assigned_to"] == ["bob", "carol", "dave"][: i % 4], (i, l)
        assert l["seats"] == (None if i % 97 == 0 else 3 + i % 5) and l["unlimited"] == (i % 97 == 0)
        assert l["lines"][0]["cost_minor"] == (i % 1000) * 100 + i % 100 and l["vendor"] == ["Slack", "Zoom", "Brand New Vendor"][i % 3]
    assert len({l["id"] for l in ls.values()}) == len(ls)
    assert inv.ok("doctor").rc == 0


def test_bulk_import_reports_every_taken_name(inv):
    """Names the ledger already has, found by the unique index in different chunks: each row named
    by its line, and nothing written."""
    before = inv.ok("license", "list", "--json").out
    r = inv.run("license", "import", write(inv, "big.csv", big_csv(2500, clash_at={10: "sLACK", 1500: "figma", 2499: "OFFICE"})))
    assert r.rc == 65 and "3 bad row(s)" in r.err, r
    assert "line 12: a license named 'sLACK' already exists" in r.err and "line 1502:" in r.err and "line 2501:" in r.err
    assert inv.ok("license", "list", "--json").out == before


def test_bulk_import_broken_at_the_end_writes_nothing(inv):
    """Rows are written a thousand at a time as they are read; a broken last line rolls them all back."""
    before = inv.ok("license", "list", "--json").out
    r = inv.run("license", "import", write(inv, "big.csv", big_csv(2500) + 'Last,slack,1,"5\n'))
    assert r.rc == 65 and "never closed" in r.err, r
    assert inv.ok("license", "list", "--json").out == before
    assert inv.ok("audit", "verify").rc == 0


# Run once, on SQLite (make test): the import's file argument.
@pytest.mark.backend_independent
def test_import_missing_file_and_stdin(inv):
    assert inv.run("license", "import", "nope.csv").rc == 66
    r = inv.ok("license", "import", "-", input="name,vendor,seats,cost\nFromStdin,slack,2,3\n")
    assert licenses(inv)["FromStdin"]["seats"] == 2


def test_json_export_import_roundtrip(inv):
    from conftest import Office
    (inv.home / "second").mkdir()
    bare = Office(inv.home / "second")
    inv.ok("license", "grow", "Figma", "--seats", "2", "--cost", "99.99", "--order", "PO-1")
    inv.ok("license", "assign", "Office", "dave")
    export = inv.ok("license", "list", "--json").out
    bare.ok("init", "--org", "Other", "--admin", "alice")
    for u in ["bob", "carol", "dave"]:
        bare.add_user(u)
    bare.ok("license", "import", write(bare, "inv.json", export))
    strip = lambda rows: [{k: v for k, v in r.items() if k != "id"} for r in json.loads(rows)]
    assert strip(bare.ok("license", "list", "--json").out) == strip(export)


# --- renewal hooks --------------------------------------------------------

def test_license_renewing_fires_once_per_lead(office):
    office.install_hook("license-renewing", f'cat >> "{office.home}/fired.jsonl"; echo >> "{office.home}/fired.jsonl"\n')
    office.ok("config", "set", "renewals.notify", "30d,7d,1d")
    soon = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    office.ok("license", "add", "Soon", "--vendor", "zoom", "--seats", "1", "--cost", "10", "--renews", soon)
    office.ok("whoami")
    office.ok("whoami")
    fired = [json.loads(l) for l in (office.home / "fired.jsonl").read_text().splitlines() if l.strip()]
    assert sorted(f["lead"] for f in fired) == ["30d", "7d"]
    assert all(f["license"] == "Soon" and f["renews_on"] == soon and f["cost_minor"] == 1000 for f in fired)
    assert len(office.ok("audit", "log", "--action", "license.renewing", "--json").json()) == 2
    # The event is the renewal's row as `license renewals --json` has it, plus what the reminder adds.
    row = office.ok("license", "renewals", "--json").json()[0]
    assert all(fired[0][k] == v for k, v in row.items()), (fired[0], row)
    assert list(fired[0])[0] == "event" and fired[0]["event"] == "license-renewing"


def test_a_moved_renewal_is_looked_at_again(office):
    """The next reminder check is remembered so most commands read nothing; whatever moves a
    renewal (an edit, an import, even an edit outside owatch) makes the next command look again."""
    office.install_hook("license-renewing", f'cat >> "{office.home}/fired.jsonl"; echo >> "{office.home}/fired.jsonl"\n')
    far = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
    soon = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    office.ok("license", "add", "Later", "--vendor", "zoom", "--seats", "1", "--cost", "10", "--renews", far)
    office.ok("license", "add", "Other", "--vendor", "slack", "--seats", "1", "--cost", "10", "--renews", far)
    office.ok("whoami")
    assert not (office.home / "fired.jsonl").exists()
    fired = lambda: sorted((f["license"], f["lead"]) for f in (json.loads(l) for l in (office.home / "fired.jsonl").read_text().splitlines() if l.strip()))
    office.ok("license", "edit", "Later", "--renews", soon)
    office.ok("whoami")
    assert fired() == [("Later", "30d"), ("Later", "7d")]
    office.sql(f"UPDATE licenses SET renews_on = '{soon}' WHERE name = 'Other'")
    office.ok("whoami")
    assert fired() == [("Later", "30d"), ("Later", "7d"), ("Other", "30d"), ("Other", "7d")]


def test_failing_renewal_hook_warns(office):
    office.install_hook("license-renewing", "exit 3\n")
    soon = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    r = office.ok("license", "add", "Soon", "--vendor", "zoom", "--seats", "1", "--cost", "10", "--renews", soon)
    assert "hook license-renewing exited 3" in r.err
    assert "Soon" in licenses(office)


def test_license_names_get_did_you_mean_and_quoted_hints(office):
    office.ok("license", "add", "Adobe CC", "--vendor", "adobe", "--seats", "2", "--cost", "10")
    for wrong in ("Adobe", "Adobe Cc ", "Adobee CC"):
        r = office.run("license", "show", wrong)
        assert r.rc == 1 and "did you mean 'Adobe CC'?" in r.err, (wrong, r)
    r = office.run("license", "list", "--user", "ghost")
    assert r.rc == 1 and "user 'ghost' not found" in r.err


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


@pytest.fixture
def every_field(office):
    """Licenses that between them fill every field of `license list`: contract terms, an owner,
    several purchase lines, holders, an unlimited and a cancelled one, one billed by usage, notes
    a CSV cell must quote and a JSON string must escape. Dates lie far ahead, so no renewal rolls."""
    for u in ["bob", "carol"]:
        office.add_user(u, dept="eng")
    office.ok("license", "add", "CRM", "--vendor", "hubspot", "--plan", 'Pro "Team"', "--seats", "5", "--cost", "900", "--period", "yearly",
              "--renews", "2031-03-01", "--notice", "3m", "--send-by", "5d", "--owner", "carol", "--category", "Sales",
              "--notes", 'line one\nline two, "quoted" é\t=1+1 \u2028', "--order", "PO-1", "--assign", "bob", "--assign", "carol",
              "--lead", "90d,30d")
    office.ok("license", "grow", "CRM", "--seats", "2", "--cost", "310.50", "--order", "PO-2", "--on", "2030-05-02")
    office.ok("license", "add", "Office", "--vendor", "m365", "--seats", "unlimited", "--cost", "2400", "--period", "24m",
              "--renews", "2031-06-15", "--no-auto-renew", "--term-end", "2032-06-14")
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8.75", "--per-seat", "--renews", "2031-01-15",
              "--minimum-term", "24m", "--then", "monthly", "--assign", "bob")
    office.ok("license", "cancel", "Slack", "--on", "2030-12-31", "-y")
    office.ok("license", "add", "=API", "--vendor", "openai", "--usage-billed", "--cost", "$120.5", "--currency", "USD")
    return office



def months_later(day, months):
    """`day` plus whole months, the day of month clamped as owatch clamps it (31 Jan + 1m: 28/29 Feb)."""
    y, m = divmod(day.month - 1 + months, 12)
    y, m = day.year + y, m + 1
    last = (datetime.date(y + m // 12, m % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(y, m, min(day.day, last)).isoformat()


# `license list` of `every_field` as JSON lines (<TODAY>: the day the licenses were added;
# <RENEW>: the end of Slack's 24-month minimum term counted from it).
EVERY_FIELD_JSONL = [
    '{"id":4,"name":"=API","vendor":"OpenAI","plan":null,"category":"ai","seats":null,"unlimited":true,"assigned":0,"free":null,'
    '"cost":120.50,"cost_minor":12050,"currency":"USD","period":"monthly","per_seat":false,"billing":"usage","monthly":120.50,'
    '"monthly_minor":12050,"renews_on":null,"cancel_by":null,"notice":null,"send_by":null,"auto_renew":true,"term_end":null,'
    '"minimum_term":null,"term_start":null,"then":null,"leads":null,"decision":null,"owner":null,"status":"active","ends_on":null,'
    '"notes":null,"assigned_to":[],"lines":[{"seats":null,"cost":120.50,"cost_minor":12050,"order":null,"purchased_on":"<TODAY>"}]}',
    '{"id":1,"name":"CRM","vendor":"HubSpot","plan":"Pro \\"Team\\"","category":"sales","seats":7,"unlimited":false,"assigned":2,'
    '"free":5,"cost":1210.50,"cost_minor":121050,"currency":"EUR","period":"yearly","per_seat":false,"billing":"seats",'
    '"monthly":100.88,"monthly_minor":10088,"renews_on":"2031-03-01","cancel_by":"2030-11-26","notice":"3m","send_by":"5d",'
    '"auto_renew":true,"term_end":null,"minimum_term":null,"term_start":null,"then":null,"leads":"90d,30d","decision":null,'
    '"owner":"carol","status":"active","ends_on":null,"notes":"line one\\nline two, \\"quoted\\" \u00e9\\t=1+1 \\u2028",'
    '"assigned_to":["bob","carol"],"lines":[{"seats":5,"cost":900.00,"cost_minor":90000,"order":"PO-1","purchased_on":"<TODAY>"},'
    '{"seats":2,"cost":310.50,"cost_minor":31050,"order":"PO-2","purchased_on":"2030-05-02"}]}',
    '{"id":2,"name":"Office","vendor":"Microsoft 365","plan":null,"category":"productivity","seats":null,"unlimited":true,'
    '"assigned":0,"free":null,"cost":2400.00,"cost_minor":240000,"currency":"EUR","period":"24m","per_seat":false,"billing":"seats",'
    '"monthly":100.00,"monthly_minor":10000,"renews_on":null,"cancel_by":null,"notice":null,"send_by":null,"auto_renew":false,'
    '"term_end":"2032-06-14","minimum_term":null,"term_start":null,"then":null,"leads":null,"decision":null,"owner":null,'
    '"status":"active","ends_on":null,"notes":null,"assigned_to":[],'
    '"lines":[{"seats":null,"cost":2400.00,"cost_minor":240000,"order":null,"purchased_on":"<TODAY>"}]}',
    '{"id":3,"name":"Slack","vendor":"Slack","plan":null,"category":"communication","seats":3,"unlimited":false,"assigned":1,"free":2,'
    '"cost":26.25,"cost_minor":2625,"currency":"EUR","period":"monthly","per_seat":true,"billing":"seats","monthly":26.25,'
    '"monthly_minor":2625,"renews_on":"<RENEW>","cancel_by":null,"notice":null,"send_by":null,"auto_renew":true,"term_end":null,'
    '"minimum_term":"24m","term_start":"<TODAY>","then":"monthly","leads":null,"decision":null,"owner":null,"status":"cancelled",'
    '"ends_on":"2030-12-31","notes":null,"assigned_to":["bob"],'
    '"lines":[{"seats":3,"cost":26.25,"cost_minor":2625,"order":null,"purchased_on":"<TODAY>"}]}',
]

EVERY_FIELD_CSV = (
    "id,name,vendor,plan,category,seats,unlimited,assigned,free,cost,cost_minor,currency,period,per_seat,billing,monthly,"
    "monthly_minor,renews_on,cancel_by,notice,send_by,auto_renew,term_end,minimum_term,term_start,then,leads,decision,owner,status,"
    "ends_on,notes,assigned_to,lines\r\n"
    "4,'=API,OpenAI,,ai,,true,0,,120.50,12050,USD,monthly,false,usage,120.50,12050,,,,,true,,,,,,,,active,,,,"
    '"{""seats"":null,""cost"":120.50,""cost_minor"":12050,""order"":null,""purchased_on"":""<TODAY>""}"\r\n'
    '1,CRM,HubSpot,"Pro ""Team""",sales,7,false,2,5,1210.50,121050,EUR,yearly,false,seats,100.88,10088,2031-03-01,2030-11-26,3m,5d,'
    'true,,,,,"90d,30d",,carol,active,,"line one\nline two, ""quoted"" \u00e9\t=1+1 \u2028",bob;carol,'
    '"{""seats"":5,""cost"":900.00,""cost_minor"":90000,""order"":""PO-1"",""purchased_on"":""<TODAY>""};'
    '{""seats"":2,""cost"":310.50,""cost_minor"":31050,""order"":""PO-2"",""purchased_on"":""2030-05-02""}"\r\n'
    "2,Office,Microsoft 365,,productivity,,true,0,,2400.00,240000,EUR,24m,false,seats,100.00,10000,,,,,false,2032-06-14,,,,,,,"
    'active,,,,"{""seats"":null,""cost"":2400.00,""cost_minor"":240000,""order"":null,""purchased_on"":""<TODAY>""}"\r\n'
    "3,Slack,Slack,,communication,3,false,1,2,26.25,2625,EUR,monthly,true,seats,26.25,2625,<RENEW>,,,,true,,24m,<TODAY>,monthly,,,,"
    'cancelled,2030-12-31,,bob,"{""seats"":3,""cost"":26.25,""cost_minor"":2625,""order"":null,""purchased_on"":""<TODAY>""}"\r\n'
)

EVERY_FIELD_TABLE = """\
ID  NAME    VENDOR             SEATS  ASSIGNED          COST  PERIOD      MONTHLY  RENEWS_ON   CANCEL_BY   STATUS
 4  =API    OpenAI         unlimited         0    120.50 USD  monthly  120.50 USD  -           -           active
 1  CRM     HubSpot                7         2  1,210.50 EUR  yearly   100.88 EUR  2031-03-01  2030-11-26  active
 2  Office  Microsoft 365  unlimited         0  2,400.00 EUR  24m      100.00 EUR  -           -           active
 3  Slack   Slack                  3         1     26.25 EUR  monthly   26.25 EUR  <RENEW>  -           cancelled
"""


def test_list_is_byte_for_byte_the_same_in_every_format(every_field):
    """Every field and its order, every format, byte for byte: a list is written row by row
    straight from the ledger's rows (bench: 10,000 licenses), and none of that may show."""
    today = datetime.date.today()
    dated = {"TODAY": today.isoformat(), "RENEW": months_later(today, 24)}

    def expected(text):
        return re.sub("<(TODAY|RENEW)>", lambda m: dated[m.group(1)], text)

    def listed(*args):
        proc = subprocess.run([BIN, "license", "list", *args], cwd=every_field.home, env=every_field.env, capture_output=True)
        assert proc.returncode == 0 and proc.stderr == b"", proc
        return proc.stdout.decode()

    rows = [expected(r) for r in EVERY_FIELD_JSONL]
    assert listed("--format", "jsonl") == "".join(r + "\n" for r in rows)
    assert listed("--json") == "[\n" + ",\n".join(rows) + "\n]\n"
    assert listed("--format", "csv") == expected(EVERY_FIELD_CSV)
    assert listed() == expected(EVERY_FIELD_TABLE)
    # A filter picks rows, never fields.
    assert listed("--format", "jsonl", "--vendor", "hubspot") == rows[1] + "\n"
    assert listed("--json", "--unused", "--active") == "[\n" + rows[1] + "\n]\n"
    # Nothing listed: the JSON array and the CSV header stay.
    assert listed("--json", "--vendor", "zoom") == "[]\n"
    assert listed("--format", "csv", "--vendor", "zoom") == expected(EVERY_FIELD_CSV).split("\r\n")[0] + "\r\n"
