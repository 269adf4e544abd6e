"""`owatch user sync`, who each row is (issues 29, 33): the first sync finds the admin init made, an
admin without e-mail is not added twice, Entra guests and service accounts, and directory ids settled
before addresses, so a changed address is an e-mail change."""
import datetime
import pytest
import shutil
from conftest import Office, at, google_export, google_row
from test_usage import TODAY


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
