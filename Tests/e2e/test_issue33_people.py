"""Issue 33, "People sync without surprises": the first sync finds the admin init made, guests and
service accounts are not employees, a new hire's seat is not unused yet, and usage data too old
to say anything is said to be old instead of making every seat inactive. Issue 29: people are
matched by their directory id first, so a changed address is an e-mail change."""
import datetime
import shutil

import pytest

from conftest import Office, at, google_export, google_row

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


# ---- a seat is judged only once the threshold has passed since it was assigned ----

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


# ---- usage older than the threshold says how old it is, and judges nothing ----

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


# ---- the admin init made is found by the first sync ----

def sync(o, name, data, *args, rc=0):
    path = o.home / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    r = o.run("user", "sync", path, "--json", *args)
    assert r.rc == rc, r
    return r


def people(o):
    return {u["name"]: u for u in o.ok("user", "list", "--json").json()}


OFFICE = [google_row("Marta", "Schulz", "marta.schulz@acme.example", dept="Management"),
          google_row("Tom", "Berg", "tom.berg@acme.example", dept="Sales")]


def test_init_takes_the_admins_address_and_name_and_the_first_sync_finds_her(bare):
    o = bare
    o.ok("init", "--org", "Acme GmbH", "--admin", "marta", "--email", "Marta.Schulz@acme.example", "--full-name", "Marta Schulz")
    marta = people(o)["marta"]
    assert marta["email"] == "marta.schulz@acme.example" and marta["full_name"] == "Marta Schulz" and marta["role"] == "admin"
    changes = sync(o, "g.csv", google_export(OFFICE)).json()
    assert sorted((c["change"], c["user"]) for c in changes) == [("add", "tom.berg"), ("dept", "marta")]
    assert sorted(people(o)) == ["marta", "tom.berg"]                        # no second marta.schulz
    assert o.run("init", "--org", "X", "--admin", "x", "--email", "not-an-address", env={"HOME": str(o.home / "other")}).rc == 64


def test_a_sync_offers_an_admin_without_email_never_adds_her_twice(office):
    o = Office(office.home / "m")
    o.home.mkdir()
    o.ok("init", "--org", "Acme GmbH", "--admin", "marta")                  # as the issue found it: no e-mail
    r = sync(o, "g.csv", google_export(OFFICE))
    offers = [c for c in r.json() if c["change"] == "offer"]
    assert [(c["user"], c["email"]) for c in offers] == [("marta", "marta.schulz@acme.example")]
    assert "--match marta=marta.schulz@acme.example" in offers[0]["what"]
    assert "may be people here without an e-mail" in r.err                  # reported, never silent
    assert sorted(people(o)) == ["marta", "tom.berg"]                        # not added as a second person
    # The admin answers: the row is her.
    r = sync(o, "g.csv", google_export(OFFICE), "--match", "marta=marta.schulz@acme.example")
    assert sorted((c["change"], c["user"]) for c in r.json()) == [("dept", "marta"), ("email", "marta"), ("name", "marta")]
    assert people(o)["marta"]["email"] == "marta.schulz@acme.example" and people(o)["marta"]["role"] == "admin"
    assert sync(o, "g.csv", google_export(OFFICE)).json() == []
    assert sync(o, "g.csv", google_export(OFFICE), "--match", "nobody=tom.berg@acme.example", rc=1).rc == 1
    assert sync(o, "g.csv", google_export(OFFICE), "--match", "marta=who@acme.example", rc=64).rc == 64
    o.ok("audit", "verify", "--state")


# ---- guests and service accounts are not employees ----

ENTRA_HEADER = "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation"
ENTRA_ROWS = [
    "lena@acme.onmicrosoft.com,Lena Vogel,Vogel,lena@acme.example,Lena,6f1c2a9e-0000-4000-8000-000000000001,Member,,Eng,True,DE",
    "paul@acme.onmicrosoft.com,Paul Roth,Roth,paul@acme.example,Paul,6f1c2a9e-0000-4000-8000-000000000002,Member,,Eng,True,DE",
    "anna.k_gmail.com#EXT#@acme.onmicrosoft.com,Anna Klein,Klein,anna.k@gmail.com,Anna,6f1c2a9e-0000-4000-8000-000000000003,Guest,,,True,DE",
    "Sync_DC01_1a2b3c4d5e6f@acme.onmicrosoft.com,On-Premises Directory Synchronization Service Account,,,,"
    "6f1c2a9e-0000-4000-8000-000000000004,Member,,,True,",
]


def entra(rows):
    return ENTRA_HEADER + "\n" + "\n".join(rows) + "\n"


def test_entra_guests_and_service_accounts_are_skipped_or_synced_as_guests(office):
    o = office
    r = sync(o, "entra.csv", entra(ENTRA_ROWS), "--dry-run")
    assert sorted(c["user"] for c in r.json() if c["change"] == "add") == ["lena", "paul"]
    assert "Skipped 1 guest(s) and 1 service account(s)" in r.err and "--verbose lists them" in r.err
    r = sync(o, "entra.csv", entra(ENTRA_ROWS), "--verbose")
    assert "guest anna.k@gmail.com (Anna Klein)" in r.err and "service account sync_dc01_1a2b3c4d5e6f@acme.onmicrosoft.com" in r.err
    assert sorted(people(o)) == ["alice", "lena", "paul"]
    assert sync(o, "entra.csv", entra(ENTRA_ROWS)).json() == []              # counted again, changes nothing
    # Asked for, the guest comes in as a guest: no leave allowance. The service account never.
    r = sync(o, "entra.csv", entra(ENTRA_ROWS), "--include-guests")
    assert [(c["change"], c["user"]) for c in r.json()] == [("add", "anna.k")] and "guest" in r.json()[0]["what"]
    assert "Skipped 0 guest(s) and 1 service account(s)" in r.err
    users = people(o)
    assert users["anna.k"]["guest"] is True and users["lena"]["guest"] is False
    o.ok("user", "token", "anna.k", "--out", o.home / "anna.token")
    monday = datetime.date(TODAY.year + 1, 3, 2)
    while monday.weekday() != 0:
        monday += datetime.timedelta(days=1)
    asked = o.run("request", "new", "leave", "--from", monday, "--to", monday + datetime.timedelta(days=4), token=o.home / "anna.token")
    assert asked.rc == 1, asked                                             # no allowance to take it from
    o.ok("user", "token", "lena", "--out", o.home / "lena.token")
    o.ok("request", "new", "leave", "--from", monday, "--to", monday + datetime.timedelta(days=4), token=o.home / "lena.token")
    o.ok("audit", "verify", "--state")


# ---- issue 29: the directory's id settles who is who before the address does ----

def test_a_changed_address_with_the_same_directory_id_is_an_email_change(office):
    o = office
    sync(o, "g1.csv", google_export([google_row("Jane", "Doe", "jane.doe@acme.example", employee_id="E-1001"),
                                     google_row("Sam", "Lee", "sam@acme.example", employee_id="E-1002")]))
    o.ok("license", "add", "Figma", "--vendor", "figma", "--seats", "2", "--cost", "15", "--assign", "jane.doe")
    # She married: a new name and a new address, the same Employee ID. With --offboard-missing a
    # name-or-address match would offboard her, free her seat and add a stranger.
    r = sync(o, "g2.csv", google_export([google_row("Jane", "Roe", "jane.roe@acme.example", employee_id="E-1001"),
                                         google_row("Sam", "Lee", "sam@acme.example", employee_id="E-1002")]), "--offboard-missing")
    assert sorted((c["change"], c["user"], c["what"]) for c in r.json() if c["change"] != "kept") == [
        ("email", "jane.doe", "jane.doe@acme.example → jane.roe@acme.example"), ("name", "jane.doe", "Jane Doe → Jane Roe")]
    assert people(o)["jane.doe"]["status"] == "active" and "jane.roe" not in people(o)
    assert o.ok("license", "show", "Figma", "--json").json()["assigned_to"] == ["jane.doe"]
    assert people(o)["jane.doe"]["directory_id"] == "google:E-1001"


def test_directory_ids_are_settled_across_the_whole_export_before_addresses(office):
    """Entra: Lena took over Paul's old address (paul@ became a team alias she answers), Paul has a new
    one. By address, Lena's row would take Paul; by objectId each keeps their own account."""
    o = office
    sync(o, "e1.csv", entra(ENTRA_ROWS[:2]))
    swapped = [ENTRA_ROWS[0].replace("lena@acme.example", "paul@acme.example"),
               ENTRA_ROWS[1].replace("paul@acme.example", "paul.roth@acme.example").replace("6f1c2a9e-0000-4000-8000-000000000002", "6F1C2A9E-0000-4000-8000-000000000002")]   # GUIDs: either case
    r = sync(o, "e2.csv", entra(swapped), "--offboard-missing")
    assert sorted((c["change"], c["user"], c["email"]) for c in r.json() if c["change"] != "kept") == [
        ("email", "lena", "paul@acme.example"), ("email", "paul", "paul.roth@acme.example")]
    assert sorted(people(o)) == ["alice", "lena", "paul"]
    assert people(o)["paul"]["directory_id"] == "entra:6f1c2a9e-0000-4000-8000-000000000002"
    # A repeated id in one export is a bad row, as a repeated address is.
    r = sync(o, "e3.csv", entra([ENTRA_ROWS[0], ENTRA_ROWS[1].replace("-000000000002", "-000000000001")]), rc=65)
    assert "directory id entra:6f1c2a9e-0000-4000-8000-000000000001 is already on line 2" in r.err
    o.ok("audit", "verify", "--state")
