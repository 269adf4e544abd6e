"""Contract terms (issue 34): notice periods and cancel-by dates, renewal modes, fixed-term ends,
minimum terms followed by another cycle, per-license lead times, decisions on renewals, and the
date arithmetic across month ends, 29 February, tacit renewals that never stop and edited dates."""
import calendar
import datetime
import json
import subprocess
import time

import pytest
from conftest import BIN, OLDER_SCHEMA, faketime, sqlite_only

TODAY = datetime.date.today()


def add_months(d, n):
    """The calendar-exact month step owatch uses: the day is clamped to the month's last."""
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def ahead(days):
    return (TODAY + datetime.timedelta(days=days)).isoformat()


def show(o, name):
    return o.ok("license", "show", name, "--json").json()


def add(o, name, *args):
    o.ok("license", "add", name, "--vendor", "zoom", "--seats", "1", "--cost", "100", *args)
    return show(o, name)


def occurrences(event, n):
    """The first n dates of an event's RRULE, expanded by dateutil (an independent RFC 5545 reader)."""
    from dateutil import rrule
    start = event["DTSTART"].dt
    rule = event["RRULE"].to_ical().decode()
    dates = rrule.rrulestr(rule, dtstart=datetime.datetime.combine(start, datetime.time()))
    return [d.date() for d in list(dates[:n])] if hasattr(dates, "__getitem__") else [d.date() for d in list(dates)[:n]]


def fired(o):
    path = o.home / "fired.jsonl"
    if not path.exists():
        return []
    return [json.loads(l) for l in path.read_text().splitlines() if l.strip()]


def hook(o):
    o.install_hook("license-renewing", f'cat >> "{o.home}/fired.jsonl"; echo >> "{o.home}/fired.jsonl"\n')


# --- cancel-by dates ------------------------------------------------------------------------------

def test_cancel_by_is_the_renewal_less_notice_and_send_by_across_month_ends(office):
    l = add(office, "CRM", "--period", "yearly", "--renews", "2031-05-31", "--notice", "3m")
    assert l["renews_on"] == "2031-05-31" and l["cancel_by"] == "2031-02-28" and l["notice"] == "3m" and l["auto_renew"] is True
    office.ok("license", "edit", "CRM", "--send-by", "5d")
    l = show(office, "CRM")
    assert l["cancel_by"] == "2031-02-23" and l["send_by"] == "5d"
    # A notice to the end of a 31-day month from a 30-day one, and one of weeks.
    assert add(office, "Mar", "--period", "yearly", "--renews", "2031-03-31", "--notice", "1m")["cancel_by"] == "2031-02-28"
    assert add(office, "Wk", "--period", "yearly", "--renews", "2031-03-01", "--notice", "2w")["cancel_by"] == "2031-02-15"
    # Cleared again with ''.
    office.ok("license", "edit", "CRM", "--notice", "", "--send-by", "")
    assert show(office, "CRM")["cancel_by"] is None
    # No terms at all: the column is there, empty.
    assert add(office, "Plain", "--renews", "2031-01-01")["cancel_by"] is None


def test_cancel_by_is_in_list_renewals_and_report(office):
    add(office, "CRM", "--period", "yearly", "--renews", ahead(100), "--notice", "60d")
    expected = (TODAY + datetime.timedelta(days=40)).isoformat()
    assert office.ok("license", "list", "--json").json()[0]["cancel_by"] == expected
    assert "CANCEL_BY" in office.ok("license", "list").out.splitlines()[0]
    for cmd in (["license", "renewals", "--within", "200d"], ["report", "renewals", "--within", "200d"]):
        rows = office.ok(*cmd, "--json").json()
        assert [(r["name"], r["renews_on"], r["cancel_by"]) for r in rows] == [("CRM", ahead(100), expected)]
    assert "CANCEL_BY" in office.ok("report", "renewals", "--within", "200d").out


def test_29_february(office):
    # A yearly renewal anchored on 29 February falls on 28 February in common years and on the
    # 29th again in leap years (each date counted from the anchor, not from the year before).
    l = add(office, "Leap", "--period", "yearly", "--renews", "2000-02-29", "--notice", "1m")
    year = TODAY.year if TODAY < datetime.date(TODAY.year, 2, 28) else TODAY.year + 1
    while True:
        day = datetime.date(year, 2, 29 if calendar.isleap(year) else 28)
        if day >= TODAY:
            break
        year += 1
    assert l["renews_on"] == day.isoformat()
    assert l["cancel_by"] == add_months(day, -1).isoformat()
    # A notice of a year before a leap day lands on 28 February.
    assert add(office, "Leap2", "--period", "yearly", "--renews", "2032-02-29", "--notice", "1y")["cancel_by"] == "2031-02-28"
    # A monthly cycle after a fixed term ending on 29 February.
    l = add(office, "T", "--term-end", "2032-02-29", "--then", "monthly", "--notice", "30d")
    assert l["renews_on"] == "2032-02-29" and l["cancel_by"] == "2032-01-30"


def test_a_minimum_term_then_another_cycle(office):
    # Billed monthly from tomorrow, but bound for 24 months: the first renewal is 24 months after
    # the purchase, and there are no monthly renewals (nor reminders) inside the minimum term.
    l = add(office, "Phones", "--period", "monthly", "--renews", ahead(1), "--minimum-term", "24m", "--then", "monthly",
            "--notice", "30d")
    first = add_months(TODAY, 24)
    assert l["minimum_term"] == "24m" and l["term_start"] == TODAY.isoformat() and l["then"] == "monthly"
    assert l["renews_on"] == first.isoformat()
    assert l["cancel_by"] == (first - datetime.timedelta(days=30)).isoformat()
    assert office.ok("license", "renewals", "--within", "365d", "--json").json() == []
    # The same license without the minimum term renews tomorrow.
    office.ok("license", "edit", "Phones", "--minimum-term", "", "--then", "")
    assert show(office, "Phones")["renews_on"] == ahead(1)
    # A minimum term followed by yearly renewals, for a license billed monthly.
    office.ok("license", "edit", "Phones", "--minimum-term", "12m", "--then", "yearly")
    assert show(office, "Phones")["renews_on"] == add_months(TODAY, 12).isoformat()
    # --then needs something to follow.
    r = office.run("license", "add", "X", "--vendor", "zoom", "--seats", "1", "--cost", "1", "--then", "monthly")
    assert r.rc == 64 and "--then" in r.err


def test_tacit_renewals_never_stop_and_cost_nothing_to_compute(office):
    # A weekly contract that has renewed by itself since 1990: the next date is still exact, at once.
    start = time.monotonic()
    l = add(office, "Old", "--period", "weekly", "--renews", "1990-01-01", "--notice", "3d")
    anchor = datetime.date(1990, 1, 1)
    nxt = anchor + datetime.timedelta(days=-(-(TODAY - anchor).days // 7) * 7)
    assert l["renews_on"] == nxt.isoformat() and l["cancel_by"] == (nxt - datetime.timedelta(days=3)).isoformat()
    # A monthly one anchored on a 31st since 1970: every date is counted from the anchor.
    l = add(office, "Old2", "--renews", "1970-01-31", "--auto-renew")
    k = (TODAY.year - 1970) * 12 + TODAY.month - 2
    while add_months(datetime.date(1970, 1, 31), k) < TODAY:
        k += 1
    assert l["renews_on"] == add_months(datetime.date(1970, 1, 31), k).isoformat()
    office.ok("report", "summary")
    assert time.monotonic() - start < 30


def test_a_contract_that_does_not_renew_by_itself_ends(office):
    l = add(office, "Print", "--period", "yearly", "--no-auto-renew", "--term-end", "2031-06-30", "--notice", "3m")
    assert l["auto_renew"] is False and l["renews_on"] is None and l["cancel_by"] is None and l["term_end"] == "2031-06-30"
    assert office.ok("license", "renewals", "--within", "100y", "--json").json() == []
    # Renewing it by itself again: the term end becomes the renewal.
    office.ok("license", "edit", "Print", "--auto-renew")
    l = show(office, "Print")
    assert l["renews_on"] == "2031-06-30" and l["cancel_by"] == "2031-03-30"
    r = office.run("license", "edit", "Print", "--auto-renew", "--no-auto-renew")
    assert r.rc == 64


def test_bad_terms_are_usage_errors(office):
    base = ["license", "add", "X", "--vendor", "zoom", "--seats", "1", "--cost", "1"]
    for extra in (["--notice", "soon"], ["--notice", "3h"], ["--lead", "90d,x"], ["--lead", ","], ["--term-end", "2031-02-30"],
                  ["--minimum-term", "one-off"]):
        r = office.run(*base, *extra)
        assert r.rc == 64, (extra, r)
    assert office.ok("license", "list", "--json").json() == []


# --- reminders -----------------------------------------------------------------------------------

def test_reminders_count_back_from_the_cancel_by_date_with_the_license_lead_times(office):
    hook(office)
    office.ok("config", "set", "renewals.notify", "30d,7d")
    # Renews in 40 days with a 30-day notice: cancel by in 10 days. Its own lead times 14d and 3d.
    add(office, "CRM", "--period", "yearly", "--renews", ahead(40), "--notice", "30d", "--lead", "14d,3d")
    office.ok("whoami")
    office.ok("whoami")
    got = fired(office)
    assert [(f["license"], f["lead"], f["cancel_by"], f["renews_on"]) for f in got] == [("CRM", "14d", ahead(10), ahead(40))]
    assert show(office, "CRM")["leads"] == "14d,3d"
    events = office.ok("audit", "log", "--action", "license.renewing", "--json").json()
    assert len(events) == 1


def test_reminders_re_arm_when_dates_are_edited(office):
    hook(office)
    add(office, "CRM", "--period", "yearly", "--renews", ahead(40), "--notice", "30d", "--lead", "14d")
    office.ok("whoami")
    assert len(fired(office)) == 1
    # A longer notice moves the cancel-by date to the past: too late to announce as coming.
    office.ok("license", "edit", "CRM", "--notice", "45d")
    office.ok("whoami")
    assert len(fired(office)) == 1
    # The renewal moved later: a new cancel-by date within the lead time fires again, once.
    office.ok("license", "edit", "CRM", "--renews", ahead(50))
    office.ok("whoami")
    office.ok("whoami")
    got = fired(office)
    assert [(f["lead"], f["cancel_by"]) for f in got] == [("14d", ahead(10)), ("14d", ahead(5))]
    # New lead times re-arm as well (a 20d lead has not fired for this date yet).
    office.ok("license", "edit", "CRM", "--lead", "20d,14d")
    office.ok("whoami")
    assert [(f["lead"], f["cancel_by"]) for f in fired(office)][2:] == [("20d", ahead(5))]
    # A contract that does not renew by itself is reminded of its end.
    add(office, "Print", "--no-auto-renew", "--term-end", ahead(6), "--lead", "7d")
    office.ok("whoami")
    last = fired(office)[-1]
    assert (last["license"], last["renews_on"], last["cancel_by"], last["auto_renew"]) == ("Print", ahead(6), None, False)


# --- decisions -----------------------------------------------------------------------------------

def test_decide_records_in_the_audit_chain_and_cancel_ends_at_the_renewal(office):
    bob = office.add_user("bob")
    add(office, "CRM", "--period", "yearly", "--renews", ahead(100), "--notice", "30d")
    add(office, "Phones", "--period", "yearly", "--renews", ahead(60))
    r = office.ok("license", "decide", "CRM", "keep", "-m", "the team uses it daily")
    assert "keep" in r.err
    assert show(office, "CRM")["decision"] == "keep"
    ev = office.ok("audit", "log", "--action", "license.decide", "--json").json()
    assert len(ev) == 1
    details = ev[0]["details"] if isinstance(ev[0]["details"], dict) else json.loads(ev[0]["details"])
    assert details["decision"] == "keep" and details["renews_on"] == ahead(100) and details["cancel_by"] == ahead(70)
    assert details["late"] is False and details["note"] == "the team uses it daily"
    # Deciding again replaces the decision; cancel ends the license the day before the renewal.
    office.ok("license", "decide", "Phones", "cancel", "-m", "moving")
    l = show(office, "Phones")
    assert l["status"] == "cancelled" and l["ends_on"] == ahead(59)
    assert office.ok("audit", "verify").rc == 0
    # Refusals: an employee, a word that is no decision, a license with nothing to decide.
    assert office.run("license", "decide", "CRM", "cancel", token=bob).rc == 77
    assert office.run("license", "decide", "CRM", "maybe").rc == 64
    add(office, "Undated")
    assert office.run("license", "decide", "Undated", "keep").rc == 1
    assert office.run("license", "decide", "Phones", "keep").rc == 1


def test_summary_lists_undecided_renewals_and_missed_cancel_by_dates(office):
    add(office, "Missed", "--period", "yearly", "--renews", ahead(10), "--notice", "30d")
    add(office, "Coming", "--period", "yearly", "--renews", ahead(50), "--notice", "30d")
    add(office, "Far", "--period", "yearly", "--renews", ahead(300))
    und = office.ok("report", "summary", "--json").json()
    und = und[0]["undecided"] if isinstance(und, list) else und["undecided"]
    assert [(u["name"], u["cancel_by"], u["overdue"]) for u in und] == [
        ("Missed", (TODAY - datetime.timedelta(days=20)).isoformat(), True), ("Coming", ahead(20), False)]
    text = office.ok("report", "summary").out
    assert "Cancel-by dates passed without a decision" in text and "Missed" in text
    assert "Renewals still undecided" in text and "Coming" in text and "Far" not in text
    r = office.ok("license", "decide", "Missed", "renegotiate")
    assert "passed" in r.err
    ev = office.ok("audit", "log", "--action", "license.decide", "--json").json()[0]
    details = ev["details"] if isinstance(ev["details"], dict) else json.loads(ev["details"])
    assert details["late"] is True
    office.ok("license", "decide", "Coming", "keep")
    assert "Cancel-by dates passed" not in office.ok("report", "summary").out
    und = office.ok("report", "summary", "--json").json()
    und = und[0]["undecided"] if isinstance(und, list) else und["undecided"]
    assert und == []


@sqlite_only(OLDER_SCHEMA)
def test_the_migration_runs_again_on_a_ledger_taken_back(office):
    add(office, "CRM", "--period", "yearly", "--renews", "2031-05-31", "--notice", "3m")
    office.ok("license", "decide", "CRM", "keep")
    version = int(office.sql("PRAGMA user_version").strip())
    office.sql(f"PRAGMA user_version = {version - 1}")
    l = show(office, "CRM")
    assert l["cancel_by"] == "2031-02-28" and l["decision"] == "keep"
    assert int(office.sql("PRAGMA user_version").strip()) == version


# --- the calendar --------------------------------------------------------------------------------

def monday(weeks):
    d = TODAY + datetime.timedelta(weeks=weeks)
    return d - datetime.timedelta(days=d.weekday())


def test_calendar_imports_is_stable_and_escapes_and_folds(office):
    icalendar = pytest.importorskip("icalendar")
    bob = office.add_user("bob")
    carol = office.add_user("carol")
    hostile = "Ünïcode, Ltd; \\the\\ very long contract name that needs folding ✓✓✓ past seventy-five octets"
    add(office, hostile, "--period", "yearly", "--renews", ahead(40), "--notice", "30d")
    add(office, "Phones", "--period", "monthly", "--renews", ahead(3))
    add(office, "Print", "--no-auto-renew", "--term-end", ahead(100))
    add(office, "Far", "--period", "yearly", "--renews", ahead(800))
    start, end = monday(3), monday(3) + datetime.timedelta(days=4)
    office.ok("request", "new", "leave", "--from", start.isoformat(), "--to", end.isoformat(), token=bob)
    office.ok("request", "new", "leave", "--from", monday(5).isoformat(), "--to", monday(5).isoformat(), token=carol)
    ids = [r["id"] for r in office.ok("request", "list", "--all", "--json").json()]
    office.ok("approve", *[str(i) for i in ids])

    r = office.ok("report", "calendar", "--out", "office.ics", "--json")
    assert r.json()[0]["events"] if isinstance(r.json(), list) else r.json()["events"]
    raw = (office.home / "office.ics").read_bytes()
    # CRLF lines of at most 75 octets; continuation lines start with a space; whole UTF-8 characters.
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(l) <= 75 for l in lines), max(lines, key=len)
    assert any(l.startswith(b" ") for l in lines)
    for l in lines:
        l.decode("utf-8")
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"])
    events = cal.walk("VEVENT")
    for e in events:  # what Google Calendar needs to import an event
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert prop in e, (prop, e)
    got = {(str(e["SUMMARY"]), e["DTSTART"].dt.isoformat()) for e in events}
    assert (f"Renews: {hostile} (Zoom)", ahead(40)) in got
    assert (f"Cancel by: {hostile} (Zoom)", ahead(10)) in got
    assert ("Renews: Phones (Zoom)", ahead(3)) in got and ("Ends: Print (Zoom)", ahead(100)) in got
    assert not any("Far" in s for s, _ in got)
    leave = [e for e in events if str(e["SUMMARY"]).startswith("bob:")]
    assert len(leave) == 1 and leave[0]["DTSTART"].dt == start and leave[0]["DTEND"].dt == end + datetime.timedelta(days=1)
    assert any(str(e["SUMMARY"]).startswith("carol:") for e in events)
    # Phones renews monthly: one event whose RRULE gives the twelve renewals of the year (RFC 5545
    # repeats it as dateutil expands it), every UID unique.
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)) and sum(1 for s, _ in got if s.startswith("Renews: Phones")) == 1
    phones = next(e for e in events if str(e["SUMMARY"]).startswith("Renews: Phones"))
    first = datetime.date.fromisoformat(ahead(3))
    assert occurrences(phones, 12) == [add_months(first, k) for k in range(12)]

    # An unchanged ledger gives the same bytes; to standard output too.
    office.ok("whoami")
    office.ok("report", "calendar", "--out", "again.ics")
    assert (office.home / "again.ics").read_bytes() == raw
    piped = subprocess.run([BIN, "report", "calendar", "--out", "-"], cwd=office.home, env=office.env, capture_output=True)
    assert piped.returncode == 0 and piped.stdout == raw
    # A change keeps every UID that still applies and moves DTSTAMP (to the second).
    time.sleep(1.1)
    add(office, "New", "--renews", ahead(20))
    office.ok("report", "calendar", "--out", "changed.ics")
    changed = icalendar.Calendar.from_ical((office.home / "changed.ics").read_bytes()).walk("VEVENT")
    assert set(uids) < {str(e["UID"]) for e in changed}
    assert changed[0]["DTSTAMP"].dt != events[0]["DTSTAMP"].dt
    # --within narrows it.
    office.ok("report", "calendar", "--out", "month.ics", "--within", "30d")
    short = icalendar.Calendar.from_ical((office.home / "month.ics").read_bytes()).walk("VEVENT")
    assert all(e["DTSTART"].dt <= TODAY + datetime.timedelta(days=30) for e in short) and len(short) < len(changed)

    # An employee gets their own leave and nothing else.
    office.ok("report", "calendar", "--out", "bob.ics", token=bob)
    mine = icalendar.Calendar.from_ical((office.home / "bob.ics").read_bytes()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in mine] == ["bob: vacation"]
    assert office.run("report", "calendar").rc == 64


def test_terms_round_trip_through_export_and_import(office, tmp_path):
    from conftest import Office
    add(office, "CRM", "--period", "yearly", "--renews", "2031-05-31", "--notice", "3m", "--send-by", "5d", "--lead", "90d,30d")
    add(office, "Phones", "--minimum-term", "24m", "--then", "yearly")
    add(office, "Print", "--no-auto-renew", "--term-end", "2031-06-30")
    add(office, "Plain", "--renews", "2031-01-01")
    expected = [{k: v for k, v in r.items() if k != "id"} for r in office.ok("license", "list", "--json").json()]
    for fmt in ("csv", "json"):
        other = Office(tmp_path / fmt)
        other.home.mkdir()
        other.ok("init", "--org", "B", "--admin", "alice", "--currency", "EUR")
        path = other.home / f"inv.{fmt}"
        path.write_text(office.ok("license", "list", "--format", fmt).out)
        other.ok("license", "import", path)
        got = [{k: v for k, v in r.items() if k != "id"} for r in other.ok("license", "list", "--json").json()]
        assert got == expected, fmt
        # --update changes terms in place, and says so.
        rows = other.ok("license", "list", "--json").json()
        for r in rows:
            if r["name"] == "CRM":
                r["notice"] = "60d"
        path.write_text(json.dumps(rows))
        diff = other.ok("license", "import", path, "--update", "--json").json()
        assert [c["license"] for c in diff] == ["CRM"] and "terms" in diff[0]["what"]
        assert show(other, "CRM")["cancel_by"] == "2031-03-27"


def test_license_history_follows_price_seats_terms_and_renames(office):
    bob = office.add_user("bob")
    office.ok("license", "add", "Old", "--vendor", "zoom", "--seats", "1", "--cost", "1")
    office.ok("license", "remove", "Old")
    office.ok("license", "add", "Old", "--vendor", "hubspot", "--seats", "5", "--cost", "900", "--period", "yearly",
              "--renews", ahead(100))
    office.ok("license", "edit", "Old", "--cost", "990", "--notice", "30d")
    office.ok("license", "grow", "Old", "--seats", "2", "--order", "PO-7")
    office.ok("license", "assign", "Old", "bob")
    office.ok("license", "edit", "Old", "--name", "CRM")
    office.ok("license", "decide", "CRM", "renegotiate", "-m", "too dear")
    rows = office.ok("license", "history", "CRM", "--json").json()
    assert [r["action"] for r in rows] == ["license.add", "license.edit", "license.grow", "seat.assign", "license.edit",
                                           "license.decide"]
    assert "seats 5" in rows[0]["what"] and "cost 900" in rows[0]["what"]
    assert "cost 990" in rows[1]["what"] and '"notice":"30d"' in rows[1]["what"]
    assert "seats_added 2" in rows[2]["what"] and "order PO-7" in rows[2]["what"]
    assert "name CRM" in rows[4]["what"] and "decision renegotiate" in rows[5]["what"] and "note too dear" in rows[5]["what"]
    assert all(r["actor"] == "alice" for r in rows)
    assert "license.decide" in office.ok("license", "history", "CRM").out
    assert office.run("license", "history", "CRM", token=bob).rc == 77
    assert office.run("license", "history", "Nope").rc == 1


def test_a_cancelled_contract_ends_in_the_calendar_and_is_not_reminded(office):
    icalendar = pytest.importorskip("icalendar")
    hook(office)
    add(office, "Print", "--no-auto-renew", "--term-end", ahead(20), "--lead", "7d")
    add(office, "CRM", "--period", "yearly", "--renews", ahead(40))
    office.ok("license", "cancel", "Print", "--on", ahead(5))
    office.ok("license", "decide", "CRM", "cancel")
    office.ok("whoami")
    assert fired(office) == []
    office.ok("report", "calendar", "--out", "o.ics")
    events = icalendar.Calendar.from_ical((office.home / "o.ics").read_bytes()).walk("VEVENT")
    assert sorted((str(e["SUMMARY"]), e["DTSTART"].dt.isoformat()) for e in events) == [
        ("Ends: CRM (Zoom)", ahead(39)), ("Ends: Print (Zoom)", ahead(5))]


def calendar_events(o, name, *args, token=None):
    icalendar = pytest.importorskip("icalendar")
    o.ok("report", "calendar", "--out", name, *args, **({"token": token} if token else {}))
    return icalendar.Calendar.from_ical((o.home / name).read_bytes()).walk("VEVENT")


def by_summary(events, prefix):
    return [e for e in events if str(e["SUMMARY"]).startswith(prefix)]


def test_calendar_rules_repeat_exactly_as_owatch_counts(office):
    """Month ends, 29 February, quarters, weeks, a minimum term then monthly, and a fixed end:
    each RRULE expands (dateutil) to the dates owatch's own arithmetic gives."""
    pytest.importorskip("dateutil")
    cases = {
        "EndOfMonth": (["--period", "monthly", "--renews", "2027-01-31"], lambda k: add_months(datetime.date(2027, 1, 31), k)),
        "Leap": (["--period", "yearly", "--renews", "2028-02-29"], lambda k: add_months(datetime.date(2028, 2, 29), 12 * k)),
        "Quarter30": (["--period", "quarterly", "--renews", "2026-12-30"], lambda k: add_months(datetime.date(2026, 12, 30), 3 * k)),
        "Weekly": (["--period", "weekly", "--renews", "2026-12-10"], lambda k: datetime.date(2026, 12, 10) + datetime.timedelta(weeks=k)),
    }
    for name, (args, _) in cases.items():
        add(office, name, *args)
    add(office, "Min", "--period", "monthly", "--renews", "2026-12-20", "--minimum-term", "24m", "--then", "monthly")
    min_first = datetime.date.fromisoformat(show(office, "Min")["renews_on"])
    add(office, "Until", "--period", "monthly", "--renews", "2026-12-15")
    office.ok("license", "cancel", "Until", "--on", "2027-04-30", "-y")
    events = calendar_events(office, "rules.ics", "--within", "3y")
    for name, (_, expected) in cases.items():
        (e,) = by_summary(events, f"Renews: {name} ")
        assert occurrences(e, 30) == [expected(k) for k in range(30)], name
    (e,) = by_summary(events, "Renews: Min ")
    assert occurrences(e, 5) == [add_months(min_first, k) for k in range(5)]
    (e,) = by_summary(events, "Renews: Until ")
    assert occurrences(e, 99) == [datetime.date(2026, 12, 15), datetime.date(2027, 1, 15), datetime.date(2027, 2, 15),
                                  datetime.date(2027, 3, 15), datetime.date(2027, 4, 15)]


def test_cancel_by_series_alarms_and_trials_in_the_calendar(office):
    pytest.importorskip("dateutil")
    # Whole months before a renewal on the 10th: one recurring cancel-by event; its alarms are the license's leads.
    renewal = add_months(TODAY.replace(day=10), 2)
    add(office, "Months", "--period", "monthly", "--renews", renewal.isoformat(), "--notice", "1m", "--lead", "90d,2w")
    # 30 days before month-end renewals is no rule: each cancel-by date in the window is its own event.
    add(office, "Days", "--period", "monthly", "--renews", "2027-01-31", "--notice", "30d")
    add(office, "Plain", "--period", "yearly", "--renews", ahead(20))  # no notice: the default leads on the renewal
    from test_scan_reconcile import receipt
    mbox = office.home / "trial.mbox"
    ends = TODAY + datetime.timedelta(days=25)
    mbox.write_bytes(receipt(1, "Notion <team@makenotion.com>", TODAY.isoformat(), "Your Notion trial ends soon",
                             [f"Your free trial of Notion Plus ends on {ends.strftime('%B')} {ends.day}, {ends.year}.",
                              "After that you will be charged $10.00 per month."]))
    office.ok("scan", mbox)
    events = calendar_events(office, "o.ics", "--within", "1y")

    (months,) = by_summary(events, "Cancel by: Months ")
    assert occurrences(months, 6) == [add_months(renewal, k - 1) for k in range(6)]
    assert sorted(str(a["TRIGGER"].to_ical().decode()) for a in months.subcomponents) == ["-P14D", "-P90D"]
    (renews,) = by_summary(events, "Renews: Months ")
    assert "RRULE" in renews and not renews.subcomponents  # reminders count to the cancel-by date

    days = by_summary(events, "Cancel by: Days ")
    assert len(days) >= 10 and all("RRULE" not in e for e in days)
    for e in days:  # UID cancel-by-ID-YYYYMMDD@host names the renewal the date is 30 days before
        renewal_day = datetime.datetime.strptime(str(e["UID"]).split("@")[0].split("-")[-1], "%Y%m%d").date()
        assert e["DTSTART"].dt == renewal_day - datetime.timedelta(days=30)

    (plain,) = by_summary(events, "Renews: Plain ")
    assert sorted(a["TRIGGER"].to_ical().decode() for a in plain.subcomponents) == ["-P30D", "-P7D"]
    assert all(a["ACTION"] == "DISPLAY" and a["DESCRIPTION"] for a in plain.subcomponents)

    (trial,) = by_summary(events, "Trial ends: Notion")
    assert trial["DTSTART"].dt == ends


def test_the_calendar_is_byte_identical_on_later_days_until_an_event_enters_or_leaves(office):
    from conftest import at
    tenth = add_months(TODAY.replace(day=10), 1)  # day 10: a cancel-by rule, not dates that pass
    add(office, "Monthly", "--period", "monthly", "--renews", tenth.isoformat(), "--notice", "1m")
    add(office, "Yearly", "--period", "yearly", "--renews", ahead(100))
    office.ok("report", "calendar", "--out", "today.ics")
    today = (office.home / "today.ics").read_bytes()
    def later(days):  # bytes, not text: CRLF must survive
        r = subprocess.run(faketime(days) + [BIN, "report", "calendar", "--out", "-"], cwd=office.home,
                           env=office.env, capture_output=True)
        assert r.returncode == 0, r.stderr
        return r.stdout
    assert later(2) == today
    at(office, 9, "whoami")  # reminders fired by a later run change nothing shown
    assert later(9) == today


def test_khal_imports_the_calendar_and_lists_the_renewals(office, tmp_path):
    import shutil
    if not shutil.which("khal"):
        pytest.skip("khal is not installed (.ci/deps --test installs it)")
    add(office, "EndOfMonth", "--period", "monthly", "--renews", "2027-01-31", "--notice", "1m")
    add(office, "Comma, Semi; Ünï", "--period", "yearly", "--renews", "2027-03-15", "--notice", "30d")
    office.ok("report", "calendar", "--out", "office.ics", "--within", "1y")
    vdir = tmp_path / "cal"
    vdir.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[office]]\npath = {vdir}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"}
    imp = subprocess.run(["khal", "-c", str(config), "import", "--batch", "-a", "office", str(office.home / "office.ics")],
                         capture_output=True, text=True, env=env)
    assert imp.returncode == 0, imp.stderr
    assert len(list(vdir.iterdir())) >= 3
    listed = subprocess.run(["khal", "-c", str(config), "list", "--format", "{start-date} {title}", "2027-01-01", "2027-05-01"],
                            capture_output=True, text=True, env=env)
    assert listed.returncode == 0, listed.stderr
    lines = {l.strip() for l in listed.stdout.splitlines()}
    for day in ("2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"):
        assert f"{day} Renews: EndOfMonth (Zoom)" in lines, (day, listed.stdout)
    assert "2027-03-15 Renews: Comma, Semi; Ünï (Zoom)" in lines
    assert "2027-02-13 Cancel by: Comma, Semi; Ünï (Zoom)" in lines


def test_forecast_and_dashboard_show_what_can_still_be_cancelled(office):
    """The forecast says, per month, how much of the contract charges can still be cancelled and by
    when; the dashboard's renewal calendar shows each cancel-by date and marks one that passed."""
    renewal = add_months(TODAY.replace(day=15), 2)
    def priced(name, cost, *args):
        office.ok("license", "add", name, "--vendor", "zoom", "--seats", "1", "--cost", cost, "--period", "yearly", *args)
    priced("Open", "1200", "--renews", renewal.isoformat(), "--notice", "1m")
    priced("Late", "300", "--renews", ahead(10), "--notice", "2m")
    priced("Plain", "50", "--renews", renewal.isoformat())
    rows = office.ok("report", "forecast", "--months", "12", "--json").json()
    month = next(r for r in rows if r["month"] == renewal.strftime("%Y-%m") and r["currency"] == "EUR")
    assert month["licenses_minor"] == (1200 + 50 + (300 if ahead(10)[:7] == month["month"] else 0)) * 100
    assert month["cancellable_minor"] == 120000 and month["cancel_by"] == add_months(renewal, -1).isoformat()
    late = next(r for r in rows if r["month"] == ahead(10)[:7] and r["currency"] == "EUR")
    assert late["cancellable_minor"] == (120000 if late["month"] == month["month"] else 0)  # its cancel-by passed
    table = office.ok("report", "forecast", "--months", "3").out
    assert "cancel" in table.lower()
    office.ok("report", "html", "--out", "d.html")
    html = (office.home / "d.html").read_text()
    assert f'<small class="cancel-by">cancel by {add_months(renewal, -1).isoformat()}</small>' in html
    late_cancel_by = add_months(datetime.date.fromisoformat(ahead(10)), -2).isoformat()
    assert f'<small class="cancel-by passed">cancel by {late_cancel_by}</small>' in html
