"""`owatch user sync` matching by name (issue 29): a suspended namesake never takes the person whose
address is in the export, and an ambiguous name is reported, not guessed."""


def sync(o, text, *args, rc=0):
    path = o.home / "users.csv"
    path.write_text(text)
    r = o.run("user", "sync", path, "--json", *args)
    assert r.rc == rc, r
    return r.json()


HEADER = "name,email,department,status\n"


def test_a_suspended_namesake_never_takes_the_person_whose_address_is_in_the_export(office):
    office.ok("user", "add", "john", "--role", "employee", "--email", "john.smith@acme.example", "--full-name", "John Smith")
    office.ok("user", "token", "john", "--out", office.home / "john.token")
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "5", "--cost", "8.75", "--per-seat", "--assign", "john")
    export = HEADER + ("John Smith,js.old@acme.example,,suspended\n"          # a namesake who left, listed first
                       "John Smith,john.smith@acme.example,,active\n"
                       "Alice Admin,alice@acme.example,,active\n")
    changes = sync(office, export)
    assert [c for c in changes if c["change"] in ("offboard", "add") or c["user"] == "john"] == []   # was: john offboarded, a new account
    users = {u["name"]: u for u in office.ok("user", "list", "--json").json()}
    assert users["john"]["status"] == "active" and users["john"]["email"] == "john.smith@acme.example"
    assert len(users) == 2
    office.ok("whoami", token=office.home / "john.token")
    assert office.ok("license", "show", "Slack", "--json").json()["assigned_to"] == ["john"]
    assert sync(office, export) == []                     # and a re-sync has nothing to change


def test_an_ambiguous_name_is_reported_not_guessed(office):
    for name in ("jsmith", "john.s"):
        office.ok("user", "add", name, "--role", "employee", "--email", f"{name}@old.example", "--full-name", "John Smith")
    export = HEADER + "John Smith,john.smith@acme.example,,suspended\nAlice Admin,alice@acme.example,,active\n"
    changes = [c for c in sync(office, export, "--offboard-missing") if c["user"] != "alice"]
    assert [c["change"] for c in changes] == ["ambiguous"], changes
    assert "line 2" in changes[0]["what"] and "jsmith" in changes[0]["user"] and "john.s" in changes[0]["user"]
    users = {u["name"]: u for u in office.ok("user", "list", "--json").json()}
    assert len(users) == 3 and all(u["status"] == "active" for u in users.values())
    assert users["jsmith"]["email"] == "jsmith@old.example" and users["john.s"]["email"] == "john.s@old.example"
    # Where the name is unique on both sides it still finds the person (a new address).
    office.ok("user", "edit", "john.s", "--full-name", "John Q. Smith")
    changes = sync(office, HEADER + "John Smith,john.smith@acme.example,,active\nJohn Q. Smith,jqs@acme.example,,active\n"
                   "Alice Admin,alice@acme.example,,active\n")
    assert sorted((c["change"], c["user"]) for c in changes if c["user"] != "alice") == [("email", "john.s"), ("email", "jsmith")]
