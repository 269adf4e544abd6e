"""Issue 16: directory sync (Google Workspace, Okta CSV and JSON, Entra ID, SCIM 2.0, plain CSV),
usage import from vendors' exports, reclaiming seats, and the findings that name them. The
exports are written here with the vendors' documented header rows, a few dozen people each.
Who each row is (issues 29, 33): the first sync finds the admin init made, guests and service accounts
are not employees, and directory ids settle before addresses, so a changed address is an e-mail change."""
import datetime
import json

import pytest

from conftest import GOOGLE_HEADER, Office, at, google_export, google_row

TODAY = datetime.date.today()


def ago(days):
    return (TODAY - datetime.timedelta(days=days)).isoformat()


def people(o):
    return {u["name"]: u for u in o.ok("user", "list", "--json").json()}


def sync(o, name, data, *args, rc=0):
    path = o.home / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    r = o.run("user", "sync", path, "--json", *args)
    assert r.rc == rc, r
    return r


@pytest.fixture
def staffed(office):
    """An office with people and seats before the directory arrives."""
    office.ok("user", "add", "bob", "--role", "employee", "--email", "bob@acme.example", "--dept", "sales")
    office.ok("user", "add", "carol", "--role", "employee", "--email", "carol@acme.example")
    office.ok("user", "add", "dave", "--role", "employee", "--email", "dave.old@acme.example", "--full-name", "Dave Miller")
    office.ok("user", "add", "erin", "--role", "employee", "--email", "erin@acme.example")
    office.ok("user", "add", "cron", "--role", "scanner")
    # The seats were given 100 days ago: a seat is judged inactive only once usage.inactive has passed since then (issue 33).
    at(office, -100, "license", "add", "Slack", "--vendor", "slack", "--seats", "10", "--cost", "8.75", "--per-seat",
       "--assign", "bob", "--assign", "carol", "--assign", "erin")
    at(office, -100, "license", "add", "Figma", "--vendor", "figma", "--seats", "2", "--cost", "540", "--period", "yearly",
       "--assign", "carol")
    return office


def test_google_workspace_sync_diff_dry_run_apply_and_idempotence(staffed):
    o = staffed
    rows = [google_row("Alice", "Admin", "alice@acme.example", sign_in="2026/11/30 09:12:44 UTC"),     # the admin: matched by name
            google_row("Bob", "Builder", "bob@acme.example", dept="Marketing", sign_in="2026/11/20 10:00:00 UTC"),
            google_row("Carol", "Smith", "carol@acme.example", status="Suspended"),
            google_row("Dave", "Miller", "dave@acme.example", dept="Engineering"),                      # renamed address: found by name
            google_row("Erin", "Archer", "erin@acme.example", status="Archived"),
            google_row("Zoë", "Lefèvre", "zoë.lefèvre@acme.example", dept="Design"),
            google_row("José", "Núñez", "jose.nunez@acme.example", dept="Sales")]
    rows += [google_row(f"Person{i}", f"Number{i}", f"person{i}@acme.example", dept="Ops") for i in range(30)]
    rows.append(google_row("Gone", "Before", "gone@acme.example", status="Suspended"))                # left before owatch: not added
    data = google_export(rows)
    before_users, before_events = people(o), len(o.ok("audit", "log", "--json").json())
    dry = sync(o, "users.csv", data, "--dry-run")
    diff = dry.json()
    kinds = sorted({c["change"] for c in diff})
    assert kinds == ["add", "dept", "email", "name", "offboard"]
    assert people(o) == before_users and len(o.ok("audit", "log", "--json").json()) == before_events   # a dry run writes nothing
    assert "Dry run" in dry.err and "would add 32" in dry.err
    r = sync(o, "users.csv", data)
    assert r.json() == diff                                   # the diff printed is the one applied
    users = people(o)
    assert users["carol"]["status"] == "offboarded" and users["erin"]["status"] == "offboarded"
    assert users["bob"]["dept"] == "Marketing" and users["bob"]["full_name"] == "Bob Builder"
    assert users["dave"]["email"] == "dave@acme.example"
    zoe = [u for u in users.values() if u["email"] == "zoë.lefèvre@acme.example"][0]
    assert zoe["name"] == "zoe.lefevre" and zoe["full_name"] == "Zoë Lefèvre" and zoe["role"] == "employee"
    assert "gone" not in users and users["alice"]["role"] == "admin" and users["alice"]["status"] == "active"
    assert users["cron"]["status"] == "active"                # scanners are not in directories, and are never offboarded
    # Seats freed exactly as user offboard does: carol's Slack and Figma seat, erin's Slack: 2 × 8.75 + 540 / 12 / 2.
    assert "saving 40.00 EUR a month" in r.err and "3 seat(s)" in r.err
    assert o.ok("license", "show", "Slack", "--json").json()["assigned_to"] == ["bob"]
    # Found again by e-mail next time: the same export changes nothing.
    again = sync(o, "users.csv", data)
    assert again.json() == [] and "nothing to change" in again.err
    assert people(o) == users
    o.ok("audit", "verify", "--state")


# Run once, on SQLite (make test): a directory export reader; syncs land on PostgreSQL in the Google Workspace test.
@pytest.mark.backend_independent
def test_okta_csv_and_api_json_statuses(office):
    header = "id,status,created,activated,statusChanged,lastLogin,lastUpdated,passwordChanged,login,email,firstName,lastName,department"
    statuses = ["ACTIVE", "SUSPENDED", "DEPROVISIONED", "STAGED", "PROVISIONED", "LOCKED_OUT", "RECOVERY", "PASSWORD_EXPIRED"]
    for s in statuses:
        office.ok("user", "add", s.lower().replace("_", "-"), "--role", "employee", "--email", f"{s.lower()}@acme.example")
    rows = [f"00u{i},{s},2024-01-01T00:00:00.000Z,,,2026-11-0{1 + i % 8}T10:00:00.000Z,,,{s.lower()}@acme.example,{s.lower()}@acme.example,{s.title()},Person,IT"
            for i, s in enumerate(statuses)]
    rows += [f"00ux{i},ACTIVE,2024-01-01T00:00:00.000Z,,,,,,new{i}@acme.example,new{i}@acme.example,New,Hire{i},Sales" for i in range(25)]
    r = sync(office, "okta.csv", "\n".join([header] + rows) + "\n")
    offboarded = sorted(c["user"] for c in r.json() if c["change"] == "offboard")
    assert offboarded == ["deprovisioned", "suspended"]          # STAGED, LOCKED_OUT … never offboard anyone
    assert sum(c["change"] == "add" for c in r.json()) == 25
    # The API's JSON: the same people, the same answer, nothing more to do.
    api = [{"id": f"00u{i}", "status": s, "lastLogin": None, "profile": {"login": f"{s.lower()}@acme.example", "email": f"{s.lower()}@acme.example",
                                                                          "firstName": s.title(), "lastName": "Person", "department": "IT"}}
           for i, s in enumerate(statuses)]
    api += [{"id": f"00ux{i}", "status": "ACTIVE", "profile": {"login": f"new{i}@acme.example", "email": f"new{i}@acme.example",
                                                                "firstName": "New", "lastName": f"Hire{i}", "department": "Sales"}} for i in range(25)]
    assert sync(office, "okta.json", json.dumps(api, indent=2)).json() == []
    bad = api + [{"id": "x", "status": "WEIRD", "profile": {"login": "w@acme.example"}}]
    r = sync(office, "bad.json", json.dumps(bad, indent=2), rc=65)
    assert "WEIRD" in r.err and "line" in r.err


# Run once, on SQLite (make test): directory export readers; syncs land on PostgreSQL in the Google Workspace test.
@pytest.mark.backend_independent
def test_entra_scim_and_plain_csv(office):
    office.ok("user", "add", "max", "--role", "employee", "--email", "max@acme.example")
    entra = ("userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation\n"
             + "".join(f"p{i}@acme.onmicrosoft.com,Person {i},{i},p{i}@acme.example,Person,{i:08d}-0000,Member,,Eng,True,DE\n" for i in range(20))
             + "max@acme.onmicrosoft.com,Max Mustermann,Mustermann,max@acme.example,Max,99999999-0000,Member,,Eng,False,DE\n")
    r = sync(office, "entra.csv", entra)
    assert [c["user"] for c in r.json() if c["change"] == "offboard"] == ["max"]
    scim = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 21, "Resources": [
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": f"p{i}@acme.example", "name": {"formatted": f"Person {i}"},
         "emails": [{"value": f"p{i}@acme.example", "primary": True}], "active": i != 3,
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Eng"}} for i in range(20)]}
    r = sync(office, "scim.json", json.dumps(scim))
    assert [c["user"] for c in r.json() if c["change"] == "offboard"] == ["p3"]
    plain = "name,email,department,status\n" + "".join(f"Person {i},p{i}@acme.example,Eng,{'active' if i != 4 else 'left'}\n" for i in range(20))
    r = sync(office, "plain.csv", plain)
    assert [c["user"] for c in r.json() if c["change"] == "offboard"] == ["p4"]


def test_bad_rows_are_named_and_nothing_is_written(office):
    before = people(office)
    data = ("name,email,department,status\nAnn,ann@acme.example,Eng,active\nNo Mail,,Eng,active\n"
            "Ann Again,ANN@acme.example,Eng,active\nOdd,odd@acme.example,Eng,on the moon\n")
    r = sync(office, "bad.csv", data, rc=65)
    assert "line 3: no e-mail" in r.err and "line 4: ann@acme.example is already on line 2" in r.err and "line 5: status 'on the moon'" in r.err
    assert people(office) == before
    r = sync(office, "what.csv", "foo,bar\n1,2\n", rc=65)
    assert "not one I know" in r.err
    assert office.run("user", "sync", "nope.csv").rc == 66


def test_missing_people_are_offboarded_only_when_asked(staffed):
    o = staffed
    data = "name,email,department,status\nBob,bob@acme.example,sales,active\n"
    r = sync(o, "few.csv", data)
    missing = sorted(c["user"] for c in r.json() if c["change"] == "missing")
    assert missing == ["carol", "dave", "erin"]               # the admin and the scanner are not listed
    assert people(o)["carol"]["status"] == "active"
    # Their seats are orphaned: reclaimable, with findings.
    rows = o.ok("report", "reclaim", "--json").json()
    orphaned = sorted((x["license"], x["user"]) for x in rows if x["reason"] == "orphaned")
    assert orphaned == [("Figma", "carol"), ("Slack", "carol"), ("Slack", "erin")]
    assert {f["kind"] for f in o.ok("scan", "findings", "--json").json()} >= {"orphaned_seat"}
    r = sync(o, "few.csv", data, "--offboard-missing")
    gone = sorted(c["user"] for c in r.json() if c["change"] == "offboard")
    assert gone == ["carol", "dave", "erin"]
    kept = [c for c in r.json() if c["change"] == "kept"]
    assert [c["user"] for c in kept] == ["alice"]             # an admin is never offboarded by a sync
    assert people(o)["alice"]["status"] == "active" and people(o)["cron"]["status"] == "active"
    assert not [f for f in o.ok("scan", "findings", "--json").json() if f["kind"] == "orphaned_seat"]   # the seats were freed


def seat_findings(o):
    return sorted((f["id"], f["kind"], f["license"], f["summary"]) for f in o.ok("scan", "findings", "--json").json()
                  if f["kind"] in ("orphaned_seat", "inactive_seat"))


def current_mark(o):
    return o.sql("SELECT value FROM meta WHERE key = 'seat_findings.current'").strip()


def test_a_sync_refreshing_only_its_peoples_seats_agrees_with_a_full_refresh(staffed):
    """A sync that finds the seat findings current refreshes only the seats of the people whose
    standing it changed; the findings are the ones a refresh of every seat gives."""
    o = staffed
    (o.home / "u.csv").write_text(f"email,last_active\nbob@acme.example,{ago(90)}\ncarol@acme.example,{ago(61)}\nerin@acme.example,{ago(3)}\n")
    o.ok("usage", "import", "Slack", "u.csv")
    assert current_mark(o) == ago(60)                           # the full refresh counted from 60 days ago
    # Bob suspended (offboarded, his seat freed), Erin not in the export (missing: her seat is orphaned).
    rows = [google_row("Bob", "B", "bob@acme.example", status="Suspended"), google_row("Carol", "C", "carol@acme.example"),
            google_row("Dave", "Miller", "dave.old@acme.example")]
    sync(o, "g.csv", google_export(rows))
    after_sync = seat_findings(o)
    assert sorted((k, s.split("'")[0]) for _, k, _, s in after_sync) == [("inactive_seat", "Slack: carol"), ("orphaned_seat", "Slack: erin")]
    assert current_mark(o) == ago(60)
    # The same ledger refreshed in full (the mark cleared by hand, then a scan of nothing) changes nothing.
    o.sql("DELETE FROM meta WHERE key = 'seat_findings.current'")
    (o.home / "empty").mkdir()
    o.ok("scan", "empty")
    assert seat_findings(o) == after_sync
    o.ok("audit", "verify", "--state")


def test_a_sync_after_a_day_or_an_outside_edit_refreshes_every_seat(staffed):
    """The mark says from which day the findings were counted: another day, or any change to
    seats, usage, people or licenses made with another tool, means every seat is looked at again."""
    o = staffed
    (o.home / "u.csv").write_text(f"email,last_active\ncarol@acme.example,{ago(61)}\nerin@acme.example,{ago(3)}\n")
    o.ok("usage", "import", "Slack", "u.csv")
    assert len(seat_findings(o)) == 1
    o.sql("UPDATE usage SET last_active = '2000-01-01' WHERE user_id = (SELECT id FROM users WHERE name = 'erin')")
    assert current_mark(o) == ""                                # the trigger cleared it
    rows = [google_row("Bob", "B", "bob@acme.example", status="Suspended"), google_row("Carol", "C", "carol@acme.example"),
            google_row("Erin", "E", "erin@acme.example"), google_row("Dave", "Miller", "dave.old@acme.example")]
    sync(o, "g.csv", google_export(rows))
    assert sorted(s.split(":")[0] for _, _, _, s in seat_findings(o)) == ["Slack", "Slack"]     # carol's and erin's
    # Findings counted yesterday: a seat may have crossed the threshold overnight.
    o.sql("UPDATE usage SET last_active = '2000-01-01' WHERE user_id = (SELECT id FROM users WHERE name = 'carol') AND license_id = "
          "(SELECT id FROM licenses WHERE name = 'Figma')")
    o.sql(f"INSERT INTO usage(license_id, user_id, last_active, source, imported_at) SELECT l.id, u.id, '2000-01-01', 'generic', '{TODAY}T09:00:00Z' "
          "FROM licenses l, users u WHERE l.name = 'Figma' AND u.name = 'carol'")
    upsert = " ON CONFLICT (key) DO UPDATE SET value = excluded.value" if o.ledger_url else ""
    o.sql(f"INSERT {'' if o.ledger_url else 'OR REPLACE '}INTO meta(key, value) VALUES ('seat_findings.current', '{ago(61)}'){upsert}")
    sync(o, "g2.csv", google_export(rows[:3] + [google_row("Dave", "Miller", "dave.old@acme.example", dept="ops")]))   # a change
    assert "Figma" in " ".join(s for _, _, _, s in seat_findings(o))


USAGE = {   # format: (header, row for (email, login, date)) as each vendor writes its export
    "generic": ("email,last_active", lambda e, l, d: f"{e},{d}"),
    "google": (GOOGLE_HEADER, lambda e, l, d: google_row("A", "B", e, sign_in=(d.replace("-", "/") + " 10:00:00 UTC") if d else "Never logged in")),
    "slack": ("Name,What I do,Account type,Account created (UTC),Claimed Date (UTC),Deactivated date (UTC),Days active,Messages posted,Last active (UTC),Email",
              lambda e, l, d: f"{l},,Member,Jan 2 2024,Jan 2 2024,,30,12,{d},{e}"),
    # GitHub's Copilot activity report: report_time, login, last_authenticated_at, last_activity_at, last_surface_used.
    "github": ("report_time,login,last_authenticated_at,last_activity_at,last_surface_used",
               lambda e, l, d: f"{TODAY}T00:00:00Z,{l},{d}T08:00:00Z,{d}T09:00:00Z,VS Code 1.89.1" if d else f"{TODAY}T00:00:00Z,{l},,,Unspecified"),
    "zoom": ("First Name,Last Name,Email,User Type,Department,Last Login Time,Last Client Version",
             lambda e, l, d: f"A,B,{e},Licensed,Eng,{datetime.date.fromisoformat(d).strftime('%m/%d/%Y') + ' 10:00:00 AM' if d else ''},6.0"),
    "atlassian": ("User id,User name,email,User status,Added to org,Org role,Last seen in Jira - acme.atlassian.net,Last seen in Confluence - acme.atlassian.net",
                  lambda e, l, d: f"id-{l},{l},{e},Active,2024-01-01,Member,{datetime.date.fromisoformat(d).strftime('%d %b %Y') if d else 'Never accessed'},"),
    "m365": ("Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,Exchange Last Activity Date,Teams Last Activity Date,Assigned Products",
             lambda e, l, d: f"{TODAY},{e},{l},False,,{d},,OFFICE 365 E3"),
}


# Run once, on SQLite (make test): usage export readers; usage lands on PostgreSQL in test_thresholds_reclaim_hooks_and_findings.
@pytest.mark.backend_independent
def test_usage_from_slack_analytics_and_copilot_api_json(staffed):
    o = staffed
    epoch = int(datetime.datetime.combine(TODAY - datetime.timedelta(days=70), datetime.time(12)).timestamp())
    (o.home / "a.csv").write_text(f"date,user_id,email_address,is_active,date_last_active\n{TODAY},U1,bob@acme.example,true,{epoch}\n")
    assert o.ok("usage", "import", "Slack", "a.csv", "--json").json()["format"] == "slack"
    seats = {"total_seats": 2, "seats": [{"created_at": "2026-01-01T00:00:00Z", "last_activity_at": f"{ago(2)}T10:00:00Z", "last_activity_editor": "vscode",
                                          "assignee": {"login": "carol", "id": 1, "type": "User"}},
                                         {"created_at": "2026-01-01T00:00:00Z", "last_activity_at": None, "assignee": {"login": "erin", "type": "User"}}]}
    (o.home / "seats.json").write_text(json.dumps(seats, indent=2))
    r = o.ok("usage", "import", "Slack", "seats.json", "--json").json()
    assert r["format"] == "github" and r["recorded"] == 2
    seen = {u["user"]: u["last_active"] for u in o.ok("usage", "list", "--json").json()}
    assert seen == {"bob": ago(70), "carol": ago(2), "erin": None}


# Run once, on SQLite (make test): usage export readers; usage lands on PostgreSQL in test_thresholds_reclaim_hooks_and_findings.
@pytest.mark.backend_independent
@pytest.mark.parametrize("fmt", sorted(USAGE))
def test_usage_import_every_format(staffed, fmt):
    o = staffed
    header, row = USAGE[fmt]
    people_rows = [("bob@acme.example", "bob", ago(3)), ("carol@acme.example", "carol", ago(61)), ("erin@acme.example", "erin", "")]
    people_rows += [(f"x{i}@acme.example", f"x{i}", ago(i)) for i in range(20)]            # in the export, holding no seat
    text = "\n".join([header] + [row(e, l, d) for e, l, d in people_rows]) + "\n"
    (o.home / "usage.csv").write_text(text)
    r = o.ok("usage", "import", "Slack", "usage.csv", "--json").json()
    assert r["format"] == fmt and r["recorded"] == 3 and len(r["not_holders"]) == 20 and r["missing"] == []
    seen = {u["user"]: u["last_active"] for u in o.ok("usage", "list", "--license", "Slack", "--json").json()}
    assert seen == {"bob": ago(3), "carol": ago(61), "erin": None}
    inactive = sorted(x["user"] for x in o.ok("report", "reclaim", "--json").json() if x["reason"] == "inactive")
    assert inactive == ["carol", "erin"]                       # 61 days and never; bob used it 3 days ago


# Run once, on SQLite (make test): the usage reader's message; writes nothing.
@pytest.mark.backend_independent
def test_unknown_usage_headers_list_what_is_expected(staffed):
    (staffed.home / "u.csv").write_text("who,when\nbob,2026-01-01\n")
    r = staffed.run("usage", "import", "Slack", "u.csv")
    assert r.rc == 65 and "Last Login Time" in r.err and "last_activity_at" in r.err
    (staffed.home / "d.csv").write_text("email,last_active\nbob@acme.example,yesterday-ish\n")
    r = staffed.run("usage", "import", "Slack", "d.csv")
    assert r.rc == 65 and "line 2" in r.err
    assert staffed.ok("usage", "list", "--json").json() == []


def test_thresholds_reclaim_hooks_and_findings(staffed):
    o = staffed
    (o.home / "u.csv").write_text(f"email,last_active\nbob@acme.example,{ago(60)}\ncarol@acme.example,{ago(61)}\nerin@acme.example,{ago(10)}\n")
    o.ok("usage", "import", "Slack", "u.csv")
    rows = o.ok("report", "reclaim", "--json").json()
    inactive = [x for x in rows if x["reason"] == "inactive"]
    assert [x["user"] for x in inactive] == ["carol"]          # 60 days ago is inside the threshold, 61 is past it
    assert inactive[0]["monthly_minor"] == 875 and inactive[0]["yearly_minor"] == 10500
    idle = [x for x in rows if x["reason"] == "idle" and x["license"] == "Slack"][0]
    assert idle["seats"] == 7 and idle["monthly_minor"] == 6125
    assert [x["user"] for x in o.ok("report", "reclaim", "--inactive", "5d", "--json").json() if x["reason"] == "inactive"] == ["bob", "carol", "erin"]
    assert "Reclaimable:" in o.ok("report", "reclaim").out
    assert o.ok("report", "summary", "--json").json()["reclaimable_monthly"] == [{"amount": 8.75, "amount_minor": 875, "currency": "EUR"}]
    finding = [f for f in o.ok("scan", "findings", "--json").json() if f["kind"] == "inactive_seat"]
    assert len(finding) == 1 and "carol" in finding[0]["summary"]
    hook = o.install_hook("seat-reclaimed", f'cat >> "{o.home}/reclaimed.jsonl"\n')
    dry = o.ok("license", "reclaim", "Slack", "--dry-run", "--json").json()
    assert [x["user"] for x in dry] == ["carol"] and not (o.home / "reclaimed.jsonl").exists()
    r = o.ok("license", "reclaim", "Slack")
    assert "saving 8.75 EUR a month" in r.err
    assert o.ok("license", "show", "Slack", "--json").json()["assigned_to"] == ["bob", "erin"]     # never a seat used inside the threshold
    events = [json.loads(line) for line in (o.home / "reclaimed.jsonl").read_text().splitlines()]
    assert [(e["license"], e["user"], e["reason"]) for e in events] == [("Slack", "carol", "inactive")]
    # The hook gets the seat as the reclaim row declares it: the same keys as `--json`, in its order.
    assert list(events[0]) == list(dry[0]) and events[0]["monthly_minor"] == 875
    assert [f for f in o.ok("scan", "findings", "--json").json() if f["kind"] == "inactive_seat"] == []
    resolved = [f for f in o.ok("scan", "findings", "--status", "resolved", "--json").json() if f["kind"] == "inactive_seat"]
    assert len(resolved) == 1
    assert o.ok("license", "reclaim", "Slack").err.startswith("Nothing to reclaim")
    o.ok("report", "html", "--out", "d.html")
    assert "Seats to reclaim" in (o.home / "d.html").read_text()
    o.ok("audit", "verify", "--state")
    assert hook.exists()


def test_true_up_appears_and_clears(staffed):
    o = staffed
    # Figma pays for 2 seats; 3 people used it this month.
    (o.home / "f.csv").write_text(f"email,last_active\ncarol@acme.example,{ago(1)}\nbob@acme.example,{ago(2)}\nerin@acme.example,{ago(3)}\n")
    r = o.ok("usage", "import", "Figma", "f.csv", "--json").json()
    assert r["active"] == 3 and sorted(r["not_holders"]) == ["bob@acme.example", "erin@acme.example"]
    trueup = [f for f in o.ok("scan", "findings", "--json").json() if f["kind"] == "true_up"]
    assert len(trueup) == 1 and trueup[0]["monthly_minor"] == 2250 and trueup[0]["license"] == "Figma"
    o.ok("license", "grow", "Figma", "--seats", "1")
    assert [f for f in o.ok("scan", "findings", "--json").json() if f["kind"] == "true_up"] == []


def test_permissions(staffed):
    o = staffed
    bob = o.home / "bob.token"
    o.ok("user", "token", "bob", "--out", bob)
    scanner = o.home / "cron.token"
    o.ok("user", "token", "cron", "--out", scanner)
    (o.home / "u.csv").write_text(f"email,last_active\nbob@acme.example,{ago(1)}\ncarol@acme.example,{ago(100)}\n")
    (o.home / "d.csv").write_text("name,email,department,status\nBob,bob@acme.example,x,active\n")
    assert o.run("user", "sync", "d.csv", token=bob).rc == 77
    assert o.run("user", "sync", "d.csv", token=scanner).rc == 77
    assert o.run("usage", "import", "Slack", "u.csv", token=bob).rc == 77
    o.ok("usage", "import", "Slack", "u.csv", token=scanner)                 # cron may feed usage
    assert o.run("usage", "list", token=scanner).rc == 77
    assert o.run("report", "reclaim", token=scanner).rc == 77
    assert o.run("license", "reclaim", "Slack", token=bob).rc == 77
    mine = o.ok("usage", "list", "--json", token=bob).json()
    assert [u["user"] for u in mine] == ["bob"]                             # employees see their own usage only


# --- Who each row is (issues 29, 33): the admin init made, guests, directory ids before addresses ---------
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
