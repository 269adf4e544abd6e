"""Issue 13: prices compared like for like (period, seats, proration, tolerance), exchange rates
(ECB files, gaps, inverse and cross rates) and one total in the base currency in every format,
the summary and the dashboard; credit notes; the same-payment window; leave after holidays change."""
import csv
import io
import json

from test_scan_reconcile import receipt


def card(o, rows, name="card.csv"):
    (o.home / name).write_text("Date,Description,Amount,Currency\n" + "".join(f"{d},{desc},{a},{c}\n" for d, desc, a, c in rows))
    return o.ok("scan", name, "--json")


def mail(o, messages, name="mail.mbox"):
    (o.home / name).write_bytes(b"".join(messages))
    return o.ok("scan", name, "--json")


def findings(o, kind):
    return [f for f in o.ok("scan", "findings", "--json").json() if f["kind"] == kind]


def test_prices_are_compared_per_period_and_per_seat(office):
    # Calendly: 2 seats at 16.00 a month each. A yearly invoice for one seat is 192.00: no change.
    office.ok("license", "add", "Calendly", "--vendor", "calendly", "--seats", "2", "--cost", "16", "--per-seat", "--currency", "USD")
    office.ok("license", "add", "Figma", "--vendor", "figma", "--seats", "2", "--cost", "540", "--period", "yearly")
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8.75", "--per-seat")
    mail(office, [
        receipt(1, "Calendly <billing@calendly.com>", "2026-11-05", "Your Calendly receipt",
                ["Receipt", "Teams plan, billed yearly", "Invoice number: CAL-1", "Total: $192.00"]),
        receipt(2, "Calendly <billing@calendly.com>", "2026-11-06", "Your Calendly receipt",
                ["Receipt", "Teams plan, billed monthly", "Invoice number: CAL-2", "Total: $32.00"]),       # both seats, one month
        receipt(3, "Figma <billing@figma.com>", "2026-11-07", "Your Figma receipt",
                ["Receipt", "Organization, billed monthly", "Invoice number: FIG-3", "Amount paid: €45.00"]),   # 540 / 12
        receipt(4, "Slack <feedback@slack.com>", "2026-11-08", "Your Slack receipt",
                ["Receipt", "Pro, 1 seat added (prorated)", "Invoice number: SL-4", "Amount paid: €3.10"]),     # a partial period
        receipt(5, "Slack <feedback@slack.com>", "2026-11-09", "Your Slack receipt",
                ["Receipt", "Pro, billed monthly", "2 seats", "Invoice number: SL-5", "Amount paid: €17.50"]),  # per seat × 2
    ])
    assert findings(office, "price_change") == []
    # A yearly invoice that is not twelve months of the contract: one finding, priced per the contract's period.
    mail(office, [receipt(6, "Figma <billing@figma.com>", "2026-11-10", "Your Figma receipt",
                          ["Receipt", "Organization, billed yearly", "Invoice number: FIG-6", "Amount paid: €600.00"]),
                  receipt(7, "Figma <billing@figma.com>", "2026-11-11", "Your Figma receipt",
                          ["Receipt", "Organization, billed monthly", "Invoice number: FIG-7", "Amount paid: €50.00"])], "more.mbox")
    pc = findings(office, "price_change")
    # 600 yearly and 50 monthly are the same new price: one open finding, refreshed by the later charge.
    assert len(pc) == 1 and pc[0]["license"] == "Figma" and pc[0]["amount_minor"] == 60000 and pc[0]["monthly_minor"] == 5000
    assert "50.00 EUR on 2026-11-11" in pc[0]["summary"]
    # Adopting it updates the contract; the forecast follows; the finding no longer applies.
    before = sum(r["licenses_minor"] for r in office.ok("report", "forecast", "--json").json() if r["currency"] == "EUR")
    office.ok("scan", "adopt", str(pc[0]["id"]))
    assert office.ok("license", "show", "Figma", "--json").json()["cost"] == 600
    after = sum(r["licenses_minor"] for r in office.ok("report", "forecast", "--json").json() if r["currency"] == "EUR")
    assert after - before == 6000


def test_tolerance_is_a_setting(office):
    office.ok("license", "add", "Miro", "--vendor", "miro", "--seats", "1", "--cost", "32")
    card(office, [("2026-11-03", "MIRO REALTIMEBOARD", "-32.20", "EUR")])      # 0.6% more: within the default 1%
    assert findings(office, "price_change") == []
    assert office.ok("config", "get", "price_change.tolerance").out.strip() == "1%"
    office.ok("config", "set", "price_change.tolerance", "0.5%")
    card(office, [("2026-12-01", "MIRO REALTIMEBOARD", "-32.20", "EUR")], "dec.csv")
    assert len(findings(office, "price_change")) == 1
    for bad in ["x", "150%", "1e2%", "1.23456%"]:
        r = office.run("config", "set", "price_change.tolerance", bad)
        assert r.rc == 64 and "percentage" in r.err or "100%" in r.err, (bad, r)


def test_the_same_payment_window_is_a_setting(office):
    mail(office, [receipt(1, "Notion <team@makenotion.com>", "2026-11-04", "Your receipt from Notion",
                          ["Receipt", "Invoice number: NO-1", "Amount paid: $20.00"])])
    office.ok("config", "set", "charges.match_window", "2d")
    card(office, [("2026-11-08", "NOTION LABS INC SAN FRANCISCO", "-20.00", "USD")])     # 4 days later: not the same payment now
    assert len(office.ok("charge", "list", "--vendor", "notion", "--json").json()) == 2
    assert office.run("config", "set", "charges.match_window", "40d").rc == 64


def test_credit_notes_and_refund_receipts_are_negative_charges(office):
    mail(office, [receipt(1, "Zoom <billing@zoom.us>", "2026-11-02", "Zoom payment receipt",
                          ["Thank you for your payment.", "Invoice number: ZM-1", "Total paid: $15.99"]),
                  receipt(2, "Zoom <billing@zoom.us>", "2026-11-12", "Your refund from Zoom",
                          ["We have refunded your payment.", "Credit note number: CN-77", "Amount refunded: $15.99"])])
    charges = office.ok("charge", "list", "--vendor", "zoom", "--json").json()
    assert sorted(c["amount_minor"] for c in charges) == [-1599, 1599]
    refund = next(c for c in charges if c["amount_minor"] < 0)
    assert refund["refund_of"] == next(c["id"] for c in charges if c["amount_minor"] > 0)
    rows = office.ok("report", "burn", "--by", "vendor", "--from", "2026-11", "--to", "2026-11", "--json").json()
    assert sum(r["observed_minor"] for r in rows if r["vendor"] == "Zoom") == 0


def test_a_charge_in_another_currency_matches_its_vendors_license(office):
    office.ok("license", "add", "Notion", "--vendor", "notion", "--seats", "1", "--cost", "20", "--currency", "USD")
    card(office, [("2026-11-04", "NOTION LABS INC SAN FRANCISCO", "-18.40", "EUR")])   # paid in EUR, no rate yet
    c = office.ok("charge", "list", "--json").json()[0]
    assert c["license"] == "Notion" and findings(office, "unmanaged") == [] and findings(office, "price_change") == []
    # With a rate, the price is compared after conversion: 18.40 EUR at 1.0870 USD is 20.00 USD.
    office.ok("rate", "set", "EUR", "USD", "1.0870", "--on", "2026-11-01")
    card(office, [("2026-12-01", "NOTION LABS INC SAN FRANCISCO", "-18.40", "EUR")], "dec.csv")
    assert findings(office, "price_change") == []
    card(office, [("2026-12-02", "NOTION LABS INC SAN FRANCISCO", "-27.60", "EUR")], "dec2.csv")   # 30.00 USD
    pc = findings(office, "price_change")
    assert len(pc) == 1 and pc[0]["amount_minor"] == 3000 and pc[0]["currency"] == "USD" and "converted to USD" in pc[0]["summary"]


def test_rates_import_set_list_and_lookup(office):
    hist = "Date,USD,JPY,CYP,\n2026-11-27,1.0500,160.10,N/A,\n2026-11-02,1.0800,158.00,N/A,\n"
    (office.home / "eurofxref-hist.csv").write_text(hist)
    r = office.ok("rate", "import", "eurofxref-hist.csv", "--json").json()
    assert (r["format"], r["rates"], r["days"], r["skipped_currencies"]) == ("ecb", 4, 2, ["CYP"])
    again = office.ok("rate", "import", "eurofxref-hist.csv", "--json").json()
    assert again["changed"] == 0                                                # importing twice changes nothing
    (office.home / "eurofxref.csv").write_text("Date, USD, JPY, \n30 November 2026, 1.0600, 161.00, \n")
    assert office.ok("rate", "import", "eurofxref.csv", "--json").json()["days"] == 1
    (office.home / "plain.csv").write_text("date,from,to,rate\n2026-11-01,GBP,EUR,1.1500\n")
    assert office.ok("rate", "import", "plain.csv", "--json").json()["format"] == "plain"
    latest = {(x["from"], x["to"]): x for x in office.ok("rate", "list", "--json").json()}
    assert latest[("EUR", "USD")]["rate"] == 1.06 and latest[("EUR", "USD")]["day"] == "2026-11-30"
    assert len(office.ok("rate", "list", "--all", "--currency", "USD", "--json").json()) == 3
    on = {(x["from"], x["to"]): x["day"] for x in office.ok("rate", "list", "--on", "2026-11-10", "--json").json()}
    assert on[("EUR", "USD")] == "2026-11-02"
    # A bad line: named, nothing written.
    (office.home / "bad.csv").write_text("date,from,to,rate\n2026-11-01,GBP,EUR,1.15\n2026-11-02,GBP,EUR,abc\n")
    r = office.run("rate", "import", "bad.csv")
    assert r.rc == 65 and "line 3" in r.err
    assert len(office.ok("rate", "list", "--all", "--currency", "GBP", "--json").json()) == 1
    assert office.run("rate", "import", "nope.csv").rc == 66
    (office.home / "other.csv").write_text("a,b\n1,2\n")
    assert office.run("rate", "import", "other.csv").rc == 65
    assert office.run("rate", "set", "EUR", "EUR", "1").rc == 64
    assert office.run("rate", "set", "EUR", "XXX", "1").rc == 64
    assert office.run("rate", "set", "EUR", "USD", "-1").rc == 64
    assert office.run("rate", "set", "EUR", "USD", "0.00000000000000001").rc == 64   # once a crash (an overflow)
    actions = [e["action"] for e in office.ok("audit", "log", "--json").json()]
    assert actions.count("rate.import") == 4
    office.ok("audit", "verify", "--state")


# Base-currency totals against a hand-computed fixture.
def base_fixture(o):
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "1", "--cost", "10.00")                        # EUR 10.00 a month
    o.ok("license", "add", "Linear", "--vendor", "linear", "--seats", "1", "--cost", "20.00", "--currency", "USD")   # USD 20.00 a month
    o.ok("license", "add", "Xero", "--vendor", "xero", "--seats", "1", "--cost", "30.00", "--currency", "GBP")       # GBP, no rate
    (o.home / "r.csv").write_text("date,from,to,rate\n2026-11-01,EUR,USD,1.2500\n2026-11-20,EUR,USD,1.0000\n")
    o.ok("rate", "import", "r.csv")
    card(o, [("2026-11-10", "NOTION LABS INC SAN FRANCISCO", "-25.00", "USD"),        # 20.00 EUR at 1.25
             ("2026-11-25", "NOTION LABS INC SAN FRANCISCO", "-25.00", "USD")])       # 25.00 EUR at 1.00
    o.ok("config", "set", "base_currency", "EUR")


def test_base_currency_totals_in_every_format(office):
    base_fixture(office)
    args = ["report", "burn", "--from", "2026-11", "--to", "2026-12"]
    rows = office.ok(*args, "--json").json()
    by = {(r["month"], r["currency"]): r for r in rows}
    # The charges convert each at its day's rate (20.00 and 25.00 EUR); the contracts, bought this
    # month, at December's rate (today's: the latest, 1.00).
    nov = by[("2026-11", "USD")]
    assert (nov["observed_base_minor"], nov["unmanaged_base_minor"], nov["rate_date"]) == (4500, 4500, "2026-11-20")
    dec = by[("2026-12", "USD")]
    assert (dec["contracted_base_minor"], dec["observed_base_minor"]) == (2000, 0)
    assert by[("2026-12", "EUR")]["contracted_base_minor"] == 1000 and by[("2026-12", "EUR")]["rate_date"] is None
    assert all(r["base_currency"] == "EUR" for r in rows)
    # GBP has no rate: never dropped, never summed; its base fields are null, with a warning.
    gbp = by[("2026-12", "GBP")]
    assert gbp["contracted_minor"] == 3000 and gbp["contracted_base_minor"] is None and gbp["rate_date"] is None
    r = office.run(*args, "--json")
    assert "no GBP→EUR rate" in r.err and "owatch rate set GBP EUR" in r.err
    csv_rows = list(csv.DictReader(io.StringIO(office.ok(*args, "--format", "csv").out)))
    assert {(x["month"], x["currency"]): x["contracted_base_minor"] for x in csv_rows} == {
        ("2026-11", "USD"): "0", ("2026-12", "EUR"): "1000", ("2026-12", "GBP"): "", ("2026-12", "USD"): "2000"}
    jsonl = [json.loads(line) for line in office.ok(*args, "--format", "jsonl").out.splitlines()]
    assert jsonl == rows
    table = office.ok(*args).out
    assert "total 2026-11…2026-12 in EUR: contracted 30.00 EUR + 30.00 GBP (no rate), observed 45.00 EUR, unmanaged 45.00 EUR" in table
    charges = office.ok("charge", "list", "--json").json()
    assert [(c["base_minor"], c["rate_date"]) for c in charges] == [(2000, "2026-11-01"), (2500, "2026-11-20")]
    summary = office.ok("report", "summary", "--json").json()
    assert summary["base"]["base_currency"] == "EUR" and summary["base"]["contracted_minor"] == 3000
    # What had no rate is named by amount and day, never as a whole currency (issue 31, case 8).
    left = summary["base"]["without_rate"]
    assert left and {x["currency"] for x in left} == {"GBP"} and all(x["day"] and x["amount_minor"] for x in left), left
    forecast = office.ok("report", "forecast", "--months", "1", "--json").json()
    assert sum(r["total_base_minor"] or 0 for r in forecast) == 1000 + 2000 + 2500    # contracts + Notion's run-rate at 1.00
    assert "next 1 months in EUR: 55.00 EUR + 30.00 GBP (no rate)" in office.ok("report", "forecast", "--months", "1").out


def test_base_currency_in_the_summary_and_dashboard(office):
    base_fixture(office)
    text = office.ok("report", "summary").out
    assert "in EUR:" in text
    office.ok("report", "html", "--out", "d.html")
    page = (office.home / "d.html").read_text()
    # Issue 31: what a missing rate leaves out is an amount and its day, never a whole currency.
    assert "All currencies in EUR" in page and "Not included for want of an exchange rate: 30.00 GBP of 20" in page
    # Every currency has its chart, however many.
    for i, cur in enumerate(["CHF", "SEK", "NOK", "DKK", "PLN"]):
        office.ok("license", "add", f"L{i}", "--vendor", "zoom", "--seats", "1", "--cost", "5", "--currency", cur)
    office.ok("report", "html", "--out", "d.html")
    page = (office.home / "d.html").read_text()
    for cur in ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN"]:
        assert f"<h3>{cur}</h3>" in page, cur


def test_leave_days_follow_holidays(office):
    bob = office.add_user("bob")
    office.ok("request", "new", "leave", "--from", "2027-03-01", "--to", "2027-03-05", token=bob)     # 5 days
    office.ok("request", "new", "leave", "--from", "2027-04-05", "--to", "2027-04-09", token=bob)     # 5 days
    office.ok("approve", "1")
    r = office.ok("config", "set", "leave.holidays", "2027-03-03,2027-04-06,2027-04-07")
    assert "#2" in r.err
    requests = {x["id"]: x for x in office.ok("request", "list", "--all", "--json").json()}
    assert requests[2]["days"] == 3 and "3 day(s)" in requests[2]["summary"]        # pending: counted again
    assert requests[1]["days"] == 5                                                 # approved: keeps its days
    rows = {x["user"]: x for x in office.ok("report", "leave", "--year", "2027", "--json").json()}
    assert (rows["bob"]["taken"] + rows["bob"]["planned"], rows["bob"]["pending"], rows["bob"]["remaining"]) == (5, 3, 17)
    assert rows["bob"]["would_change"] == ["#1: 5 → 4 days"]
    assert "Approved leave #1 (bob) counts 5 day(s)" in office.ok("report", "leave", "--year", "2027").err
    office.ok("audit", "verify", "--state")
