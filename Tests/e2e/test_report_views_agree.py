"""Issue 31, case 7 as a property: every pair of views that answers the same question gives the
same number to the minor unit, over generated ledgers (licenses and card charges in EUR, USD, GBP
and CHF on various days, refunds, unmanaged spend), because they all convert and round by one rule:
each amount at its day's rate, exactly; summed; rounded once per figure shown."""
import os

from conftest import OFFICE_INIT, Office
from hypothesis import HealthCheck, given, settings, strategies as st

# Card descriptions of catalog vendors, and the license each may have.
VENDORS = {"figma": "FIGMA INC SAN FRANCISCO", "slack": "SLACK T0123 DUBLIN", "miro": "MIRO REALTIMEBOARD",
           "dropbox": "DROPBOX SAN FRANCISCO", "airtable": "AIRTABLE.COM", "linear": "LINEAR.APP", "zoom": "ZOOM.US 888-799-9666"}
CURRENCIES = ["EUR", "USD", "GBP", "CHF"]
MONTHS = ["2026-10", "2026-11", "2026-12"]

license_ = st.tuples(st.sampled_from(sorted(VENDORS)), st.integers(1, 99_999), st.sampled_from(CURRENCIES),
                     st.sampled_from(["monthly", "quarterly", "yearly"]), st.sampled_from(["unlimited", "1", "3", "7"]))
charge = st.tuples(st.sampled_from(sorted(VENDORS)), st.integers(1, 99_999), st.sampled_from(CURRENCIES),
                   st.sampled_from(MONTHS), st.integers(1, 28), st.booleans())          # …, refunded
rate = st.tuples(st.sampled_from(CURRENCIES[1:]), st.sampled_from(MONTHS), st.integers(5_000, 15_000))  # EUR→X, 4 decimals


def money(cents):
    return f"{cents // 100}.{cents % 100:02d}"


def lines(text, prefix):
    return sorted(ln for ln in text.splitlines() if ln.startswith(prefix))


def build(o, licenses, charges, rates):
    o.ok("user", "add", "bob", "--role", "employee", "--dept", "ops")
    (o.home / "r.csv").write_text("date,from,to,rate\n" + "".join(f"{m}-02,EUR,{c},{r / 10_000:.4f}\n" for c, m, r in rates))
    if rates:
        o.ok("rate", "import", "r.csv")
    o.ok("config", "set", "base_currency", "EUR")
    for i, (vendor, cents, cur, period, seats) in enumerate(licenses):
        args = ["license", "add", f"L{i}", "--vendor", vendor, "--seats", seats, "--cost", money(cents), "--currency", cur,
                "--period", period]
        o.ok(*args + (["--assign", "bob"] if seats != "unlimited" else []))
    card = []
    for vendor, cents, cur, month, day, refunded in charges:
        card.append(f"{month}-{day:02d},{VENDORS[vendor]},-{money(cents)},{cur}\n")
        if refunded:
            card.append(f"{month}-{min(day + 1, 28):02d},{VENDORS[vendor]},{money(cents)},{cur}\n")
    if card:
        (o.home / "card.csv").write_text("Date,Description,Amount,Currency\n" + "".join(card))
        o.ok("scan", "card.csv")


def check_burn_views(o):
    """Burn's total, per currency and in EUR, is the same whatever it is grouped by."""
    args = ["report", "burn", "--from", MONTHS[0], "--to", MONTHS[-1]]
    totals = {by: lines(o.ok(*args, "--by", by).out, "total ") for by in ["month", "vendor", "category", "dept"]}
    assert len({tuple(t) for t in totals.values()}) == 1, totals


def check_summary_against_burn_and_shadow(o):
    summary = o.ok("report", "summary", "--json").json()
    base = summary["base"]
    month = summary["month"]
    burn = o.ok("report", "burn", "--from", month, "--to", month).out
    eur = lines(burn, f"total {month}…{month} in EUR: ")
    if eur:
        want = f"contracted {base['contracted_minor'] / 100:,.2f} EUR"
        assert eur[0].split(": ", 1)[1].startswith(want) or f"{want} +" in eur[0], (eur, base)
        assert f"observed {base['observed_minor'] / 100:,.2f} EUR" in eur[0], (eur, base)
        assert f"unmanaged {base['unmanaged_minor'] / 100:,.2f} EUR" in eur[0], (eur, base)
    # Per currency: the summary's month is burn's month.
    for t in summary["burn"]:
        cur = t["currency"]
        assert any(f"contracted {t['contracted_minor'] / 100:,.2f} {cur}" in ln for ln in lines(burn, f"total {month}…{month}: ")), (t, burn)
    # The unmanaged run-rate: the summary's figure is shadow's total.
    shadow = lines(o.ok("report", "shadow").out, "Unmanaged run-rate in EUR: ")
    if shadow:
        assert shadow[0] == f"Unmanaged run-rate in EUR: {base['unmanaged_monthly_minor'] / 100:,.2f} EUR a month" or "(no rate)" in shadow[0], (
            shadow, base)
    rows = o.ok("report", "shadow", "--json").json()
    if rows and all(r["currency"] == "EUR" for r in rows):
        assert sum(r["monthly_minor"] for r in rows) == base["unmanaged_monthly_minor"]
    # Idle seats: utilization's possible saving is the summary's.
    util = lines(o.ok("report", "utilization").out, "Possible saving: ")
    if util and "(" in util[0] and "no rate" not in util[0]:
        assert f"({base['idle_monthly_minor'] / 100:,.2f} EUR a month)" in util[0], (util, base)
    return summary


def check_forecast_and_dashboard(o, summary):
    # Licenses with no renewal date: this month's forecast is burn's contracted cost, per currency.
    forecast = {r["currency"]: r["licenses_minor"] for r in o.ok("report", "forecast", "--months", "1", "--json").json()}
    for t in summary["burn"]:
        assert forecast.get(t["currency"], 0) == t["contracted_minor"], (forecast, summary["burn"])
    o.ok("report", "html", "--out", "d.html")
    page = (o.home / "d.html").read_text()
    for t in summary["burn"]:
        assert f"{t['contracted_minor'] / 100:,.2f} {t['currency']}" in page


@settings(max_examples=int(os.environ.get("OWATCH_PROPERTY_EXAMPLES", "20")), deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(licenses=st.lists(license_, max_size=5), charges=st.lists(charge, max_size=8), rates=st.lists(rate, max_size=5))
def test_every_pair_of_views_agrees_to_the_minor_unit(tmp_path_factory, office_template, licenses, charges, rates):
    # Each example's office is a copy of the session's initialised one (admin alice, EUR), as `office` is:
    # `init` per example cost ~0.7 s of CPU on PostgreSQL (conftest's office_template), 20 times a run.
    home = tmp_path_factory.mktemp("views")
    o = office_template.copy_to(home) if office_template else Office(home)
    if not office_template:
        o.ok(*OFFICE_INIT)
    build(o, licenses, charges, rates)
    check_burn_views(o)
    summary = check_summary_against_burn_and_shadow(o)
    check_forecast_and_dashboard(o, summary)
