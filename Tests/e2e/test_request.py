"""Requests and approvals: every path and every refusal, hooks, provisioning in one transaction."""
import json
import subprocess
import time

import pytest

from conftest import BIN


@pytest.fixture
def team(office):
    toks = {u: office.add_user(u, dept="eng") for u in ["bob", "carol"]}
    toks["erin"] = office.add_user("erin", role="admin", dept="ops")
    toks["cron"] = office.add_user("cron", role="scanner")
    office.toks = toks
    return office


def new(o, who, *args, rc=0):
    r = o.run("request", "new", *args, "--json", token=o.toks[who] if who != "alice" else None)
    assert r.rc == rc, r
    return r.json() if rc == 0 else r


def test_software_request_provisions_a_new_license(team):
    req = new(team, "bob", "software", "Figma", "--plan", "Pro", "--cost", "15", "--period", "monthly", "--reason", "design")
    assert req["status"] == "pending" and req["cost_minor"] == 1500 and req["requester"] == "bob"
    approved = team.ok("approve", str(req["id"]), "-m", "enjoy", "--json").json()[0]
    assert approved["status"] == "approved" and approved["decided_by"] == "alice" and approved["license"] == "Figma"
    lic = team.ok("license", "show", "Figma", "--json").json()
    assert lic["assigned_to"] == ["bob"] and lic["cost_minor"] == 1500 and lic["plan"] == "Pro"
    actions = [e["action"] for e in team.ok("audit", "log", "-n", "4", "--json").json()]
    assert actions == ["license.add", "seat.assign", "request.approve"][-3:] or "request.approve" in actions


def test_software_request_uses_existing_license_and_grows_it(team):
    team.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "1", "--cost", "8", "--per-seat", "--assign", "carol")
    req = new(team, "bob", "software", "slack")     # vendor alias, full license
    team.ok("approve", str(req["id"]))
    lic = team.ok("license", "show", "Slack", "--json").json()
    assert lic["seats"] == 2 and lic["assigned_to"] == ["bob", "carol"] and lic["cost_minor"] == 1600
    assert len(team.ok("license", "list", "--json").json()) == 1


def test_provisioning_is_one_transaction(team):
    """Force the seat assignment to fail: the license, the decision and the audit events all roll back."""
    req = new(team, "bob", "software", "Miro", "--cost", "10", "--period", "monthly")
    events = team.sql("SELECT count(*) FROM events")
    if team.ledger_url:
        team.sql("CREATE FUNCTION fail_seat_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$; "
                 "CREATE TRIGGER fail_seat BEFORE INSERT ON seats FOR EACH ROW EXECUTE FUNCTION fail_seat_fn();")
    else:
        team.sql("CREATE TRIGGER fail_seat BEFORE INSERT ON seats BEGIN SELECT RAISE(ABORT, 'injected failure'); END;")
    r = team.run("approve", str(req["id"]))
    assert r.rc != 0 and "injected failure" in r.err
    assert team.ok("license", "list", "--json").json() == []
    assert team.ok("request", "show", str(req["id"]), "--json").json()["status"] == "pending"
    assert team.sql("SELECT count(*) FROM events") == events
    team.sql(team.drop_triggers("seats.fail_seat"))
    team.ok("approve", str(req["id"]))
    assert team.ok("license", "show", "Miro", "--json").json()["assigned_to"] == ["bob"]


def test_state_machine_and_refusals(team):
    req = new(team, "bob", "purchase", "Dock", "--cost", "189")
    rid = str(req["id"])
    r = team.run("approve", rid, token=team.toks["bob"])
    assert r.rc == 77
    r = team.run("approve", "--reject", rid)
    assert r.rc == 64 and "reason" in r.err
    own = new(team, "alice", "purchase", "Chair", "--cost", "300")
    r = team.run("approve", str(own["id"]))
    assert r.rc == 1 and "your own" in r.err
    team.ok("approve", "--reject", rid, "-m", "use the spare one")
    r = team.run("approve", rid)
    assert r.rc == 1 and "already rejected by alice" in r.err
    r = team.run("request", "cancel", rid, token=team.toks["bob"])
    assert r.rc == 1 and "already rejected" in r.err
    assert team.run("approve", "999").rc == 1
    assert team.run("approve", "abc").rc == 64


def test_cancel_only_own_pending(team):
    req = new(team, "bob", "purchase", "Dock", "--cost", "189")
    rid = str(req["id"])
    r = team.run("request", "cancel", rid, token=team.toks["carol"])
    assert r.rc == 1 and "not found" in r.err          # carol cannot even see it
    r = team.run("request", "cancel", rid)              # an admin rejects instead
    assert r.rc == 77 and "only the requester" in r.err
    assert team.ok("request", "cancel", rid, "--json", token=team.toks["bob"]).json()["status"] == "cancelled"
    assert team.run("approve", rid).rc == 1


def test_visibility(team):
    new(team, "bob", "purchase", "Dock", "--cost", "189")
    new(team, "carol", "purchase", "Mouse", "--cost", "20")
    mine = team.ok("request", "list", "--json", token=team.toks["bob"]).json()
    assert [r["summary"] for r in mine] == ["purchase: Dock"]
    assert team.run("request", "list", "--all", token=team.toks["bob"]).rc == 77
    assert team.run("request", "list", "--user", "carol", token=team.toks["bob"]).rc == 77
    carols = team.ok("request", "list", "--all", "--json").json()[1]
    assert team.run("request", "show", str(carols["id"]), token=team.toks["bob"]).rc == 1
    assert len(team.ok("request", "list", "--all", "--status", "pending", "--json").json()) == 2
    assert team.ok("request", "list", "--all", "--format", "csv").out.startswith("id,kind,status,requester,summary,cost,cost_minor,currency")
    assert len(team.ok("request", "list", "--all", "--format", "jsonl").out.splitlines()) == 2


def test_scanner_cannot_request(team):
    r = team.run("request", "new", "purchase", "X", "--cost", "1", token=team.toks["cron"])
    assert r.rc == 77
    assert team.run("request", "list", token=team.toks["cron"]).rc == 77


def test_bad_request_input(team):
    for args, needle in [(["software"], "name the software"), (["leave"], "--from"), (["purchase", "X"], "--cost"),
                         (["purchase", "X", "--cost", "abc"], "cannot read"), (["software", "X", "--cost", "5"], "--period"),
                         (["leave", "--from", "2026-02-30"], "not a date"), (["leave", "--from", "2026-12-10", "--to", "2026-12-01"], "before"),
                         (["software", "X", "--from", "2026-12-01"], "does not apply"), (["gadget", "X"], "must be one of")]:
        r = team.run("request", "new", *args, token=team.toks["bob"])
        assert r.rc == 64, (args, r)
        assert needle in r.err, (args, r.err)


def test_leave_balance_overlap_holidays(team):
    team.ok("config", "set", "leave.allowance", "10")
    team.ok("config", "set", "leave.holidays", "2027-12-24,2027-12-31")
    r = team.run("request", "new", "leave", "--from", "2027-12-20", "--to", "2027-12-31", "--json", token=team.toks["bob"])
    assert r.rc == 0 and r.json()["days"] == 8                    # 10 weekdays minus 2 holidays (a number)
    assert "2 of 10 day(s)" in r.err
    r = new(team, "bob", "leave", "--from", "2027-12-28", "--to", "2028-01-03", rc=1)
    assert "overlaps your pending leave" in r.err and "2027-12-20 to 2027-12-31" in r.err
    r = new(team, "bob", "leave", "--from", "2027-11-01", "--to", "2027-11-05", rc=1)
    assert "needs 5 day(s) of 2027's vacation but bob has 2 left" in r.err
    new(team, "bob", "leave", "--from", "2027-11-01", "--to", "2027-11-05", "--type", "sick")   # sick leave is not vacation
    new(team, "bob", "leave", "--from", "2027-11-08", "--half-day")
    bal = team.run("request", "new", "leave", "--from", "2027-11-09", "--to", "2027-11-09", token=team.toks["bob"])
    assert bal.rc == 0 and "0.5 of 10" in bal.err
    r = team.run("request", "new", "leave", "--from", "2027-11-10", "--force", token=team.toks["bob"])
    assert r.rc == 77
    team.ok("config", "set", "leave.allowance.bob", "30")
    new(team, "bob", "leave", "--from", "2027-10-04", "--to", "2027-10-08")
    assert team.run("config", "set", "leave.allowance.ghost", "3").rc == 1
    r = new(team, "bob", "leave", "--from", "2027-12-25", "--to", "2027-12-26", rc=1)  # a weekend
    assert "no working days" in r.err


def test_approval_queue_shows_balance_and_department(team):
    new(team, "bob", "leave", "--from", "2027-03-01", "--to", "2027-03-05")
    new(team, "carol", "leave", "--from", "2027-03-03", "--to", "2027-03-04")
    new(team, "bob", "software", "Notion")
    q = team.ok("approve", "--json").json()
    assert [e["kind"] for e in q] == ["leave", "leave", "software"]
    assert q[0]["vacation_left"] == "20" and q[0]["away_in_dept"] == ["carol"]
    assert "more than half of eng would be away" in q[0]["warning"]
    assert q[2]["vacation_left"] is None
    ids = [str(e["id"]) for e in q[:2]]
    team.ok("approve", *ids)
    assert team.ok("approve", "--json").json()[0]["kind"] == "software"


def test_concurrent_double_approval_exactly_one_wins(team):
    req = new(team, "bob", "software", "Linear", "--cost", "8", "--period", "monthly")
    for attempt in range(3):
        rid = str(req["id"])
        procs = [subprocess.Popen([BIN, "--token", str(tok), "approve", rid], env=team.env, cwd=team.home,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for tok in [team.token, team.toks["erin"]]]
        results = [(p.wait(60), p.stderr.read()) for p in procs]
        codes = sorted(rc for rc, _ in results)
        assert codes == [0, 1], results
        loser = [err for rc, err in results if rc == 1][0]
        assert "already approved by" in loser
        assert team.ok("license", "show", "Linear", "--json").json()["assigned_to"] == ["bob"]
        req = new(team, "bob", "purchase", f"Thing {attempt}", "--cost", "5")


def test_hooks_receive_events_after_commit(team):
    log = team.home / "hooks.jsonl"
    for name in ["post-request", "post-approve", "post-reject"]:
        team.install_hook(name, f'printf "%s " "$OWATCH_EVENT" >> "{log}"; cat >> "{log}"; echo >> "{log}"\n')
    a = new(team, "bob", "purchase", "Dock", "--cost", "189")
    b = new(team, "bob", "purchase", "Desk", "--cost", "400")
    team.ok("approve", str(a["id"]), "-m", "ok")
    team.ok("approve", "--reject", str(b["id"]), "-m", "no")
    lines = [l.split(" ", 1) for l in log.read_text().splitlines() if l.strip()]
    assert [l[0] for l in lines] == ["post-request", "post-request", "post-approve", "post-reject"]
    approved = json.loads(lines[2][1])
    assert approved["event"] == "post-approve" and approved["status"] == "approved" and approved["cost"] == 189 and approved["note"] == "ok"
    assert json.loads(lines[3][1])["note"] == "no"
    assert team.sql("SELECT count(*) FROM expected_spend").strip() == "1"


def test_failing_hook_warns_and_decision_stands(team):
    team.install_hook("post-approve", "exit 1\n")
    req = new(team, "bob", "purchase", "Dock", "--cost", "189")
    r = team.ok("approve", str(req["id"]))
    assert "hook post-approve exited 1; the change stands" in r.err
    assert team.ok("request", "show", str(req["id"]), "--json").json()["status"] == "approved"


def test_hanging_hook_is_stopped_within_the_timeout(team):
    team.install_hook("post-approve", "sleep 60\n")
    req = new(team, "bob", "purchase", "Dock", "--cost", "189")
    start = time.time()
    r = team.ok("approve", str(req["id"]), timeout=40)
    assert time.time() - start < 25
    assert "did not finish within 10 s" in r.err
    assert team.ok("request", "show", str(req["id"]), "--json").json()["status"] == "approved"


def test_several_ids_are_decided_each_and_the_exit_is_the_first_refusal(team):
    """One OWKit decision over several ids: every request that can be decided is (each in its own
    transaction), each refusal is reported, the decided ones are printed, and the exit code is the
    first refusal's (not 0, not the last one's)."""
    a = new(team, "bob", "software", "Figma", "--cost", "15", "--period", "monthly", "--reason", "design")
    b = new(team, "carol", "software", "Miro", "--cost", "8", "--period", "monthly", "--reason", "boards")
    r = team.run("approve", str(a["id"]), "999", str(b["id"]), "abc", "--json")
    assert r.rc == 64 and "abc" in r.err  # a malformed id is refused before anything is decided
    assert [q["id"] for q in team.ok("approve", "--json").json()] == [a["id"], b["id"]]
    r = team.run("approve", str(a["id"]), "999", str(b["id"]), "--json")
    assert r.rc == 1 and "999" in r.err
    assert [(d["id"], d["status"]) for d in r.json()] == [(a["id"], "approved"), (b["id"], "approved")]
    # Again: both are decided already (exit 1, the first refusal), nothing printed as decided.
    r = team.run("approve", str(b["id"]), str(a["id"]), "--json")
    assert r.rc == 1 and r.json() == [] and f"#{b['id']}" in r.err
    # A reject needs its reason before any id is looked at.
    c = new(team, "bob", "software", "Notion", "--cost", "10", "--period", "monthly", "--reason", "notes")
    r = team.run("approve", "--reject", str(c["id"]), "999")
    assert r.rc == 64 and "reason" in r.err
    assert team.ok("request", "show", str(c["id"]), "--json").json()["status"] == "pending"


def test_approve_on_an_empty_queue_says_only_that(office):
    r = office.ok("approve")
    assert r.out == "" and r.err.strip() == "Nothing waits for approval.", r
    assert office.ok("approve", "--json").json() == []      # programs still get their empty list


def test_a_cost_that_could_be_thousands_or_cents_is_refused(team):
    """A new office's slip: a 12.35 EUR chair typed 12.345 reached the approval queue as 12,345.00 EUR. A lone
    separator before three digits, in a currency with cents, is refused; nothing is asked."""
    r = team.run("request", "new", "purchase", "Chair", "--cost", "12.345", token=team.toks["bob"])
    assert r.rc == 64 and "'12.345' could be 12345 or 12.345" in r.err, r
    assert team.ok("request", "list", "--json", token=team.toks["bob"]).json() == []
    assert team.run("request", "new", "purchase", "Chair", "--cost", "0.125", token=team.toks["bob"]).rc == 64
    chair = team.ok("request", "new", "purchase", "Chair", "--cost", "12,345.00", "--json", token=team.toks["bob"]).json()
    assert chair["cost_minor"] == 1234500, chair
