"""`owatch user`: the lifecycle in every format, editing, reactivating, role changes and offboarding that
stop old tokens, the last admin protected, case-blind names on both backends."""
import csv
import io
import json


def test_user_lifecycle_in_every_format(office):
    office.add_user("bob", dept="sales")
    office.ok("user", "add", "carol", "--role", "scanner", "--email", "carol@example.com")
    rows = office.ok("user", "list", "--json").json()
    assert [u["name"] for u in rows] == ["alice", "bob", "carol"]
    assert rows[1] == {**rows[1], "role": "employee", "dept": "sales", "status": "active"}
    lines = office.ok("user", "list", "--format", "jsonl").out.splitlines()
    assert [json.loads(l)["name"] for l in lines] == ["alice", "bob", "carol"]
    table = list(csv.DictReader(io.StringIO(office.ok("user", "list", "--format", "csv").out)))
    assert [r["name"] for r in table] == ["alice", "bob", "carol"] and table[2]["email"] == "carol@example.com"
    assert set(table[0].keys()) == set(rows[0].keys())
    text = office.ok("user", "list").out
    assert text.splitlines()[0].split()[:3] == ["NAME", "ROLE", "DEPT"]
    shown = office.ok("user", "show", "bob", "--json").json()
    assert shown["name"] == "bob" and shown["active_tokens"] == 1
    assert office.run("user", "show", "nobody").rc == 1
    assert office.run("user", "add", "bob", "--role", "employee").rc == 1
    r = office.run("user", "add", "dave", "--role", "boss")
    assert r.rc == 64 and "admin, employee, scanner" in r.err


def test_role_change_and_offboard_stop_old_tokens(office):
    bob = office.add_user("bob")
    office.ok("whoami", token=bob)
    office.ok("user", "role", "bob", "admin")
    r = office.run("whoami", token=bob)
    assert r.rc == 77 and "role" in r.err
    fresh = office.home / "bob2.token"
    office.ok("user", "token", "bob", "--out", fresh)
    assert office.ok("whoami", "--json", token=fresh).json()["role"] == "admin"
    res = office.ok("user", "offboard", "bob", "--json").json()
    # The role change already revoked the first token (issue 11), so offboarding revokes the fresh one.
    assert res["status"] == "offboarded" and res["revoked_tokens"] == 1
    r = office.run("whoami", token=fresh)
    assert r.rc == 77 and ("offboarded" in r.err or "revoked" in r.err)
    assert office.run("user", "offboard", "bob").rc == 1


def test_last_admin_is_protected(office):
    r = office.run("user", "role", "alice", "employee")
    assert r.rc == 1 and "last active admin" in r.err
    assert office.run("user", "offboard", "alice").rc == 1


def test_user_token_printed_bare_for_redirection(office):
    office.add_user("bob")
    tok = office.ok("user", "token", "bob", "--expires", "1d").out.strip()
    assert tok.count(".") == 2
    path = office.home / "t"
    path.write_text(tok + "\n")
    path.chmod(0o600)
    assert office.ok("whoami", "--json", token=path).json()["user"] == "bob"
    assert office.run("user", "token", "bob", "--expires", "soon").rc == 64


def test_case_blind_names_compare_sort_and_match_alike_on_both_backends(office):
    """SQLite's NOCASE folds ASCII letters only and then compares bytes; on PostgreSQL the
    case-blind columns (citext) and the queries' COLLATE NOCASE (lower under "C") agree, and a
    reader's psql can LIKE a license name (a nondeterministic collation refused it)."""
    for name in ("figma", "Zoom", "_under", "a-b", "Éclair", "zeta", "~tilde"):
        office.ok("license", "add", name, "--vendor", "v", "--seats", "1", "--cost", "1")
    r = office.run("license", "add", "FIGMA", "--vendor", "v", "--seats", "1", "--cost", "1")
    assert r.rc == 1 and "already exists" in r.err, r
    names = [x["name"] for x in office.ok("license", "list", "--json").json()]
    assert names == sorted(names, key=lambda n: n.encode().lower()), names  # bytes.lower(): ASCII only
    assert office.sql("SELECT name FROM licenses WHERE name LIKE 'FIG%'").split() == ["figma"]
    assert office.ok("license", "show", "ZOOM", "--json").json()["name"] == "Zoom"
    office.add_user("bob", dept="Sales")
    assert [u["name"] for u in office.ok("user", "list", "--dept", "SALES", "--json").json()] == ["bob"]


def test_user_edit_reactivate_and_full_names(office):
    bob = office.add_user("bob", dept="sales")
    office.ok("user", "add", "zoe", "--role", "employee", "--full-name", "Zoë Lefèvre", "--email", "zoe@example.com")
    assert office.ok("user", "show", "zoe", "--json").json()["full_name"] == "Zoë Lefèvre"
    assert "Zoë Lefèvre" in office.ok("user", "list").out
    r = office.ok("user", "edit", "bob", "--dept", "marketing", "--full-name", "Bob Stone", "--json").json()
    assert (r["dept"], r["full_name"]) == ("marketing", "Bob Stone")
    assert office.ok("user", "edit", "bob", "--dept", "", "--json").json()["dept"] is None
    assert office.run("user", "edit", "bob").rc == 64
    assert office.run("user", "edit", "bob", "--email", "not-an-email").rc == 64
    assert office.run("user", "edit", "ghost", "--dept", "x").rc == 1
    office.ok("user", "offboard", "bob")
    assert office.run("whoami", token=bob).rc == 77
    assert office.ok("user", "reactivate", "bob", "--json").json()["status"] == "active"
    r = office.run("whoami", token=bob)
    assert r.rc == 77, r                                                    # new tokens needed
    fresh = office.home / "bob2.token"
    office.ok("user", "token", "bob", "--out", fresh)
    assert office.ok("whoami", "--json", token=fresh).json()["user"] == "bob"
    assert office.run("user", "reactivate", "bob").rc == 1
    actions = [e["action"] for e in office.ok("audit", "log", "--json").json()]
    assert "user.edit" in actions and "user.reactivate" in actions
    office.ok("audit", "verify", "--state")


def test_the_last_admin_cannot_be_demoted_or_offboarded(office):
    for argv in (["user", "role", "alice", "employee"], ["user", "role", "alice", "scanner"], ["user", "offboard", "alice"]):
        r = office.run(*argv)
        assert r.rc == 1 and "last active admin" in r.err, (argv, r)
    office.add_user("erin", role="admin")
    office.ok("user", "offboard", "erin")
    assert office.run("user", "role", "alice", "employee").rc == 1        # erin is gone: alice is the last again
