"""Issue 36, inventory: Snipe-IT's licence and user CSVs and Wallos's subscription export, read by
`license import --from` / `user import --from` and written by `license list --format`, both ways.

Sources of the formats (headers only are copied; the rows below are made up for these tests):
- Snipe-IT, https://github.com/snipe/snipe-it (AGPL-3.0), commit 5aa5c48018f25ae5eb8671bc278469e85d0ac054:
  sample_csvs/licenses-sample.csv and sample_csvs/users-sample.csv (their header rows, verbatim),
  app/Livewire/Importer.php (the importer's column names and aliases), app/Importer/LicenseImporter.php.
- Wallos, https://github.com/ellite/Wallos (GPL-3.0), commit 5d5baf357182a1bee2a9d918fe2e657ca4585269:
  endpoints/subscriptions/export.php (the export's keys) and scripts/profile.js (its CSV: the keys
  as header, values joined by commas); older exports lack Payment Cycle and Renewal.
"""
import json

import pytest

# sample_csvs/licenses-sample.csv's header, verbatim.
SNIPE_LICENSE_HEADER = ("Full Name,Email,Username,Item name,serial number,Category,manufacturer,purchase date,purchase cost,"
                        "purchase order,order number,Licensed To Name,Licensed to Email,expiration date,maintained,reassignable,"
                        "seats,company,supplier,notes")
# sample_csvs/users-sample.csv's header, verbatim (the file starts with a byte-order mark).
SNIPE_USER_HEADER = ("\ufeffFirst Name,Last Name,Email,Username,Activated,Location,Address,City,State,Country,Postal Code,Website,"
                     "Phone,Job Title,Notes,Employee Number,Company,Manager,Remote,VIP,Start Date,End Date,Gravatar")
WALLOS_KEYS = ["Name", "Payment Cycle", "Next Payment", "Renewal", "Category", "Payment Method", "Paid By", "Price", "Notes", "URL",
               "State", "Notifications", "Cancellation Date", "Active"]


def people(o):
    for name in ["bob", "carol"]:
        o.ok("user", "add", name, "--role", "employee", "--email", f"{name}@acme.example", "--token-out", o.home / f"{name}.token")


def licenses(o):
    return {l["name"]: l for l in o.ok("license", "list", "--json").json()}


def snipe_file(o, rows, name="snipe.csv"):
    p = o.home / name
    p.write_text(SNIPE_LICENSE_HEADER + "\n" + "".join(r + "\n" for r in rows))
    return p


SNIPE_ROWS = [
    # One row per checkout, the licence's details repeated (as Snipe-IT's importer checks out one seat a row).
    "Bob B,bob@acme.example,bob,Office 365,4c2713a1,Productivity,Microsoft,11/24/2026,$12.50,PO-1,749317252-8,,,02/26/2027,false,yes,5,Acme,Reseller Inc,\"E3, yearly\"",
    "Carol C,carol@acme.example,,Office 365,4c2713a1,Productivity,Microsoft,11/24/2026,$12.50,PO-1,749317252-8,,,02/26/2027,false,yes,5,Acme,Reseller Inc,\"E3, yearly\"",
    ",,,WinZip,,Utilities,Corel,01/02/2026,$30.00,,,Acme GmbH,it@acme.example,,false,yes,1,Acme,,",
]


def test_snipe_it_licences_read_with_checkouts_and_the_cost_question(office):
    people(office)
    f = snipe_file(office, SNIPE_ROWS)
    asked = office.run("license", "import", "--from", "snipe-it", f)
    assert asked.rc == 64 and "per seat in recent versions" in asked.err and "--cost per-seat" in asked.err, asked
    assert licenses(office) == {}
    office.ok("license", "import", "--from", "snipe-it", f, "--cost", "per-seat")
    ls = licenses(office)
    o365 = ls["Office 365"]
    assert o365["vendor"] == "Microsoft 365" and o365["seats"] == 5 and o365["per_seat"] is True
    assert o365["cost_minor"] == 6250 and o365["currency"] == "USD" and o365["period"] == "yearly"
    assert o365["renews_on"] == "2027-02-26" and sorted(o365["assigned_to"]) == ["bob", "carol"]
    assert o365["lines"][0]["order"] == "749317252-8" and o365["lines"][0]["purchased_on"] == "2026-11-24"
    assert o365["notes"] == "E3, yearly" and o365["category"] == "productivity"
    winzip = ls["WinZip"]
    # No expiry: a perpetual purchase. A licensee who is not a person here stays in the notes.
    assert winzip["period"] == "one-off" and winzip["renews_on"] is None and winzip["owner"] is None
    assert "Licensed to Acme GmbH <it@acme.example>" in winzip["notes"]


# Run once, on SQLite (make test): the import's message on a tool's file; writes nothing.
@pytest.mark.backend_independent
def test_a_tool_file_without_from_gets_a_hint(office):
    people(office)
    r = office.run("license", "import", snipe_file(office, SNIPE_ROWS))
    assert r.rc == 65 and "--from snipe-it" in r.err, r
    f = office.home / "subscriptions.json"
    f.write_text(json.dumps(WALLOS_EXPORT))
    r = office.run("license", "import", f)
    assert r.rc == 65 and "--from wallos" in r.err, r


# Run once, on SQLite (make test): the Snipe-IT reader; Snipe-IT imports land on PostgreSQL in test_snipe_it_licences_read.
@pytest.mark.backend_independent
def test_snipe_it_older_total_cost(office):
    people(office)
    office.ok("license", "import", "--from", "snipe-it", snipe_file(office, SNIPE_ROWS), "--cost", "total")
    o365 = licenses(office)["Office 365"]
    assert o365["cost_minor"] == 1250 and o365["per_seat"] is False


def test_snipe_it_own_licence_list_export(office):
    # Snipe-IT's licence list exports other headers than its importer reads (its issue #11679):
    # app/Presenters/LicensePresenter.php's column titles. owatch reads those too.
    f = office.home / "licenses-export.csv"
    f.write_text("ID,Company,Name,Product Key,Expiration Date,Licensed to Email,Licensed to Name,Category,Supplier,Manufacturer,"
                 "Min QTY,Total,Avail,Purchase Date,Termination Date,Depreciation,Maintained,Reassignable,Purchase Cost,"
                 "Purchase Order Number,Order Number,Created By,Created At,Updated At,Notes,Checkin/Checkout,Actions\n"
                 "12,Acme,Office 365,XXXX-YYYY,2027-02-26 00:00:01,,,Productivity,Reseller,Microsoft,0,5,3,2026-02-26,,,Yes,Yes,"
                 "\"1,250.00\",PO-1,SO-9,admin,2026-02-26 10:00:00,2026-02-26 10:00:00,,Checkout,\n")
    r = office.run("license", "import", "--from", "snipe-it", f)
    assert r.rc == 64 and "--cost" in r.err, r
    office.ok("license", "import", "--from", "snipe-it", f, "--cost", "total")
    o365 = licenses(office)["Office 365"]
    assert o365["seats"] == 5 and o365["cost_minor"] == 125000 and o365["renews_on"] == "2027-02-26"
    assert o365["lines"][0]["order"] == "SO-9" and o365["lines"][0]["purchased_on"] == "2026-02-26"


# Run once, on SQLite (make test): the Snipe-IT reader, dry run.
@pytest.mark.backend_independent
def test_snipe_it_dry_run_shows_each_row_and_writes_nothing(office):
    people(office)
    r = office.ok("license", "import", "--from", "snipe-it", snipe_file(office, SNIPE_ROWS), "--cost", "per-seat", "--dry-run")
    assert "Office 365" in r.out and "holders bob, carol" in r.out and "62.50 USD (per seat)" in r.out and "WinZip" in r.out
    assert "nothing was written" in r.err
    assert licenses(office) == {}


def test_snipe_it_bad_rows_name_file_line_and_column_and_write_nothing(office):
    people(office)
    rows = SNIPE_ROWS + [",,,Photoshop,,Design,Adobe,13/45/2026,$10,,,,,,false,yes,1,,,",
                         ",,,Figma,,Design,Figma,2026-01-01,=1+2,,,,,,false,yes,1,,,",
                         "Dan,dan@nowhere.example,dan,Sketch,,Design,Sketch,2026-01-01,$5,,,,,,false,yes,1,,,"]
    r = office.run("license", "import", "--from", "snipe-it", snipe_file(office, rows), "--cost", "per-seat")
    assert r.rc == 65, r
    assert "snipe.csv: line 5: Purchase Date" in r.err, r.err
    assert "snipe.csv: line 6: Purchase Cost" in r.err, r.err
    assert "snipe.csv: line 7:" in r.err and "dan" in r.err, r.err
    assert licenses(office) == {}


def test_snipe_it_rows_of_one_licence_must_agree(office):
    people(office)
    rows = [SNIPE_ROWS[0], SNIPE_ROWS[1].replace(",5,Acme", ",6,Acme")]
    r = office.run("license", "import", "--from", "snipe-it", snipe_file(office, rows), "--cost", "per-seat")
    assert r.rc == 65 and "line 3:" in r.err and "also on line 2" in r.err, r


# Run once, on SQLite (make test): the Snipe-IT reader's charset and columns.
@pytest.mark.backend_independent
def test_snipe_it_windows_1252_and_unknown_column(office):
    p = office.home / "latin.csv"
    p.write_bytes((SNIPE_LICENSE_HEADER + "\n,,,Büro Suite,,Office,Müller,,12,,,,,,,,1,,,\n").encode("cp1252"))
    r = office.ok("license", "import", "--from", "snipe-it", p)
    assert "Windows-1252" in r.err
    assert "Büro Suite" in licenses(office)
    bad = office.home / "bad.csv"
    bad.write_text("Item Name,Seats,Colour\nX,1,red\n")
    r = office.run("license", "import", "--from", "snipe-it", bad)
    assert r.rc == 65 and "column 3" in r.err and "colour" in r.err, r


def build_inventory(o):
    people(o)
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "10", "--cost", "8.75", "--per-seat", "--renews", "2030-01-01",
         "--assign", "bob", "--assign", "carol")
    o.ok("license", "add", "Adobe CC", "--vendor", "adobe", "--plan", "Teams", "--seats", "3", "--cost", "1200", "--period", "yearly",
         "--renews", "2030-03-01", "--owner", "bob", "--notes", "design team, \"pack\"", "--order", "PO-7")
    o.ok("license", "add", "WinRAR", "--vendor", "winrar", "--seats", "5", "--cost", "$100", "--period", "one-off")
    o.ok("license", "add", "M365", "--vendor", "m365", "--seats", "unlimited", "--cost", "2400", "--period", "24m", "--renews", "2031-01-01")
    o.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "2", "--cost", "20", "--renews", "2030-02-01")
    o.ok("license", "cancel", "Zoom", "--yes")


def same_inventory(a, b):
    la, lb = licenses(a), licenses(b)
    assert sorted(la) == sorted(lb)
    for name in la:
        x, y = dict(la[name]), dict(lb[name])
        x.pop("id"), y.pop("id")
        assert x == y, name


def test_round_trip_owatch_snipe_it_owatch(office, tmp_path_factory):
    build_inventory(office)
    exported = office.ok("license", "list", "--format", "snipe-it").out
    header = exported.splitlines()[0].split(",")
    # The columns Snipe-IT's importer maps by name, then owatch's own four (which it leaves unmapped).
    assert header[:4] == ["Item Name", "Category", "Manufacturer", "Seats"] and "Expiration Date" in header
    assert "Licensed to Email" in header and "Username" in header and header[-4:] == ["Billing Period", "Currency", "Cost Basis", "Plan"]
    assert sum(1 for line in exported.splitlines() if line.startswith("Slack,")) == 2      # a row per checkout
    from conftest import Office
    other = Office(tmp_path_factory.mktemp("other"))
    other.ok("init", "--org", "Other", "--admin", "alice", "--currency", "EUR")
    people(other)
    f = other.home / "from-snipe.csv"
    f.write_text(exported)
    other.ok("license", "import", "--from", "snipe-it", f)
    same_inventory(office, other)
    assert other.ok("license", "list", "--format", "snipe-it").out == exported


# Run once, on SQLite (make test): an export format's formula guard.
@pytest.mark.backend_independent
def test_snipe_it_export_guards_formulas_and_is_admin_only(office):
    people(office)
    office.ok("license", "add", "=HYPERLINK(\"x\")", "--vendor", "acme", "--seats", "1", "--cost", "1")
    out = office.ok("license", "list", "--format", "snipe-it").out
    assert "\"'=HYPERLINK(\"\"x\"\")\"" in out
    r = office.run("license", "list", "--format", "snipe-it", token=office.home / "bob.token")
    assert r.rc == 77, r
    r = office.run("user", "list", "--format", "wallos")
    assert r.rc == 64 and "license list" in r.err, r


def test_snipe_it_users_csv(office):
    p = office.home / "users.csv"
    p.write_text(SNIPE_USER_HEADER + "\n"
                 "Reagen,Tenant,rtenant@acme.example,rtenant,true,HQ,1 Main St,,,,,,555,Nurse,notes,E-1,Acme,,true,true,2022-03-18,,\n"
                 "Kenneth,Lefeuvre,klefeuvre@acme.example,klefeuvre,false,HQ,,,,,,,,Engineer,,E-2,Acme,,true,,,,\n"
                 "Dora,Diaz,ddiaz@acme.example,ddiaz,true,HQ,,,,,,,,Manager,,E-3,Acme,,false,,,,\n")
    dry = office.ok("user", "import", "--from", "snipe-it", p, "--dry-run")
    assert "rtenant@acme.example" in dry.out and "ddiaz@acme.example" in dry.out
    assert [u["name"] for u in office.ok("user", "list", "--json").json()] == ["alice"]
    office.ok("user", "import", "--from", "snipe-it", p)
    users = {u["email"]: u for u in office.ok("user", "list", "--json").json() if u["email"]}
    assert users["rtenant@acme.example"]["full_name"] == "Reagen Tenant" and users["rtenant@acme.example"]["role"] == "employee"
    assert "klefeuvre@acme.example" not in users          # not activated in Snipe-IT: not added as a person of the office
    # Then the licences that check seats out to them by e-mail import too.
    office.ok("license", "import", "--from", "snipe-it",
              snipe_file(office, ["Reagen Tenant,rtenant@acme.example,,Miro,,Design,Miro,,$8,,,,,,false,yes,1,,,"]))
    assert licenses(office)["Miro"]["assigned_to"] == [users["rtenant@acme.example"]["name"]]


WALLOS_EXPORT = [
    {"Name": "Netflix", "Payment Cycle": "Monthly", "Next Payment": "2030-01-15", "Renewal": "Automatic", "Category": "Entertainment",
     "Payment Method": "PayPal", "Paid By": "bob", "Price": "€15.99", "Notes": "family plan", "URL": "https://www.netflix.com",
     "State": "Enabled", "Notifications": "Enabled", "Cancellation Date": "", "Active": "Yes"},
    {"Name": "Backblaze", "Payment Cycle": "Every 3 Months", "Next Payment": "2030-02-01", "Renewal": "Automatic",
     "Category": "No category", "Payment Method": "Visa", "Paid By": "Alice", "Price": "$21", "Notes": "", "URL": "",
     "State": "Enabled", "Notifications": "Disabled", "Cancellation Date": "2030-06-30", "Active": "Yes"},
    {"Name": "Old VPN", "Payment Cycle": "Yearly", "Next Payment": "2030-05-01", "Renewal": "Manual", "Category": "Utilities",
     "Payment Method": "Visa", "Paid By": "", "Price": "€40", "Notes": "", "URL": "", "State": "Disabled",
     "Notifications": "Disabled", "Cancellation Date": "", "Active": "No"},
]


def test_wallos_json_export_read(office):
    people(office)
    f = office.home / "subscriptions.json"
    f.write_text(json.dumps(WALLOS_EXPORT))
    dry = office.ok("license", "import", "--from", "wallos", f, "--dry-run")
    assert "Netflix" in dry.out and "15.99 EUR" in dry.out and licenses(office) == {}
    office.ok("license", "import", "--from", "wallos", f)
    ls = licenses(office)
    n = ls["Netflix"]
    assert n["cost_minor"] == 1599 and n["currency"] == "EUR" and n["period"] == "monthly" and n["renews_on"] == "2030-01-15"
    assert n["owner"] == "bob" and n["notes"] == "family plan" and n["category"] == "entertainment" and n["seats"] == 1
    b = ls["Backblaze"]
    assert b["period"] == "quarterly" and b["currency"] == "USD" and b["cost_minor"] == 2100
    assert b["status"] == "cancelled" and b["ends_on"] == "2030-06-30"
    assert b["owner"] == "alice"            # Paid By names a person here, case-insensitively
    v = ls["Old VPN"]
    assert v["status"] == "cancelled" and v["ends_on"] == "2030-04-30"


# Run once, on SQLite (make test): the Wallos reader; Wallos imports land on PostgreSQL in test_wallos_json_export_read.
@pytest.mark.backend_independent
def test_wallos_csv_export_read_and_the_endpoint_wrapper(office):
    people(office)
    # Wallos's page joins the values with commas, unquoted (export.php turns commas in names into spaces).
    f = office.home / "subscriptions.csv"
    f.write_text(",".join(WALLOS_EXPORT[0]) + "\n" + "\n".join(",".join(row.values()) for row in WALLOS_EXPORT) + "\n")
    office.ok("license", "import", "--from", "wallos", f)
    assert sorted(licenses(office)) == ["Backblaze", "Netflix", "Old VPN"]
    g = office.home / "endpoint.json"
    g.write_text(json.dumps({"success": True, "subscriptions": [dict(WALLOS_EXPORT[0], Name="Spotify")]}))
    office.ok("license", "import", "--from", "wallos", g)
    assert "Spotify" in licenses(office)


# Run once, on SQLite (make test): the Wallos reader refuses before any write.
@pytest.mark.backend_independent
def test_wallos_older_export_without_cycle_asks_for_period(office):
    old = [{k: v for k, v in s.items() if k not in ("Payment Cycle", "Renewal")} for s in WALLOS_EXPORT[:1]]
    f = office.home / "old.json"
    f.write_text(json.dumps(old, indent=1))
    r = office.run("license", "import", "--from", "wallos", f)
    assert r.rc == 65 and "old.json: line 2: record 1: no Payment Cycle" in r.err and "--period" in r.err, r
    assert licenses(office) == {}
    office.ok("license", "import", "--from", "wallos", f, "--period", "yearly")
    assert licenses(office)["Netflix"]["period"] == "yearly"


def test_wallos_older_export_period_from_the_charges_seen(office):
    # Dropbox paid each quarter, as the ledger's charges show; the Wallos URL names the vendor.
    for day in ["2026-01-10", "2026-04-10", "2026-07-09", "2026-10-10"]:
        office.ok("charge", "add", "dropbox", "€36", "--on", day)
    old = [{"Name": "Dropbox Plus", "Next Payment": "2027-01-10", "Category": "Storage", "Payment Method": "Visa", "Paid By": "",
            "Price": "€36", "Notes": "", "URL": "https://www.dropbox.com/plans", "State": "Enabled", "Notifications": "Enabled",
            "Cancellation Date": "", "Active": "Yes"}]
    f = office.home / "old.json"
    f.write_text(json.dumps(old))
    office.ok("license", "import", "--from", "wallos", f)
    d = licenses(office)["Dropbox Plus"]
    assert d["period"] == "quarterly" and d["vendor"] == "Dropbox"


# Run once, on SQLite (make test): the Wallos reader refuses before any write.
@pytest.mark.backend_independent
def test_wallos_daily_cycle_and_bad_price_refused(office):
    rows = [dict(WALLOS_EXPORT[0], **{"Payment Cycle": "Daily"}), dict(WALLOS_EXPORT[0], Name="X", Price="lots")]
    f = office.home / "bad.json"
    f.write_text(json.dumps(rows, indent=1))
    r = office.run("license", "import", "--from", "wallos", f)
    assert r.rc == 65 and "record 1: Payment Cycle" in r.err and "record 2: Price" in r.err, r
    assert licenses(office) == {}


def build_subscriptions(o):
    people(o)
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "1", "--cost", "87.50", "--renews", "2030-01-01")
    o.ok("license", "add", "Adobe CC", "--vendor", "adobe", "--seats", "1", "--cost", "1200", "--period", "yearly", "--renews",
         "2030-03-01", "--owner", "bob", "--notes", "design, \"team\"", "--category", "design")
    o.ok("license", "add", "Hosting", "--vendor", "Hosting", "--seats", "1", "--cost", "$30", "--period", "6m", "--renews", "2030-02-01")
    o.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "1", "--cost", "20", "--renews", "2030-02-01")
    o.ok("license", "cancel", "Zoom", "--yes")


@pytest.mark.parametrize("csv", [False, True])
def test_round_trip_owatch_wallos_owatch(office, tmp_path_factory, csv):
    build_subscriptions(office)
    args = ["license", "list", "--format", "wallos"] + (["--wallos-csv"] if csv else [])
    exported = office.ok(*args).out
    if csv:
        assert exported.splitlines()[0].split(",") == WALLOS_KEYS
    else:
        assert list(json.loads(exported)[0]) == WALLOS_KEYS
    from conftest import Office
    other = Office(tmp_path_factory.mktemp("other"))
    other.ok("init", "--org", "Other", "--admin", "alice", "--currency", "EUR")
    people(other)
    f = other.home / ("w.csv" if csv else "w.json")
    f.write_text(exported)
    other.ok("license", "import", "--from", "wallos", f)
    same_inventory(office, other)
    assert other.ok(*args).out == exported


# Run once, on SQLite (make test): the import reader, dry run.
@pytest.mark.backend_independent
def test_import_dry_run_shows_each_row_as_read(office):
    office.add_user("bob")
    (office.home / "x.csv").write_bytes(
        "name;vendor;plan;seats;cost;period;renews_on;assigned\r\nMiro;miro;Büro;5;1.234,56;yearly;01/03/2027;\r\n"
        "Loom;loom;;3;12,50;monthly;15/01/2027;bob\r\n".encode("cp1252"))
    r = office.ok("license", "import", "x.csv", "--date-format", "DD/MM/YYYY", "--dry-run")
    rows = r.out.splitlines()
    assert rows[0].split() == ["CHANGE", "LICENSE", "WHAT"], r.out
    assert "Miro" in rows[1] and "plan Büro" in rows[1] and "1,234.56 EUR" in rows[1] and "yearly" in rows[1] \
        and "renews 2027-03-01" in rows[1], rows
    assert "Loom" in rows[2] and "12.50 EUR" in rows[2] and "renews 2027-01-15" in rows[2] and "holders bob" in rows[2], rows
    assert "nothing was written" in r.err
    assert office.ok("license", "list", "--json").json() == []
    counts = office.ok("license", "import", "x.csv", "--date-format", "DD/MM/YYYY", "--dry-run", "--json").json()
    assert counts == {"licenses": 2, "seats": 1, "dry_run": True}       # programs keep the counts


def inventory(office):
    for u in ("bob", "carol", "dave"):
        office.add_user(u)
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8.75", "--per-seat", "--renews", "2027-01-01",
              "--assign", "bob", "--assign", "carol", "--plan", "Pro", "--notes", "team; chat, \"quoted\"")
    office.ok("license", "grow", "Slack", "--seats", "2", "--order", "PO-1;2")
    office.ok("license", "add", "Office", "--vendor", "m365", "--seats", "unlimited", "--cost", "2400", "--period", "24m", "--assign", "dave")
    office.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "2", "--cost", "30", "--renews", "2027-03-01")
    office.ok("license", "cancel", "Zoom", "--on", "2027-02-28")


def second_office(office, name):
    from conftest import Office
    (office.home / name).mkdir()
    other = Office(office.home / name)
    other.ok("init", "--org", "Other", "--admin", "alice")
    for u in ("bob", "carol", "dave"):
        other.add_user(u)
    return other


def test_every_list_format_imports_back_losslessly(office):
    inventory(office)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "id"} for r in rows]
    expected = strip(office.ok("license", "list", "--json").json())
    assert {r["status"] for r in expected} == {"active", "cancelled"}
    for fmt, suffix in (("csv", "csv"), ("json", "json"), ("jsonl", "jsonl")):
        export = office.ok("license", "list", "--format", fmt).out
        other = second_office(office, f"o-{fmt}")
        path = other.home / f"inv.{suffix}"
        path.write_text(export)
        other.ok("license", "import", path)
        assert strip(other.ok("license", "list", "--json").json()) == expected, fmt


def test_import_update_shows_the_diff_and_dry_run_writes_nothing(office):
    inventory(office)
    rows = office.ok("license", "list", "--json").json()
    for r in rows:
        if r["name"] == "Slack":
            r["assigned_to"] = ["bob", "dave"]
            r["lines"][0]["cost"] = 30.00
        if r["name"] == "Office":
            r["notes"] = "site licence"
    rows.append({"name": "Figma", "vendor": "figma", "seats": 2, "cost": 45})
    path = office.home / "edited.json"
    path.write_text(json.dumps(rows, indent=2))
    before = office.ok("license", "list", "--json").out
    r = office.ok("license", "import", path, "--update", "--dry-run", "--json")
    changes = {c["license"]: c for c in r.json()}
    assert changes["Figma"]["change"] == "add"
    assert "holders +dave -carol" in changes["Slack"]["what"] and "26.25 EUR → 1×30.00" not in changes["Slack"]["what"]
    assert "notes - → site licence" in changes["Office"]["what"]
    assert "Zoom" not in changes
    assert office.ok("license", "list", "--json").out == before                       # a dry run changes nothing
    office.ok("license", "import", path, "--update")
    after = {l["name"]: l for l in office.ok("license", "list", "--json").json()}
    assert after["Slack"]["assigned_to"] == ["bob", "dave"] and after["Office"]["notes"] == "site licence" and "Figma" in after
    assert after["Slack"]["id"] == [l for l in json.loads(before) if l["name"] == "Slack"][0]["id"]   # updated in place
    r = office.run("license", "import", path)                                          # without --update: names are taken
    assert r.rc == 65 and "--update" in r.err
    office.ok("audit", "verify", "--state")


# Run once, on SQLite (make test): the JSON import reader refuses before any write.
@pytest.mark.backend_independent
def test_json_import_errors_name_the_record_and_its_line(office):
    path = office.home / "bad.json"
    path.write_text('[\n  {"name": "A", "vendor": "slack", "seats": 1, "cost": 5},\n\n  {"name": "B", "vendor": "slack",\n   "seats": "many", "cost": 5}\n]\n')
    r = office.run("license", "import", path)
    assert r.rc == 65 and "line 4: record 2:" in r.err, r


# Run once, on SQLite (make test): the CSV import reader's dialects; CSV imports land on PostgreSQL in test_license.
@pytest.mark.backend_independent
def test_spreadsheet_csvs_semicolons_decimal_commas_latin1_and_date_formats(office):
    path = office.home / "excel.csv"
    path.write_bytes("name;vendor;seats;cost;renews_on;notes\nBüro Suite;m365;5;1.234,56;31/12/2026;Gebühr für Büro\n".encode("cp1252"))
    r = office.run("license", "import", path, "--date-format", "DD/MM/YYYY")
    assert r.rc == 0 and "Windows-1252" in r.err, r
    l = office.ok("license", "show", "Büro Suite", "--json").json()
    assert l["cost_minor"] == 123456 and l["renews_on"] == "2026-12-31" and l["notes"] == "Gebühr für Büro"
    tab = office.home / "tab.csv"
    tab.write_text("name\tvendor\tseats\tcost\tpurchased_on\nTabbed\tslack\t2\t9,50\t12.31.2026\n")
    r = office.run("license", "import", tab, "--date-format", "MM.DD.YYYY")
    assert r.rc == 0, r
    assert office.ok("license", "show", "Tabbed", "--json").json()["cost_minor"] == 950
    bad = office.home / "bad.csv"
    bad.write_bytes(b"name,vendor,seats,cost\nX\x81\x8d,slack,1,5\n")
    r = office.run("license", "import", bad)
    assert r.rc == 65 and "neither UTF-8 nor Windows-1252" in r.err
    r = office.run("license", "import", tab, "--date-format", "DD/MM")
    assert r.rc == 64
