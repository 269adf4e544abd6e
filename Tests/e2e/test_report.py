"""owatch report: burn, forecast against a hand-computed fixture, utilization, shadow, leave,
summary, terminal charts, the HTML dashboard in a real browser, and the property that the
monthly aggregate always equals a recomputation from the raw charges."""
import datetime
import json
import os
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import BIN, Office, ROOT, faketime
import stat
from test_scan_prices import card
import csv
import io

MBOX = ROOT / "examples" / "mail" / "receipts.mbox"
THIS_MONTH = datetime.date.today().strftime("%Y-%m")
SCREENSHOTS = Path(os.environ.get("OWATCH_ARTIFACTS", ROOT / ".build" / "artifacts"))


def statement(o, rows, name):
    """Scans a card statement of (date, description, amount, currency) rows."""
    path = o.home / name
    path.write_text("Date,Description,Amount,Currency\n" + "".join(f"{d},{desc},-{a},{c}\n" for d, desc, a, c in rows))
    r = o.run("scan", path, "--json")
    assert r.rc == 0, r
    return r


def add(o, name, vendor, cost, period="monthly", currency="EUR", renews=None, seats="1", *extra):
    args = ["license", "add", name, "--vendor", vendor, "--seats", seats, "--cost", cost, "--period", period, "--currency", currency]
    if renews:
        args += ["--renews", renews]
    o.ok(*args, *extra)


@pytest.fixture
def fixture(office):
    """The hand-computed forecast fixture (see test_forecast_matches_hand_computation)."""
    add(office, "A", "zoom", "10.00", "monthly", "EUR", "2027-01-15")
    add(office, "B", "figma", "1200.00", "yearly", "EUR", "2027-03-01")
    add(office, "C", "miro", "300.00", "quarterly", "EUR", "2027-02-10")
    add(office, "D", "dropbox", "50.00", "monthly", "EUR", "2027-01-05")
    office.ok("license", "cancel", "D", "--on", "2027-06-30")
    add(office, "E", "hetzner", "7.00", "weekly", "EUR", "2027-01-01")
    add(office, "Slack", "slack", "26.25", "monthly", "EUR", "2027-01-01", "3")   # 3 seats for 26.25
    add(office, "F", "linear", "20.00", "monthly", "USD")           # no renewal date: spread monthly
    # Slack charged 35.00 instead of 26.25 (a price change); Notion is paid with no license.
    statement(office, [("2026-11-24", "SLACK T0A1B2C3 DUBLIN", "35.00", "EUR"),
                       ("2026-11-04", "NOTION LABS INC SAN FRANCISCO", "20.00", "USD")], "card.csv")
    return office


def test_forecast_matches_hand_computation(fixture):
    rows = fixture.ok("report", "forecast", "--from", "2027-01", "--months", "12", "--json").json()
    eur = {r["month"]: r for r in rows if r["currency"] == "EUR"}
    usd = {r["month"]: r for r in rows if r["currency"] == "USD"}
    # Per month, in cents: A 10.00 monthly; B 1200.00 in March; C 300.00 in Feb/May/Aug/Nov;
    # D 50.00 monthly until its end on 2027-06-30; E 7.00 every Friday from 2027-01-01
    # (5,4,4,5,4,4,5,4,4,5,4,5 Fridays); Slack at its contract's 26.25 monthly: the 35.00 charge
    # is an open price change, which the forecast follows only once adopted.
    fridays = [5, 4, 4, 5, 4, 4, 5, 4, 4, 5, 4, 5]

    def hand(slack):
        return {f"2027-{i + 1:02d}": cents(i, slack) for i in range(12)}

    def cents(i, slack):
        cents = 1000 + slack + fridays[i] * 700
        cents += 5000 if i < 6 else 0
        cents += 120000 if i == 2 else 0
        cents += 30000 if i in (1, 4, 7, 10) else 0
        return cents
    assert {m: r["licenses_minor"] for m, r in eur.items()} == hand(2625)
    assert eur["2027-03"]["licenses"] == 1314.25           # the yearly renewal is a spike in its month
    assert eur["2027-01"]["charges"] == 1 + 1 + 5 + 1        # A, D, E×5, Slack
    assert all(r["unmanaged_minor"] == 0 for r in eur.values())
    # USD: F's monthly equivalent plus Notion's unmanaged run-rate.
    assert [(r["licenses_minor"], r["unmanaged_minor"], r["total_minor"]) for r in usd.values()] == [(2000, 2000, 4000)] * 12
    # Once the price change is adopted into the contract, the forecast follows it; ignored, it would not.
    pc = [f for f in fixture.ok("scan", "findings", "--json").json() if f["kind"] == "price_change"]
    assert len(pc) == 1 and pc[0]["amount_minor"] == 3500
    fixture.ok("scan", "adopt", str(pc[0]["id"]))
    again = fixture.ok("report", "forecast", "--from", "2027-01", "--months", "12", "--json").json()
    assert {r["month"]: r["licenses_minor"] for r in again if r["currency"] == "EUR"} == hand(3500)


# Run once, on SQLite (make test): terminal charts; the forecast's query runs on PostgreSQL in test_forecast_matches_hand_computation.
@pytest.mark.backend_independent
def test_forecast_table_draws_charts(fixture):
    out = fixture.ok("report", "forecast", "--from", "2027-01").out
    assert "EUR next 12 months: 3,506.00 EUR" in out and "█" in out
    ascii_out = fixture.ok("report", "forecast", "--from", "2027-01", "--ascii").out
    assert "#" in ascii_out and "█" not in ascii_out and "▁" not in ascii_out
    # A non-UTF-8 locale gets ASCII too; machine formats never get charts.
    assert "█" not in fixture.ok("report", "forecast", env={"LANG": "C"}).out
    assert "█" not in fixture.ok("report", "forecast", "--format", "csv").out


def test_burn_by_vendor_month_user_and_dept(fixture):
    o = fixture
    rows = o.ok("report", "burn", "--by", "vendor", "--from", "2026-11", "--to", THIS_MONTH, "--json").json()
    nov = {(r["vendor"], r["currency"]): r for r in rows if r["month"] == "2026-11"}
    assert nov[("Slack", "EUR")]["observed_minor"] == 3500 and nov[("Slack", "EUR")]["unmanaged_minor"] == 0
    assert nov[("Notion", "USD")]["observed_minor"] == 2000 and nov[("Notion", "USD")]["unmanaged_minor"] == 2000
    now = {(r["vendor"], r["currency"]): r["contracted_minor"] for r in rows if r["month"] == THIS_MONTH}
    # Monthly equivalents: yearly ÷ 12, quarterly ÷ 3, weekly × 52 ÷ 12 (30.333… rounds to 30.33).
    assert now[("Zoom", "EUR")] == 1000 and now[("Figma", "EUR")] == 10000 and now[("Miro", "EUR")] == 10000
    assert now[("Hetzner", "EUR")] == 3033 and now[("Slack", "EUR")] == 2625 and now[("Linear", "USD")] == 2000
    # By month: one row per month and currency, the groups summed.
    by_month = o.ok("report", "burn", "--from", THIS_MONTH, "--to", THIS_MONTH, "--json").json()
    eur = [r for r in by_month if r["currency"] == "EUR"][0]
    assert "vendor" not in eur and eur["contracted_minor"] == 1000 + 10000 + 10000 + 5000 + 3033 + 2625
    # By user: a seat's share per holder; seats nobody holds are idle; charges belong to no one.
    o.add_user("bob", dept="eng")
    o.ok("license", "assign", "Slack", "bob")
    by_user = o.ok("report", "burn", "--by", "user", "--from", THIS_MONTH, "--to", THIS_MONTH, "--json").json()
    slack_share = {r["user"]: r["contracted_minor"] for r in by_user if r["currency"] == "EUR"}
    assert slack_share["bob"] == 875
    by_dept = o.ok("report", "burn", "--by", "dept", "--from", THIS_MONTH, "--to", THIS_MONTH, "--json").json()
    assert {r["dept"] for r in by_dept} >= {"eng", "(idle seats)"}
    csv = o.ok("report", "burn", "--by", "category", "--format", "csv").out
    assert csv.startswith("month,category,contracted,contracted_minor,currency,observed")


def test_burn_by_user_with_many_seat_counts(office):
    """Each line's cost split over its seats, for seat counts 1..60: the exact sum's denominator is
    lcm(1..60) and beyond 64 bits. It once crashed with an arithmetic overflow; the per-person
    totals must still add up to the month's total (each group is rounded on its own)."""
    for name in ("ann", "bob", "cat"):
        office.add_user(name, dept="eng" if name != "cat" else "ops")
    rows = ["name,vendor,seats,cost,period,renews_on,assigned"]
    for k in range(1, 61):
        holders = ";".join(["ann", "bob", "cat"][: min(3, k)][: k % 4])
        rows.append(f"L{k},vendor{k % 7},{k},{k * 13 + 0.07:.2f},{'yearly' if k % 3 else 'monthly'},2027-0{1 + k % 9}-15,{holders}")
    csv_path = office.home / "many.csv"
    csv_path.write_text("\n".join(rows) + "\n")
    office.ok("license", "import", csv_path)
    total = office.ok("report", "burn", "--from", THIS_MONTH, "--to", THIS_MONTH, "--json").json()[0]["contracted_minor"]
    for by in ("user", "dept"):
        groups = office.ok("report", "burn", "--by", by, "--from", THIS_MONTH, "--to", THIS_MONTH, "--json").json()
        assert {r[by] for r in groups} >= ({"ann", "bob", "cat", "(idle seats)"} if by == "user" else {"eng", "ops", "(idle seats)"})
        assert abs(sum(r["contracted_minor"] for r in groups) - total) <= len(groups), (by, groups, total)


def test_shadow_is_per_vendor_and_currency(office):
    """A vendor paid in two currencies is two findings; each row counts its own currency's charges."""
    statement(office, [("2026-09-03", "ZOOM.US 888-799-9666", "15.99", "USD"), ("2026-10-03", "ZOOM.US 888-799-9666", "15.99", "USD"),
                       ("2026-10-20", "ZOOM VIDEO TOKYO", "2000", "JPY")], "zoom.csv")
    rows = {r["currency"]: r for r in office.ok("report", "shadow", "--json").json() if r["vendor"] == "Zoom"}
    assert rows["USD"]["charges"] == 2 and rows["USD"]["observed_minor"] == 3198, rows
    assert rows["USD"]["first_seen"] == "2026-09-03" and rows["USD"]["last_seen"] == "2026-10-03"
    assert rows["JPY"]["charges"] == 1 and rows["JPY"]["observed_minor"] == 2000 and rows["JPY"]["first_seen"] == "2026-10-20"


# Run once, on SQLite (make test): the month argument's checks.
@pytest.mark.backend_independent
def test_burn_refuses_bad_months(office):
    for args in (["--from", "2026-13"], ["--to", "26-01"], ["--from", "2027-01", "--to", "2026-01"], ["--by", "planet"]):
        r = office.run("report", "burn", *args)
        assert r.rc == 64 and "owatch: error:" in r.err, (args, r)


def test_utilization_shadow_summary(fixture):
    o = fixture
    util = {r["name"]: r for r in o.ok("report", "utilization", "--json").json()}
    assert util["Slack"]["idle"] == 3 and util["Slack"]["idle_monthly_minor"] == 2625
    assert "Possible saving:" in o.ok("report", "utilization").out
    shadow = o.ok("report", "shadow", "--json").json()
    assert [(r["vendor"], r["monthly_minor"], r["charges"]) for r in shadow] == [("Notion", 2000, 1)]
    summary = o.ok("report", "summary", "--json").json()
    assert summary["open_findings"]["unmanaged"] == 1 and summary["open_findings"]["price_change"] == 1
    assert summary["pending_requests"] == {}
    text = o.ok("report", "summary").out
    assert "Open findings:" in text and "Pending requests: 0" in text


def test_leave_report_employee_sees_own(office):
    bob = office.add_user("bob", dept="eng")
    carol = office.add_user("carol", dept="eng")
    office.ok("config", "set", "leave.allowance", "20")
    office.ok("request", "new", "leave", "--from", "2027-03-01", "--to", "2027-03-05", token=bob)   # Mon–Fri: 5 days
    req = office.ok("request", "list", "--all", "--json").json()[0]["id"]
    office.ok("approve", str(req))
    office.ok("request", "new", "leave", "--from", "2027-04-01", "--to", "2027-04-01", "--half-day", token=bob)
    office.ok("request", "new", "leave", "--from", "2027-05-03", "--to", "2027-05-04", "--type", "sick", token=carol)
    rows = {r["user"]: r for r in office.ok("report", "leave", "--year", "2027", "--json").json()}
    # Numbers, not strings (issue 13).
    # Approved days after today are planned, before it taken (issue 33): 5 either way.
    assert (rows["bob"]["taken"] + rows["bob"]["planned"], rows["bob"]["pending"], rows["bob"]["remaining"]) == (5, 0.5, 14.5)
    assert rows["carol"]["sick"] == 0                           # pending sick leave is not taken yet
    own = office.ok("report", "leave", "--year", "2027", "--json", token=bob).json()
    assert [r["user"] for r in own] == ["bob"]
    assert office.run("report", "burn", token=bob).rc == 77
    scanner = office.add_user("cron", role="scanner")
    assert office.run("report", "leave", token=scanner).rc == 77


# Run once, on SQLite (make test): the dashboard's HTML in a browser; its figures are the summary's, run on PostgreSQL.
@pytest.mark.backend_independent
def test_html_dashboard_is_offline_escaped_and_renders(fixture):
    o = fixture
    # Hostile text from email must come out escaped.
    o.ok("vendor", "add", "<script>alert(1)</script>", "--domain", "evil.example")
    o.ok("request", "new", "purchase", "<img src=x onerror=alert(1)>", "--cost", "12.00", token=o.add_user("eve"))
    out = o.home / "dash.html"
    o.ok("report", "html", "--out", out)
    page = out.read_text()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert "<script" not in page.lower() and "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "the dashboard must not fetch anything"
    for section in ["Burn by month", "Forecast, next 12 months", "Renewal calendar", "Idle seats", "Shadow IT", "Pending requests"]:
        assert section in page
    assert page.count("<svg") >= 3
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "dashboard.png"
    shot.unlink(missing_ok=True)
    # Flags for containers: no sandbox (root), no /dev/shm reliance, a throw-away profile.
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    f"--user-data-dir={o.home / 'chromium'}", "--hide-scrollbars", "--window-size=1280,2000",
                    f"--screenshot={shot}", out.as_uri()], capture_output=True, timeout=120,
                   env={**os.environ, "HOME": str(o.home)})
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 30_000, "a blank page compresses to a few KB; the dashboard has charts and tables"
    print(f"\ndashboard screenshot: {shot}")


# --- The aggregate property ---------------------------------------------------------------

VENDORS = {"slack": "SLACK T0A1B2C3 DUBLIN", "notion": "NOTION LABS INC", "zoom": "ZOOM.US 888-799-9666", "figma": "FIGMA MONTHLY"}

op = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(sorted(VENDORS)), st.sampled_from(["10.00", "20.00", "35.00"]), st.sampled_from(["EUR", "USD"])),
    st.tuples(st.just("charge"), st.sampled_from(sorted(VENDORS)), st.sampled_from(["10.00", "20.00", "35.00", "7.5"]),
              st.sampled_from(["EUR", "USD"]), st.integers(1, 12), st.integers(1, 28)),
    st.tuples(st.just("edit"), st.integers(0, 5), st.sampled_from(["10.00", "12.00"])),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(st.just("remove"), st.integers(0, 5)),
    st.tuples(st.just("adopt"), st.integers(0, 5)),
    st.tuples(st.just("ignore"), st.integers(0, 5)),
)


def recompute(o):
    rows = o.sql("SELECT substr(charged_on,1,7), vendor_id, currency, amount_minor, CASE WHEN license_id IS NULL AND expected_id IS NULL THEN 1 ELSE 0 END FROM charges")
    fresh = defaultdict(lambda: [0, 0, 0])
    for line in rows.splitlines():
        month, vendor, currency, amount, unmanaged = line.split("|")
        f = fresh[(month, int(vendor), currency)]
        f[0] += int(amount); f[1] += int(amount) if unmanaged == "1" else 0; f[2] += 1
    return {k: tuple(v) for k, v in fresh.items()}


def aggregate(o):
    rows = o.sql("SELECT month, vendor_id, currency, observed_minor, unmanaged_minor, charges FROM spend_monthly")
    return {(m, int(v), c): (int(a), int(b), int(n)) for m, v, c, a, b, n in (l.split("|") for l in rows.splitlines())}


@settings(max_examples=int(os.environ.get("OWATCH_PROPERTY_EXAMPLES", "10")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=3, max_size=10))
def test_aggregate_always_equals_recomputation(tmp_path_factory, ops):
    home = tmp_path_factory.mktemp("prop")
    o = Office(home)
    o.ok("init", "--org", "Acme", "--admin", "alice")
    names, n, added = [], 0, 0
    for step in ops:
        kind = step[0]
        if kind == "add":
            added += 1
            name = f"L{added}"                     # never a removed license's name again
            o.ok("license", "add", name, "--vendor", step[1], "--seats", "1", "--cost", step[2], "--currency", step[3])
            names.append(name)
        elif kind == "charge":
            n += 1
            statement(o, [(f"2026-{step[4]:02d}-{step[5]:02d}", f"{VENDORS[step[1]]} REF{n}", step[2], step[3])], f"s{n}.csv")
        elif kind in ("edit", "cancel", "remove") and names:
            name = names[step[1] % len(names)]
            if kind == "edit":
                o.run("license", "edit", name, "--cost", step[2])
            elif kind == "cancel":
                o.run("license", "cancel", name, "--on", "2026-12-31")
            else:
                o.ok("license", "remove", name, "--force")
                names.remove(name)
        elif kind in ("adopt", "ignore"):
            open_findings = [f for f in o.ok("scan", "findings", "--json").json() if f["kind"] == "unmanaged"]
            if open_findings:
                f = open_findings[step[1] % len(open_findings)]
                if kind == "adopt":
                    r = o.ok("scan", "adopt", str(f["id"]), "--json")
                    names.append(r.json()["license"])
                else:
                    o.ok("scan", "ignore", str(f["id"]), "-m", "property test")
        assert aggregate(o) == recompute(o), step
    # The report reads the aggregate and agrees with the raw charges too.
    burn = o.ok("report", "burn", "--by", "vendor", "--from", "2026-01", "--to", "2026-12", "--json").json()
    vendor_ids = dict(line.split("|")[::-1] for line in o.sql("SELECT id, name FROM vendors").splitlines())
    reported = {(r["month"], int(vendor_ids[r["vendor"]]), r["currency"]): (r["observed_minor"], r["unmanaged_minor"])
                for r in burn if r["observed_minor"] or r["unmanaged_minor"]}
    assert reported == {k: v[:2] for k, v in recompute(o).items()}
    assert "spend aggregate" in o.ok("doctor").out


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
    proc = subprocess.run(faketime(wednesday) + [BIN, "report", "leave", "--year", year, "--json"],
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
