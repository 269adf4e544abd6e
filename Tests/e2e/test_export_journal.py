"""owatch export journal (issue 36): the charges as hledger, Ledger and Beancount journals, checked by
the tools themselves (Debian's hledger, PyPI beancount's bean-check and loader), their totals by vendor
equal to `report burn --by vendor`, a re-export adding nothing twice, and hostile text that cannot break
a journal or inject a posting."""
import csv
import io
import shutil
import subprocess

import pytest

HLEDGER = shutil.which("hledger")
BEAN_CHECK = shutil.which("bean-check")
needs_hledger = pytest.mark.skipif(HLEDGER is None, reason="hledger not installed (make test installs it)")
needs_beancount = pytest.mark.skipif(BEAN_CHECK is None, reason="beancount not installed (make test installs it)")

EVIL_VENDOR = 'Evil;  Co "x"'
EVIL_NOTE = 'annual; renewal\n    expenses:injected    999.00 EUR\n    assets:bank\tnote  "q" \\ owatch-charge: 1 |pipe'


def hledger(*args):
    r = subprocess.run([HLEDGER, *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture
def books(office):
    o = office
    o.ok("license", "add", "Notion Team", "--vendor", "notion", "--seats", "5", "--cost", "1000.00", "--period", "yearly")
    o.ok("license", "add", "Slack Pro", "--vendor", "slack", "--seats", "5", "--cost", "35.00")
    o.ok("license", "add", "Linear", "--vendor", "linear", "--seats", "2", "--cost", "20.00", "--currency", "USD")
    o.ok("vendor", "add", EVIL_VENDOR)
    o.ok("charge", "add", "notion", "1000.00", "--on", "2026-02-03", "--license", "Notion Team", "--note", EVIL_NOTE)
    o.ok("charge", "add", "slack", "35.00", "--on", "2026-02-10", "--license", "Slack Pro")
    o.ok("charge", "add", "slack", "35.00", "--on", "2026-03-10", "--license", "Slack Pro")
    o.ok("charge", "add", "slack", "-35.00", "--on", "2026-03-12", "--note", "refund")
    o.ok("charge", "add", "linear", "20.00 USD", "--on", "2026-03-02", "--license", "Linear")
    o.ok("charge", "add", EVIL_VENDOR, "10.01", "--on", "2026-03-05", "--note", "(code) * ! tab\there")
    o.ok("charge", "add", "slack", "35.00", "--on", "2026-04-10", "--license", "Slack Pro")
    return o


def export(o, fmt, *extra, name=None):
    r = o.ok("export", "journal", "--format", fmt, *extra)
    path = o.home / (name or f"books.{'journal' if fmt == 'hledger' else fmt}")
    path.write_text(r.out)
    return path, r


def by_payee(path, commodity, begin, end):
    out = hledger("-f", path, "balance", "expenses", "--pivot", "payee", f"cur:{commodity}", "-b", begin, "-e", end, "-O", "csv")
    rows = list(csv.reader(io.StringIO(out)))[1:]
    return {name: amount.replace(f" {commodity}", "") for name, amount in rows if name != "total"}


def burn(o, frm, to):
    rows = o.ok("report", "burn", "--by", "vendor", "--from", frm, "--to", to, "--json").json()
    sums = {}
    for r in rows:
        if r["observed_minor"]:
            key = (r["vendor"], r["currency"])
            sums[key] = sums.get(key, 0) + r["observed_minor"]
    return sums


# Run once, on SQLite (make test): a journal format checked by hledger/ledger; the export's queries run on PostgreSQL in test_reexport.
@pytest.mark.backend_independent
@needs_hledger
@pytest.mark.parametrize("fmt", ["hledger", "ledger"])
def test_journal_passes_hledger_and_equals_burn_by_vendor(books, fmt):
    path, r = export(books, fmt)
    assert "Wrote 7 charge(s)" in r.err
    hledger("-f", path, "check", "-s")  # parses, balances, every account and commodity declared
    # Observed spend by vendor, February and March, equals report burn --by vendor for those months.
    expected = burn(books, "2026-02", "2026-03")
    got = {}
    for commodity in ("EUR", "USD"):
        for payee, amount in by_payee(path, commodity, "2026-02-01", "2026-04-01").items():
            got[(payee, commodity)] = round(float(amount) * 100)
    want = {k: v for k, v in expected.items()}
    # Payees are written on one line with ';' as ',' (the hostile vendor's name).
    want = {(v.replace(";", ",").replace("  ", " "), c): m for (v, c), m in want.items()}
    got = {k: v for k, v in got.items() if v}
    assert got == {k: v for k, v in want.items() if v}
    assert got[("Notion", "EUR")] == 100000 and got[("Linear", "USD")] == 2000 and got[("Slack", "EUR")] == 3500


# Run once, on SQLite (make test): journal escaping of hostile text.
@pytest.mark.backend_independent
@needs_hledger
def test_hostile_text_injects_nothing(books):
    path, _ = export(books, "hledger")
    text = path.read_text()
    accounts = set(hledger("-f", path, "accounts").split())
    assert not any("injected" in a for a in accounts), accounts
    assert accounts == {
        "assets:bank",
        "expenses:software:communication:slack",
        "expenses:software:other:evil-co-x",
        "expenses:software:productivity:notion",
        "expenses:software:project-management:linear",
    } or "expenses:software:other:evil-co-x" in accounts
    # One transaction per charge, each with its one charge tag; the note's fake tag is not a tag.
    assert hledger("-f", path, "register", "tag:owatch-charge=1", "-O", "csv").count("\n") == 3
    txns = [line for line in text.splitlines() if line[:1].isdigit()]
    assert len(txns) == 7
    first = next(line for line in txns if line.startswith("2026-02-03"))
    assert "\t" not in first and "  " not in first and ";" not in first
    assert first.startswith("2026-02-03 * Notion | annual, renewal expenses:injected 999.00 EUR")
    payees = set(hledger("-f", path, "payees").split("\n"))
    assert 'Evil, Co "x"' in payees
    # A description starting with a transaction code or status is not read as one.
    assert hledger("-f", path, "register", "desc:tab here", "-O", "csv").count("\n") == 3
    # Ledger: the note goes in a comment where a colon cannot make a tag.
    lpath, _ = export(books, "ledger")
    assert "owatch-charge\u2236 1" in lpath.read_text()
    assert hledger("-f", lpath, "tags").split() == ["owatch-charge"]


@needs_hledger
def test_reexport_with_existing_adds_nothing_twice(books):
    path, _ = export(books, "hledger", "--periodic")
    before = hledger("-f", path, "balance", "-N")
    again = books.ok("export", "journal", "--format", "hledger", "--periodic", "--existing", path)
    assert "0 charge(s)" in again.err and "7 already in the journal left out" in again.err
    assert not any(line[:1].isdigit() or line.startswith("~") for line in again.out.splitlines())
    path.write_text(path.read_text() + again.out)
    hledger("-f", path, "check", "-s")
    assert hledger("-f", path, "balance", "-N") == before
    # A new charge: only it is added.
    books.ok("charge", "add", "slack", "35.00", "--on", "2026-05-10")
    more = books.ok("export", "journal", "--format", "hledger", "--periodic", "--existing", path)
    assert [line for line in more.out.splitlines() if line[:1].isdigit()] == ["2026-05-10 * Slack | entered by hand"]
    path.write_text(path.read_text() + more.out)
    hledger("-f", path, "check", "-s")


# Run once, on SQLite (make test): a journal format.
@pytest.mark.backend_independent
@needs_hledger
def test_periodic_budget_and_amortized_prepayment(books):
    path, _ = export(books, "hledger", "--periodic", "--amortize")
    hledger("-f", path, "check", "-s")
    text = path.read_text()
    assert "~ monthly from 2026-" in text and "~ every 12 months from 2026-" in text
    budget = hledger("-f", path, "balance", "--budget", "-M", "expenses:software:communication", "-b", "2026-12-01", "-e", "2027-01-01")
    assert "35.00 EUR" in budget and "%" in budget
    # 1000.00 EUR a year: into prepaid, then 83.34 × 4 + 83.33 × 8 into the expense, exactly.
    months = hledger("-f", path, "register", "expenses:software:productivity:notion", "-O", "csv")
    amounts = [row[-2] for row in csv.reader(io.StringIO(months))][1:]
    assert amounts == ["83.34 EUR"] * 4 + ["83.33 EUR"] * 8
    assert hledger("-f", path, "balance", "assets:prepaid", "-N", "-e", "2027-02-04").strip() in ("", "0")
    # The first month is booked on the day of payment: 1000.00 - 83.34 stays prepaid.
    assert "916.66 EUR" in hledger("-f", path, "balance", "assets:prepaid", "-N", "-e", "2026-02-04")


# Run once, on SQLite (make test): a journal format checked by beancount.
@pytest.mark.backend_independent
@needs_beancount
def test_beancount_checks_and_loads(books):
    path, _ = export(books, "beancount", "--periodic", "--amortize")
    r = subprocess.run([BEAN_CHECK, str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    from beancount import loader
    from beancount.core import data

    entries, errors, _ = loader.load_file(str(path))
    assert not errors
    txns = [e for e in entries if isinstance(e, data.Transaction)]
    charges = {e.meta["owatch-charge"] for e in txns}
    assert charges == {"1", "2", "3", "4", "5", "6", "7"}
    evil = next(e for e in txns if e.meta["owatch-charge"] == "1" and "owatch-prepaid-months" in e.meta)
    assert "\n" not in evil.narration and '"q" \\ owatch-charge: 1' in evil.narration
    assert {p.account for p in evil.postings} == {"Assets:Prepaid:Notion", "Assets:Bank"}
    budgets = [e for e in entries if isinstance(e, data.Custom) and e.type == "budget"]
    assert {(b.values[0].value, b.values[1].value) for b in budgets} >= {
        ("Expenses:Software:Communication:Slack", "monthly"),
        ("Expenses:Software:Productivity:Notion", "yearly"),
    }
    # Re-export: nothing twice, bean-check still passes (no second open directive).
    again = books.ok("export", "journal", "--format", "beancount", "--periodic", "--amortize", "--existing", path)
    path.write_text(path.read_text() + again.out)
    r = subprocess.run([BEAN_CHECK, str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


# Run once, on SQLite (make test): the accounts file reader and a journal format.
@pytest.mark.backend_independent
@needs_hledger
def test_accounts_file_maps_the_chart_of_accounts(books):
    chart = books.home / "chart.txt"
    chart.write_text(
        "# office chart\nvendor Slack = expenses:it:chat\ncategory productivity = expenses:it:tools\n"
        "origin manual = assets:bank:main\nprepaid = assets:prepaid-expenses\n"
    )
    path, _ = export(books, "hledger", "--accounts", chart, "--amortize")
    hledger("-f", path, "check", "-s")
    accounts = set(hledger("-f", path, "accounts").split())
    assert {"expenses:it:chat", "expenses:it:tools:notion", "assets:bank:main", "assets:prepaid-expenses:notion"} <= accounts
    chart.write_text("vendor Slack = expenses:it:chat\nbogus line\n")
    r = books.run("export", "journal", "--format", "hledger", "--accounts", chart)
    assert r.rc == 65 and "chart.txt:2" in r.err
    chart.write_text("vendor Slack = expenses:it  chat\n")
    assert books.run("export", "journal", "--format", "hledger", "--accounts", chart).rc == 65
    chart.write_text("vendor Slack = expenses:it:chat\n")
    assert books.run("export", "journal", "--format", "beancount", "--accounts", chart).rc == 65


def test_usage_and_access(books):
    assert books.run("export", "journal").rc == 64
    assert books.run("export", "journal", "--format", "csv").rc == 64
    bob = books.add_user("bob")
    assert books.run("export", "journal", "--format", "hledger", token=bob).rc == 77
    # --from/--to select the charges by day.
    out = books.ok("export", "journal", "--format", "hledger", "--from", "2026-03-01", "--to", "2026-03-31").out
    days = [line[:10] for line in out.splitlines() if line[:1].isdigit()]
    assert days and all(d.startswith("2026-03") for d in days)
    # The output format stays the command's: OWATCH_FORMAT=json does not change the journal.
    assert books.ok("export", "journal", "--format", "ledger", env={"OWATCH_FORMAT": "json"}).out.startswith("; Written by owatch")
