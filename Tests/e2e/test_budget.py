"""Budgets and approval limits (issue 34): budgets per org, department, category and vendor, month
by month in the base currency; the approval queue's budget; --over-budget; two-admin approval."""
import datetime
import json

import pytest


THIS_MONTH = datetime.date.today().strftime("%Y-%m")


def month_after(m, n):
    y, mm = map(int, m.split("-"))
    i = y * 12 + mm - 1 + n
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


@pytest.fixture
def shop(office):
    toks = {u: office.add_user(u, dept="sales") for u in ["bob", "carol"]}
    toks["dana"] = office.add_user("dana", dept="design")
    toks["erin"] = office.add_user("erin", role="admin", dept="ops")
    toks["fred"] = office.add_user("fred", role="admin", dept="ops")
    office.toks = toks
    # 10 seats × 8.75 = 87.50 EUR a month from this month; bob and carol hold two of them.
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "10", "--cost", "8.75", "--per-seat",
              "--assign", "bob", "--assign", "carol")
    return office


def request(o, who, *args):
    return o.ok("request", "new", *args, "--json", token=o.toks[who]).json()["id"]


def report(o, *args):
    return {(r["month"], r["scope"], r["name"]): r for r in o.ok("report", "budget", *args, "--json").json()}


def last_event(o, action):
    return [e for e in o.ok("audit", "log", "--json").json() if e["action"] == action][-1]


def test_budget_set_list_remove_and_json_shape(shop):
    b = shop.ok("budget", "set", "--org", "100/month", "--json").json()
    assert b == {"scope": "org", "name": "", "from": THIS_MONTH, "amount": 100.0, "amount_minor": 10000, "currency": "EUR"} \
        or (b["scope"], b["amount_minor"], b["currency"], b["from"]) == ("org", 10000, "EUR", THIS_MONTH)
    shop.ok("budget", "set", "--vendor", "SLACK", "87.50/month", "--from", "2026-01")
    shop.ok("budget", "set", "--dept", "sales", "50", "--from", "2026-01")
    shop.ok("budget", "set", "--category", "communication", "200/month")
    listed = shop.ok("budget", "list", "--json").json()
    assert {(b["scope"], b["name"]) for b in listed} == {("org", ""), ("vendor", "Slack"), ("dept", "sales"),
                                                         ("category", "communication")}
    assert set(listed[0]) == {"scope", "name", "from", "amount", "amount_minor", "currency"}
    # Setting the same scope and month again replaces; another month adds a budget from then.
    shop.ok("budget", "set", "--org", "120/month")
    shop.ok("budget", "set", "--org", "130/month", "--from", month_after(THIS_MONTH, 2))
    orgs = [b for b in shop.ok("budget", "list", "--json").json() if b["scope"] == "org"]
    assert [(b["from"], b["amount_minor"]) for b in orgs] == [(THIS_MONTH, 12000), (month_after(THIS_MONTH, 2), 13000)]
    # Exactly one scope; a known vendor; a real amount.
    assert shop.run("budget", "set", "100/month").rc == 64
    assert shop.run("budget", "set", "--org", "--dept", "sales", "100/month").rc == 64
    assert shop.run("budget", "set", "--vendor", "no-such-vendor-xyz", "100/month").rc == 1
    assert shop.run("budget", "set", "--org", "lots/month").rc == 64
    assert shop.run("budget", "set", "--org", "-5/month").rc == 64
    assert shop.run("budget", "set", "--org", "5/month", "--token", shop.toks["bob"]).rc == 77
    shop.ok("budget", "remove", "--dept", "sales")
    assert shop.run("budget", "remove", "--dept", "sales").rc == 1
    shop.ok("budget", "remove", "--org", "--from", month_after(THIS_MONTH, 2))
    assert [b["from"] for b in shop.ok("budget", "list", "--json").json() if b["scope"] == "org"] == [THIS_MONTH]
    assert [e["action"] for e in shop.ok("audit", "log", "--json").json()].count("budget.set") == 6
    shop.ok("audit", "verify")
    # A budget edited outside owatch is found by the state digest.
    shop.ok("audit", "verify", "--state")
    shop.sql("UPDATE budgets SET amount_minor = 99999999")
    assert shop.run("audit", "verify", "--state").rc == 65


def test_report_per_scope_and_month(shop):
    for scope in (["--org"], ["--dept", "sales"], ["--dept", "design"], ["--category", "communication"], ["--vendor", "slack"]):
        shop.ok("budget", "set", *scope, "100/month", "--from", month_after(THIS_MONTH, -1))
    rows = shop.ok("report", "budget", "--from", month_after(THIS_MONTH, -1), "--json").json()
    assert set(rows[0]) >= {"month", "scope", "name", "budget", "budget_minor", "contracted", "contracted_minor", "observed",
                            "observed_minor", "unmanaged", "purchases", "remaining", "remaining_minor", "currency"}
    by = {(r["month"], r["scope"], r["name"]): r for r in rows}
    now = THIS_MONTH
    # Last month nothing was contracted (the license was bought this month).
    assert by[(month_after(now, -1), "org", "")]["remaining_minor"] == 10000
    assert by[(now, "org", "")]["contracted_minor"] == 8750 and by[(now, "org", "")]["remaining_minor"] == 1250
    assert by[(now, "vendor", "Slack")]["contracted_minor"] == 8750
    assert by[(now, "category", "communication")]["contracted_minor"] == 8750
    # The department's share is its people's seats: 2 of 10.
    assert by[(now, "dept", "sales")]["contracted_minor"] == 1750 and by[(now, "dept", "sales")]["remaining_minor"] == 8250
    assert by[(now, "dept", "design")]["contracted_minor"] == 0
    # Contracted is the burn report's, the same rule.
    burn = shop.ok("report", "burn", "--from", now, "--json").json()
    assert sum(r["contracted_minor"] for r in burn) == by[(now, "org", "")]["contracted_minor"]
    # Observed charges and unmanaged spend count; a charge matching the license is not spent twice.
    shop.ok("charge", "add", "slack", "87.50", "--on", datetime.date.today().isoformat(), "--license", "Slack")
    shop.ok("charge", "add", "notion", "20", "--on", datetime.date.today().isoformat())
    org = report(shop, "--from", now)[(now, "org", "")]
    assert (org["observed_minor"], org["unmanaged_minor"], org["remaining_minor"]) == (10750, 2000, 10000 - 8750 - 2000)
    assert shop.run("report", "budget", "--from", "2027-13").rc == 64
    assert shop.run("report", "budget", "--token", shop.toks["bob"]).rc == 77


def test_base_currency_conversion(shop):
    shop.ok("rate", "set", "USD", "EUR", "0.5", "--on", datetime.date.today().isoformat())
    shop.ok("config", "set", "base_currency", "EUR")
    shop.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "1", "--cost", "20", "--currency", "USD")
    shop.ok("budget", "set", "--org", "100 USD/month")       # 50 EUR
    shop.ok("budget", "set", "--vendor", "zoom", "10/month")  # base currency: EUR
    by = report(shop)
    org = by[(THIS_MONTH, "org", "")]
    assert org["currency"] == "EUR" and org["budget_minor"] == 5000
    assert org["contracted_minor"] == 8750 + 1000 and org["remaining_minor"] == 5000 - 9750
    zoom = by[(THIS_MONTH, "vendor", "Zoom")]
    assert (zoom["budget_minor"], zoom["contracted_minor"], zoom["remaining_minor"]) == (1000, 1000, 0)
    r = shop.run("report", "budget")
    assert "Over budget: org" in r.err


def test_an_amount_with_no_rate_is_kept_apart_not_blanking_the_line(shop):
    """A contract in a currency with no rate (ARS: the ECB quotes none) leaves the EUR contract counted
    and itself listed apart; what remains is unknown, not the budget minus the EUR part."""
    shop.ok("budget", "set", "--org", "2000/month")
    shop.ok("license", "add", "Tango", "--vendor", "tango", "--seats", "1", "--cost", "21000", "--currency", "ARS")
    r = shop.run("report", "budget", "--json")
    org = {row["scope"]: row for row in r.json()}["org"]
    assert (org["budget_minor"], org["contracted_minor"], org["remaining_minor"]) == (200000, 8750, None), org
    assert org["no_rate"] == "21,000.00 ARS" and "ARS" in r.err
    assert "21,000.00 ARS" in shop.ok("report", "budget").out


def test_purchase_at_the_boundary_and_one_cent_over(shop):
    shop.ok("budget", "set", "--org", "100/month")              # 12.50 left after Slack
    at = request(shop, "bob", "purchase", "USB dock", "--cost", "12.50")
    over = request(shop, "carol", "purchase", "Chair", "--cost", "12.51")
    queue = {q["id"]: q for q in shop.ok("approve", "--json").json()}
    assert queue[at]["budget"] == "org" and queue[at]["budget_left_minor"] == 0
    assert queue[over]["budget_left_minor"] == -1
    r = shop.run("approve", str(over))
    assert r.rc == 1 and "over budget" in r.err and "--over-budget" in r.err
    assert shop.ok("request", "show", str(over), "--json").json()["status"] == "pending"
    shop.ok("approve", str(at))                                # exactly at the budget: allowed
    ev = last_event(shop, "request.approve")
    assert ev["details"]["over_budget"] is None
    # The approved purchase now counts: nothing left, so the second is 12.51 over.
    assert report(shop)[(THIS_MONTH, "org", "")]["purchases_minor"] == 1250
    assert shop.ok("approve", "--json").json()[0]["budget_left_minor"] == -1251
    r = shop.ok("approve", str(over), "--over-budget", "-m", "needed")
    assert "over budget" in r.err
    ev = last_event(shop, "request.approve")
    assert ev["object"] == f"request:{over}"
    assert ev["details"]["over_budget"] == [{"budget": "org", "cost": 12.51, "currency": "EUR", "remaining_after": -12.51}]
    shop.ok("audit", "verify")


def test_software_falls_in_vendor_category_and_dept_budgets(shop):
    shop.ok("budget", "set", "--vendor", "slack", "96.25/month")    # one more 8.75 seat fits exactly
    shop.ok("budget", "set", "--dept", "design", "1000/month")
    shop.ok("budget", "set", "--category", "design", "10/month")
    shop.ok("license", "edit", "Slack", "--seats", "2")            # full: a new seat costs 8.75
    shop.ok("budget", "set", "--vendor", "slack", "26.25/month")    # 17.50 contracted, one seat more fits exactly
    slack = request(shop, "dana", "software", "Slack")
    figma = request(shop, "dana", "software", "Figma", "--cost", "15", "--period", "monthly")
    queue = {q["id"]: q for q in shop.ok("approve", "--json").json()}
    assert (queue[slack]["budget"], queue[slack]["budget_left_minor"]) == ("vendor Slack", 0)
    # Figma is a design tool: the category budget is the tightest (10 − 15).
    assert (queue[figma]["budget"], queue[figma]["budget_left_minor"]) == ("category design", -500)
    shop.ok("approve", str(slack))
    assert shop.run("approve", str(figma)).rc == 1
    shop.ok("approve", str(figma), "--over-budget")
    # Leave never falls in a budget.
    leave = request(shop, "bob", "leave", "--from", "2030-03-04", "--to", "2030-03-05")
    q = {q["id"]: q for q in shop.ok("approve", "--json").json()}[leave]
    assert q["budget"] is None
    shop.ok("approve", str(leave))


def test_a_free_seat_is_never_over_budget(shop):
    """Slack has 8 free seats; a month already over the vendor's budget does not make taking one
    'go over': approving it spends nothing."""
    shop.ok("budget", "set", "--vendor", "slack", "50/month")      # 87.50 contracted: over already
    req = request(shop, "dana", "software", "Slack")
    queue = {q["id"]: q for q in shop.ok("approve", "--json").json()}
    assert queue[req]["budget_left_minor"] < 0
    shop.ok("approve", str(req))
    assert last_event(shop, "request.approve")["details"].get("over_budget") in (None, [])


def test_no_budget_no_refusal(shop):
    req = request(shop, "bob", "purchase", "Desk", "--cost", "99999")
    assert shop.ok("approve", "--json").json()[0]["budget"] is None
    shop.ok("approve", str(req))


def test_two_admins_above_the_limit(shop):
    assert shop.run("config", "set", "approval.second_above", "lots").rc == 64
    shop.ok("config", "set", "approval.second_above", "500")
    small = request(shop, "bob", "purchase", "Desk", "--cost", "500")           # not above: one admin
    big = request(shop, "bob", "purchase", "Laptop", "--cost", "500.01")
    shop.ok("approve", str(small))
    assert shop.ok("request", "show", str(small), "--json").json()["status"] == "approved"
    r = shop.ok("approve", str(big), "--json")
    first = r.json()[0]
    assert first["status"] == "awaiting_second" and first["first_approved_by"] == "alice" and first["decided_by"] is None
    assert "second admin" in r.err
    assert last_event(shop, "request.approve_first")["object"] == f"request:{big}"
    # Still in the queue, with who approved first; no expected spend yet.
    q = {q["id"]: q for q in shop.ok("approve", "--json").json()}[big]
    assert q["status"] == "awaiting_second" and q["first_approved_by"] == "alice"
    assert shop.sql(f"SELECT count(*) FROM expected_spend WHERE request_id = {big}").strip() == "0"
    # The same admin twice is refused.
    r = shop.run("approve", str(big))
    assert r.rc == 1 and "second, different admin" in r.err
    assert [x["id"] for x in shop.ok("request", "list", "--all", "--status", "awaiting_second", "--json").json()] == [big]
    # A second admin provisions.
    done = shop.ok("approve", str(big), token=shop.toks["erin"]).out
    shown = shop.ok("request", "show", str(big), "--json").json()
    assert shown["status"] == "approved" and shown["decided_by"] == "erin" and shown["first_approved_by"] == "alice"
    assert shop.sql(f"SELECT count(*) FROM expected_spend WHERE request_id = {big}").strip() == "1"
    assert last_event(shop, "request.approve")["details"]["first_approved_by"] == "alice"
    shop.ok("audit", "verify")


def test_two_admins_software_provisions_only_at_the_second(shop):
    shop.ok("config", "set", "approval.second_above", "100 EUR")
    req = request(shop, "bob", "software", "Figma", "--cost", "150", "--period", "monthly")
    shop.ok("approve", str(req), token=shop.toks["erin"])
    assert shop.run("license", "show", "Figma").rc == 1
    shop.ok("approve", str(req), token=shop.toks["fred"])
    assert shop.ok("license", "show", "Figma", "--json").json()["assigned_to"] == ["bob"]


def test_the_requester_never_approves_at_either_step(shop):
    shop.ok("config", "set", "approval.second_above", "100")
    own = shop.ok("request", "new", "purchase", "Monitor", "--cost", "300", "--json").json()["id"]  # alice asks
    r = shop.run("approve", str(own))
    assert r.rc == 1 and "your own" in r.err
    shop.ok("approve", str(own), token=shop.toks["erin"])
    assert shop.ok("request", "show", str(own), "--json").json()["status"] == "awaiting_second"
    r = shop.run("approve", str(own))
    assert r.rc == 1 and "your own" in r.err
    shop.ok("approve", str(own), token=shop.toks["fred"])
    assert shop.ok("request", "show", str(own), "--json").json()["status"] == "approved"


@pytest.mark.parametrize("stage", ["first", "second"])
def test_reject_at_either_stage(shop, stage):
    shop.ok("config", "set", "approval.second_above", "100")
    req = request(shop, "bob", "purchase", "Monitor", "--cost", "300")
    if stage == "second":
        shop.ok("approve", str(req))
    who = shop.toks["erin"] if stage == "second" else None
    shop.ok("approve", "--reject", str(req), "-m", "not this year", token=who)
    shown = shop.ok("request", "show", str(req), "--json").json()
    assert shown["status"] == "rejected"
    assert shop.run("approve", str(req), token=shop.toks["fred"]).rc == 1
    assert shop.sql(f"SELECT count(*) FROM expected_spend WHERE request_id = {req}").strip() == "0"


def test_requester_may_cancel_while_awaiting_second(shop):
    shop.ok("config", "set", "approval.second_above", "100")
    req = request(shop, "bob", "purchase", "Monitor", "--cost", "300")
    shop.ok("approve", str(req))
    shop.ok("request", "cancel", str(req), token=shop.toks["bob"])
    assert shop.ok("request", "show", str(req), "--json").json()["status"] == "cancelled"
    assert shop.run("approve", str(req), token=shop.toks["erin"]).rc == 1


def test_over_budget_and_second_approval_together(shop):
    shop.ok("budget", "set", "--org", "100/month")
    shop.ok("config", "set", "approval.second_above", "10")
    req = request(shop, "bob", "purchase", "Monitor", "--cost", "300")
    assert shop.run("approve", str(req)).rc == 1                     # over budget: needs --over-budget
    shop.ok("approve", str(req), "--over-budget")
    assert last_event(shop, "request.approve_first")["details"]["over_budget"][0]["budget"] == "org"
    assert shop.run("approve", str(req), token=shop.toks["erin"]).rc == 1
    shop.ok("approve", str(req), "--over-budget", token=shop.toks["erin"])
    assert shop.ok("request", "show", str(req), "--json").json()["status"] == "approved"


def test_dashboard_shows_budgets(shop):
    shop.ok("budget", "set", "--org", "100/month")
    shop.ok("report", "html", "--out", "d.html")
    html = (shop.home / "d.html").read_text()
    assert "Budgets" in html and "12.50" in html
