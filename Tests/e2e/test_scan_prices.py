"""Issue 31, cases 5–8 as they were found: prices compared like for like (an add-on against a yearly
contract is no new price; real changes still are), usage-billed vendors have no seats, every view
rounds by one rule, and a missing rate is the amount and day it leaves out."""
import json

from conftest import OLDER_SCHEMA, sqlite_only
from test_scan_reconcile import receipt


def forecast_eur(o):
    return sum(r["licenses_minor"] for r in o.ok("report", "forecast", "--json").json() if r["currency"] == "EUR")


# Case 5: a 14.99 Zoom and a 48.00 Figma card line against yearly contracts of 149.90 and 576.00.
def test_small_charges_against_a_yearly_contract_are_no_price_change(office):
    office.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "10", "--cost", "149.90", "--period", "yearly")
    office.ok("license", "add", "Figma", "--vendor", "figma", "--seats", "2", "--cost", "576.00", "--period", "yearly")
    before = forecast_eur(office)
    card(office, [("2026-11-03", "ZOOM.US 888-799-9666", "-14.99", "EUR"),
                  ("2026-11-05", "FIGMA INC SAN FRANCISCO", "-48.00", "EUR")])
    assert findings(office, "price_change") == []
    # The same add-on again a month later recurs monthly: still not the yearly contract's price.
    card(office, [("2026-12-03", "ZOOM.US 888-799-9666", "-14.99", "EUR")], "dec.csv")
    assert findings(office, "price_change") == []
    # The charges are the licenses' (managed spend), and nothing cut the contracts or the forecast.
    charges = office.ok("charge", "list", "--json").json()
    assert len(charges) == 3 and all(c["license"] in ("Zoom", "Figma") for c in charges), charges
    assert office.ok("license", "show", "Zoom", "--json").json()["cost"] == 149.9
    assert office.ok("license", "show", "Figma", "--json").json()["cost"] == 576
    assert forecast_eur(office) == before


def test_a_monthly_contract_whose_monthly_charges_went_up_is_a_price_change(office):
    office.ok("license", "add", "Miro", "--vendor", "miro", "--seats", "4", "--cost", "32.00")
    card(office, [("2026-10-03", "MIRO REALTIMEBOARD", "-32.00", "EUR"),
                  ("2026-11-03", "MIRO REALTIMEBOARD", "-40.00", "EUR")])
    pc = findings(office, "price_change")
    assert len(pc) == 1 and pc[0]["license"] == "Miro" and pc[0]["amount_minor"] == 4000, pc
    office.ok("scan", "adopt", str(pc[0]["id"]))
    assert office.ok("license", "show", "Miro", "--json").json()["cost"] == 40


def test_a_yearly_renewal_at_a_new_yearly_price_is_a_price_change(office):
    office.ok("license", "add", "Figma", "--vendor", "figma", "--seats", "2", "--cost", "576.00", "--period", "yearly")
    card(office, [("2025-11-05", "FIGMA INC SAN FRANCISCO", "-576.00", "EUR"),
                  ("2026-11-05", "FIGMA INC SAN FRANCISCO", "-648.00", "EUR")])
    pc = findings(office, "price_change")
    assert len(pc) == 1 and pc[0]["amount_minor"] == 64800 and "yearly" in pc[0]["summary"], pc
    # A yearly cut is found too, down to half the contract.
    office.ok("license", "add", "Canva", "--vendor", "canva", "--seats", "1", "--cost", "500.00", "--period", "yearly")
    card(office, [("2026-11-06", "CANVA* PTY SYDNEY", "-300.00", "EUR")], "canva.csv")
    assert {f["license"]: f["amount_minor"] for f in findings(office, "price_change")}["Canva"] == 30000


# Case 6: adopting a usage-billed vendor makes no phantom idle seat.
def test_adopting_a_usage_billed_vendor_makes_no_seat(office):
    office.ok("rate", "set", "USD", "EUR", "0.90", "--on", "2026-01-02")
    office.ok("config", "set", "base_currency", "EUR")
    card(office, [("2026-11-04", "AWS EMEA aws.amazon.com", "-243.17", "USD")])
    unmanaged = findings(office, "unmanaged")
    assert len(unmanaged) == 1 and unmanaged[0]["vendor"] == "Amazon Web Services", unmanaged
    r = office.ok("scan", "adopt", str(unmanaged[0]["id"]))
    assert "bills by usage" in r.err and "no seats" in r.err, r
    shown = office.ok("license", "show", "Amazon Web Services", "--json").json()
    assert shown["billing"] == "usage" and shown["seats"] is None and shown["free"] is None, shown
    assert "usage" in office.ok("license", "show", "Amazon Web Services").out
    util = office.ok("report", "utilization", "--json").json()
    assert all(u["idle"] == 0 for u in util), util
    summary = office.ok("report", "summary", "--json").json()
    assert summary["idle_seats"] == 0 and summary["idle_monthly"] == [] and summary["base"]["idle_monthly_minor"] == 0, summary
    assert office.ok("report", "reclaim", "--json").json() == []
    by_dept = office.ok("report", "burn", "--by", "dept", "--json").json()
    assert {r["dept"] for r in by_dept if r["contracted_minor"]} == {"(not per person)"}, by_dept
    office.ok("report", "html", "--out", "d.html")
    page = (office.home / "d.html").read_text()
    assert "Amazon Web Services" not in page.split("Seats to reclaim")[1].split("</section>")[0]
    assert "243.17 USD a month" not in page


def test_usage_billed_licenses_by_hand(office):
    r = office.ok("license", "add", "OpenAI API", "--vendor", "openai", "--cost", "120.00", "--currency", "USD", "--usage-billed")
    shown = office.ok("license", "show", "OpenAI API", "--json").json()
    assert shown["billing"] == "usage" and shown["seats"] is None
    assert office.ok("license", "show", "OpenAI API").out.count("usage") >= 1
    bad = office.run("license", "add", "Twilio", "--vendor", "twilio", "--cost", "10", "--seats", "3", "--usage-billed")
    assert bad.rc == 64 and "no seats" in bad.err, bad
    # An export imports back billed by usage, in every format.
    exports = {fmt: office.ok("license", "list", "--format", fmt).out for fmt in ["csv", "json", "jsonl"]}
    for fmt, text in exports.items():
        (office.home / f"l.{fmt}").write_text(text.replace("OpenAI API", f"OpenAI {fmt}"))
        office.ok("license", "import", f"l.{fmt}")
        assert office.ok("license", "show", f"OpenAI {fmt}", "--json").json()["billing"] == "usage"
    # A seat license stays one: billing is "seats".
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "24")
    assert office.ok("license", "show", "Slack", "--json").json()["billing"] == "seats"
    assert "--usage-billed" in office.ok("license", "add", "--help").out
    vendors = {v["name"]: v["billing"] for v in office.ok("vendor", "list", "--json").json()}
    assert vendors["Amazon Web Services"] == vendors["OpenAI"] == vendors["Mailgun"] == "usage" and vendors["Slack"] == "seats"


@sqlite_only(OLDER_SCHEMA)
def test_a_phantom_seat_adopted_before_is_mended_by_the_migration(office):
    card(office, [("2026-11-04", "AWS EMEA aws.amazon.com", "-243.17", "USD")])
    office.ok("scan", "adopt", str(findings(office, "unmanaged")[0]["id"]))
    # The ledger as an older owatch left it: one seat, nobody on it, billed "by seat".
    office.sql("UPDATE licenses SET billing = 'seats'; UPDATE purchases SET seats = 1; PRAGMA user_version = 16;")
    assert office.ok("report", "utilization", "--json").json()[0]["idle"] == 0
    shown = office.ok("license", "show", "Amazon Web Services", "--json").json()
    assert shown["billing"] == "usage" and shown["seats"] is None


# Case 7: views that answer one question give one number (the reproduction: per-row rounding).
def fractions_fixture(o):
    (o.home / "r.csv").write_text("date,from,to,rate\n2026-11-02,EUR,USD,1.0921\n2026-11-02,EUR,GBP,0.8743\n")
    o.ok("rate", "import", "r.csv")
    o.ok("config", "set", "base_currency", "EUR")
    # Yearly contracts: a month of each is a fraction of a cent, in two currencies and categories.
    for name, vendor, cost, cur in [("Figma", "figma", "100.00", "USD"), ("Slack", "slack", "100.00", "USD"),
                                    ("Miro", "miro", "70.00", "GBP"), ("Notion", "notion", "70.00", "GBP"),
                                    ("Zoom", "zoom", "50.00", "EUR"), ("Canva", "canva", "50.00", "EUR")]:
        o.ok("license", "add", name, "--vendor", vendor, "--seats", "unlimited", "--cost", cost, "--currency", cur, "--period", "yearly")
    # Unmanaged spend in USD with two vendors: each run-rate converted alone rounds up.
    card(o, [("2026-11-04", "DROPBOX SAN FRANCISCO", "-10.01", "USD"),
             ("2026-11-05", "AIRTABLE.COM", "-10.01", "USD"),
             ("2026-11-06", "LINEAR.APP", "-7.77", "GBP")])


def footer(text, prefix):
    line = next(ln for ln in text.splitlines() if ln.startswith(prefix))
    return line[len(prefix):]


def test_burn_and_its_by_views_agree_to_the_cent(office):
    fractions_fixture(office)
    args = ["report", "burn", "--from", "2026-12", "--to", "2026-12"]
    prefix = "total 2026-12…2026-12 in EUR: "
    totals = {by: footer(office.ok(*args, "--by", by).out, prefix) for by in ["month", "vendor", "category", "dept"]}
    assert len(set(totals.values())) == 1, totals
    # Per currency too: 8.33 + 8.33 USD by vendor, 16.67 USD in the month.
    usd = {by: [ln for ln in office.ok(*args, "--by", by).out.splitlines() if ln.startswith("total 2026-12…2026-12: contracted 16.6")]
           for by in ["month", "vendor"]}
    assert usd["month"] == usd["vendor"] and "16.67 USD" in usd["month"][0], usd
    # The summary's month and the dashboard say the same.
    summary = office.ok("report", "summary", "--json").json()["base"]
    assert f"contracted {summary['contracted_minor'] / 100:,.2f} EUR" in totals["month"], (summary, totals)


def test_summary_unmanaged_run_rate_is_shadows_total(office):
    fractions_fixture(office)
    summary = office.ok("report", "summary", "--json").json()["base"]["unmanaged_monthly_minor"]
    shadow = footer(office.ok("report", "shadow").out, "Unmanaged run-rate in EUR: ")
    assert shadow == f"{summary / 100:,.2f} EUR a month", (summary, shadow)
    assert f"{summary / 100:,.2f} EUR" in office.ok("report", "summary").out
    forecast = office.ok("report", "forecast", "--months", "1").out
    office.ok("report", "html", "--out", "d.html")
    page = (office.home / "d.html").read_text()
    burn = office.ok("report", "summary", "--json").json()["base"]
    assert f"{burn['contracted_minor'] / 100:,.2f} EUR (all currencies)" in page
    assert "next 1 months in EUR" in forecast


# Case 8: a missing rate is the amount and day it leaves out.
def test_a_missing_rate_names_the_amount_and_day_it_leaves_out(office):
    office.ok("config", "set", "base_currency", "EUR")
    # AED is not among the ECB's rates: with one from November on, the March charge has none;
    # November's and December's do.
    (office.home / "r.csv").write_text("date,from,to,rate\n2026-11-02,EUR,AED,4.0100\n")
    office.ok("rate", "import", "r.csv")
    card(office, [("2026-03-14", "DROPBOX SAN FRANCISCO", "-12.00", "AED"),
                  ("2026-11-14", "DROPBOX SAN FRANCISCO", "-12.00", "AED"),
                  ("2026-12-01", "DROPBOX SAN FRANCISCO", "-12.00", "AED")])
    r = office.ok("report", "burn")
    assert "leaves out 12.00 AED of 2026-03-14" in r.err and "AED amounts" not in r.err, r.err
    assert "owatch rate set AED EUR" in r.err
    # 2 × 12.00 / 4.01 = 5.985…: rounded once 5.99 (each month alone, 2.99 + 2.99).
    assert "observed 5.99 EUR + 12.00 AED (no rate)" in r.out, r.out
    office.ok("report", "html", "--out", "d.html")
    page = (office.home / "d.html").read_text()
    assert "Not included for want of an exchange rate: 12.00 AED of 2026-03-14" in page


def mail(o, messages, name="mail.mbox"):
    (o.home / name).write_bytes(b"".join(messages))
    return o.ok("scan", name, "--json")


def card(o, rows, name="card.csv"):
    (o.home / name).write_text("Date,Description,Amount,Currency\n" + "".join(f"{d},{desc},{a},{c}\n" for d, desc, a, c in rows))
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
