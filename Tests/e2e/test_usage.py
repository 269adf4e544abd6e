"""`owatch usage` (issue 33): a new hire's seat is not unused yet, a seat given again is not judged on
earlier use, and usage data too old to say anything is reported as old."""
import datetime
import shutil

import pytest

from conftest import at


TODAY = datetime.date.today()


needs_faketime = pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime (Debian faketime) is not installed")


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def usage(o, days, name, rows):
    (o.home / name).write_text("email,last_active\n" + "".join(f"{e},{d}\n" for e, d in rows))
    return at(o, days, "usage", "import", "Slack", name)


def inactive(o, days=0):
    return sorted((r["user"], r["why"]) for r in at(o, days, "report", "reclaim", "--json").json() if r["reason"] == "inactive")


def seat_findings(o, days=0):
    return sorted(f["summary"].split("'")[0] for f in at(o, days, "scan", "findings", "--json").json() if f["kind"] == "inactive_seat")


@needs_faketime
def test_a_new_hires_seat_is_not_unused_before_the_threshold_has_passed_since_it_was_assigned(office):
    o = office
    at(o, -14, "user", "add", "hana", "--role", "employee", "--email", "hana@acme.example")       # hired two weeks ago
    o.ok("user", "add", "old", "--role", "employee", "--email", "old@acme.example")
    at(o, -100, "license", "add", "Slack", "--vendor", "slack", "--seats", "5", "--cost", "8", "--per-seat", "--assign", "old")
    o.ok("license", "assign", "Slack", "hana")                                                   # her seat: today
    usage(o, 0, "u.csv", [("hana@acme.example", "Never logged in"), ("old@acme.example", "never")])
    # Only the seat held for 100 days is unused; hana's is not judged yet.
    assert inactive(o) == [("old", "never used")]
    assert seat_findings(o) == ["Slack: old"]
    # 61 days later, with usage imported that day, her seat has had its 60 days: now it is judged.
    usage(o, 61, "u2.csv", [("hana@acme.example", "Never logged in"), ("old@acme.example", "never")])
    assert inactive(o, 61) == [("hana", "never used"), ("old", "never used")]
    assert seat_findings(o, 61) == ["Slack: hana", "Slack: old"]


@needs_faketime
def test_a_seat_given_again_is_not_judged_on_use_from_before(office):
    """A person given a seat back today: their old last use does not make the new seat inactive."""
    o = office
    o.ok("user", "add", "ivo", "--role", "employee", "--email", "ivo@acme.example")
    at(o, -100, "license", "add", "Slack", "--vendor", "slack", "--seats", "5", "--cost", "8", "--per-seat", "--assign", "ivo")
    usage(o, 0, "u.csv", [("ivo@acme.example", day(-90))])
    assert inactive(o) == [("ivo", f"last used {day(-90)}, more than 60d ago")]
    o.ok("license", "unassign", "Slack", "ivo")
    o.ok("license", "assign", "Slack", "ivo")
    assert inactive(o) == [] and seat_findings(o) == []


@needs_faketime
def test_usage_older_than_the_threshold_is_reported_as_old_and_calls_no_seat_inactive(office):
    o = office
    for name in ("bob", "carol", "dan"):
        o.ok("user", "add", name, "--role", "employee", "--email", f"{name}@acme.example")
    at(o, -100, "license", "add", "Slack", "--vendor", "slack", "--seats", "5", "--cost", "8", "--per-seat",
       "--assign", "bob", "--assign", "carol", "--assign", "dan")
    usage(o, 0, "u.csv", [("bob@acme.example", day(0)), ("carol@acme.example", day(-2)), ("dan@acme.example", day(-70))])
    assert inactive(o) == [("dan", f"last used {day(-70)}, more than 60d ago")]
    # 81 days later nobody imported usage again: the data says nothing of the last 60 days.
    r = at(o, 81, "report", "reclaim", "--json")
    assert [x for x in r.json() if x["reason"] == "inactive"] == []
    assert f"Slack's usage was last imported on {day(0)}, 81 day(s) ago" in r.err and "usage import 'Slack'" in r.err
    table = at(o, 81, "report", "reclaim")
    assert "inactive" not in table.out and "81 day(s) ago" in table.err
    summary = at(o, 81, "report", "summary")
    assert "Usage data is old" in summary.out and "81 day(s) ago" in summary.out
    js = at(o, 81, "report", "summary", "--json").json()
    assert js["stale_usage"] == [{"license": "Slack", "imported_on": day(0), "days": 81}]
    assert js["reclaimable_monthly"] == []
    # The findings follow at the next refresh (any write): dan's is resolved, none is raised.
    (o.home / "empty").mkdir()
    at(o, 81, "scan", "empty")
    assert seat_findings(o, 81) == []
    # Fresh data that day judges again; and the summary no longer calls it old.
    usage(o, 81, "u2.csv", [("bob@acme.example", day(80)), ("carol@acme.example", day(0)), ("dan@acme.example", day(-70))])
    assert inactive(o, 81) == [("carol", f"last used {day(0)}, more than 60d ago"), ("dan", f"last used {day(-70)}, more than 60d ago")]
    assert at(o, 81, "report", "summary", "--json").json()["stale_usage"] == []
    o.ok("audit", "verify", "--state")
