"""Every key a command writes with --json is documented in its noun's man page (OUTPUT): the
man page is what people read before they pipe owatch into jq. Money fields X carry X_minor and
currency, and with a base currency X_base and X_base_minor (said once in each OUTPUT section)."""
import re
import shutil

from conftest import ROOT
import pytest

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent


def documented(noun):
    text = (ROOT / "man" / f"owatch-{noun}.1").read_text()
    if ".Sh OUTPUT" not in text:
        return set()
    section = text.split(".Sh OUTPUT", 1)[1].split("\n.Sh ", 1)[0]
    keys = set()
    for line in section.splitlines():
        if line.startswith(".It Sy "):
            keys.update(k.strip() for k in line[len(".It Sy "):].split(","))
    return keys


def allowed(key, keys):
    if key in keys or key == "currency":
        return True
    for suffix in ("_minor", "_base_minor", "_base"):
        if key.endswith(suffix) and key[: -len(suffix)] in keys:
            return True
    return key in ("base", "base_minor", "base_currency", "rate_date") and "base" in keys


def records(value):
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return [value] if isinstance(value, dict) else []


def test_every_json_key_is_in_its_man_page(office):
    home = office.home
    bob = office.add_user("bob", "employee", dept="sales")
    office.ok("user", "add", "carol", "--role", "employee", "--email", "carol@acme.example")
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8.75", "--per-seat", "--renews", "2027-01-01",
              "--assign", "carol")
    office.ok("license", "add", "Figma", "--vendor", "figma", "--seats", "2", "--cost", "540", "--period", "yearly", "--renews", "2026-12-20")
    office.ok("--token", bob, "request", "new", "software", "Figma", "--reason", "reviews")
    office.ok("--token", bob, "request", "new", "leave", "--from", "2027-03-01", "--to", "2027-03-05")
    office.ok("approve", "1", "-m", "ok")
    shutil.copy(ROOT / "examples" / "mail" / "receipts.mbox", home / "receipts.mbox")
    shutil.copy(ROOT / "examples" / "statements" / "card.csv", home / "card.csv")
    office.ok("scan", "source", "add", home / "receipts.mbox")
    office.run("scan", "-q")
    office.ok("rate", "set", "USD", "EUR", "0.9", "--on", "2026-11-01")
    office.ok("config", "set", "base_currency", "EUR")
    shutil.copy(ROOT / "examples" / "people" / "google-users.csv", home / "google.csv")
    office.ok("user", "sync", home / "google.csv", "-q")
    (home / "usage.csv").write_text("email,last_active\ncarol@acme.example,2026-01-02\n")
    office.ok("usage", "import", "Slack", home / "usage.csv", "-q")
    commands = [
        ["whoami"], ["user", "list"], ["user", "show", "carol"], ["token", "list"], ["license", "list"], ["license", "show", "Slack"],
        ["license", "renewals", "--within", "400d"], ["vendor", "list"], ["request", "list"], ["approve"], ["charge", "list"],
        ["charge", "show", "1"], ["scan", "findings"], ["scan", "source", "list"], ["rate", "list"], ["usage", "list"],
        ["report", "burn"], ["report", "renewals"], ["report", "utilization"], ["report", "shadow"], ["report", "leave", "--year", "2027"],
        ["report", "forecast"], ["report", "summary"], ["report", "reclaim"], ["audit", "log"], ["config", "list"], ["doctor"],
        ["scan", "inspect", home / "receipts.mbox"], ["scan", home / "card.csv"],
        # The rest of the commands that write records, including the changes' results.
        ["license", "list", "--user", "carol"], ["license", "list", "--catalog"], ["report", "burn", "--by", "vendor"],
        ["report", "html", "--out", home / "dash.html"], ["config", "get", "base_currency"], ["audit", "verify"],
        ["audit", "verify", "--state"], ["rate", "import", home / "rates.csv"], ["usage", "import", "Slack", home / "usage.csv"],
        ["user", "sync", home / "google.csv", "--dry-run"], ["license", "import", home / "licenses.csv", "--dry-run"],
        ["license", "import", home / "licenses.csv", "--update", "--dry-run"], ["scan", "findings", "--all"],
        ["license", "assign", "Slack", "bob"], ["vendor", "add", "Acme Analytics", "--domain", "acme-analytics.example"],
        ["charge", "add", "acme analytics", "12.00", "--on", "2026-11-03"], ["user", "edit", "bob", "--dept", "ops"],
        ["user", "token", "bob"], ["user", "token", "bob", "--out", home / "bob2.token"], ["audit", "seal"],
        ["user", "add", "dave", "--role", "employee"], ["user", "offboard", "dave", "--yes"],
    ]
    (home / "rates.csv").write_text("date,from,to,rate\n2026-11-02,GBP,EUR,1.14\n")
    (home / "licenses.csv").write_text("name,vendor,seats,cost\nLinear,linear,4,32.00\n")
    undocumented = []
    for args in commands:
        r = office.run(*args, "--json")
        assert r.rc in (0, 1) and r.out.strip(), (args, r)
        keys = documented(args[0])
        for record in records(r.json()):
            for key in record:
                if not allowed(key, keys):
                    undocumented.append(f"owatch {' '.join(map(str, args[:2]))}: {key}")
    assert not sorted(set(undocumented)), "\n".join(sorted(set(undocumented)))
