import pytest
"""Seats that add up (part of issue 13): new seats cost the current price per seat, seats can
shrink, cancelled licenses are not edited behind the user's back and can come back."""


def lines(office, name):
    return [(l["seats"], l["cost_minor"]) for l in office.ok("license", "show", name, "--json").json()["lines"]]


def test_growing_a_pack_prices_new_seats_at_the_current_seat_price(office):
    office.ok("license", "add", "Pack", "--vendor", "notion", "--seats", "3", "--cost", "30.00", "--currency", "GBP")
    r = office.ok("license", "grow", "Pack", "--seats", "1")
    assert lines(office, "Pack") == [(3, 3000), (1, 1000)]                     # was (1, 0): a free seat
    assert "cost 10.00 GBP monthly (the current price per seat)" in r.err
    office.ok("license", "add", "Odd", "--vendor", "zoom", "--seats", "3", "--cost", "10.00")
    office.ok("license", "grow", "Odd", "--seats", "2")
    assert lines(office, "Odd")[1] == (2, 667)                                  # 10.00 / 3 × 2, rounded once
    office.ok("license", "grow", "Odd", "--seats", "1", "--cost", "4")
    assert lines(office, "Odd")[2] == (1, 400)


def test_approving_into_a_full_pack_buys_a_seat_at_its_price(office):
    office.ok("license", "add", "Miro", "--vendor", "miro", "--seats", "3", "--cost", "36", "--assign", "alice")
    for u in ("bob", "carol", "dave"):
        office.add_user(u)
    office.ok("license", "assign", "Miro", "bob", "carol")
    dave = office.home / "dave.token"
    req = office.ok("request", "new", "software", "Miro", "--json", token=dave).json()
    office.ok("approve", str(req["id"]))
    assert lines(office, "Miro") == [(3, 3600), (1, 1200)]


def test_edit_seats_grows_and_shrinks_but_never_below_the_held(office):
    office.add_user("bob")
    office.ok("license", "add", "Figma", "--vendor", "figma", "--seats", "5", "--cost", "50", "--assign", "bob")
    office.ok("license", "grow", "Figma", "--seats", "2", "--cost", "30")
    office.ok("license", "edit", "Figma", "--seats", "4")
    assert lines(office, "Figma") == [(4, 4000)]                                # the newest line goes first
    office.ok("license", "edit", "Figma", "--seats", "6")
    assert lines(office, "Figma") == [(6, 6000)]
    r = office.run("license", "edit", "Figma", "--seats", "0")
    assert r.rc == 64
    office.ok("license", "assign", "Figma", "alice")
    r = office.run("license", "edit", "Figma", "--seats", "1")
    assert r.rc == 1 and "2 seat(s) held" in r.err
    assert lines(office, "Figma") == [(6, 6000)]


def test_a_cancelled_license_refuses_edits_whole_and_can_be_reactivated(office):
    office.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "2", "--cost", "30")
    office.ok("license", "cancel", "Zoom", "--on", "2027-01-31")
    events = len(office.ok("audit", "log", "--json").json())
    r = office.run("license", "edit", "Zoom", "--notes", "x", "--cost", "99")
    assert r.rc == 1 and "is cancelled" in r.err and "license reactivate Zoom" in r.err
    shown = office.ok("license", "show", "Zoom", "--json").json()
    assert shown["notes"] is None and shown["cost_minor"] == 3000
    assert len(office.ok("audit", "log", "--json").json()) == events                # nothing written, not even to the log
    back = office.ok("license", "reactivate", "Zoom", "--json").json()
    assert back["status"] == "active" and back["ends_on"] is None
    office.ok("license", "edit", "Zoom", "--notes", "back")
    assert office.run("license", "reactivate", "Zoom").rc == 1
    office.ok("audit", "verify", "--state")


def test_the_queue_says_what_approving_costs_and_no_grow_keeps_to_free_seats(office):
    for u in ("bob", "carol"):
        office.add_user(u)
    bob, carol = office.home / "bob.token", office.home / "carol.token"
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "2", "--cost", "8.75", "--per-seat", "--assign", "alice")
    office.ok("license", "add", "Pack", "--vendor", "notion", "--seats", "2", "--cost", "20", "--assign", "alice", "--assign", "bob")
    a = office.ok("request", "new", "software", "Slack", "--json", token=bob).json()["id"]
    b = office.ok("request", "new", "software", "Pack", "--json", token=carol).json()["id"]
    c = office.ok("request", "new", "software", "Figma", "--cost", "15", "--period", "monthly", "--json", token=carol).json()["id"]
    queue = {e["id"]: e["if_approved"] for e in office.ok("approve", "--json").json()}
    assert queue[a] == "nothing: a free seat of Slack"
    assert queue[b] == "a new seat of Pack: 10.00 EUR monthly"
    assert queue[c] == "a new license Figma: 15.00 EUR monthly"
    r = office.run("approve", str(b), "--no-grow")
    assert r.rc == 1 and "--no-grow" in r.err and lines(office, "Pack") == [(2, 2000)]
    r = office.ok("approve", str(b))
    assert "Cost: a new seat of Pack: 10.00 EUR monthly." in r.err and lines(office, "Pack") == [(2, 2000), (1, 1000)]
    office.ok("approve", str(a), "--no-grow")


# Run once, on SQLite (make test): the parser's messages.
@pytest.mark.backend_independent
def test_seat_messages_name_the_flag(office):
    r = office.run("license", "add", "X", "--vendor", "slack", "--seats", "x", "--cost", "10")
    assert r.rc == 64 and "--seats must be a whole number" in r.err


LARGEST = "9999999999999.99"          # the largest single amount owatch accepts (999,999,999,999,999 minor units)


def test_purchase_lines_whose_sum_would_overflow_are_refused(office):
    # Growing a license line by line: each line is within the cap, their sum is not.
    office.ok("license", "add", "Big", "--vendor", "zoom", "--seats", "1", "--cost", LARGEST, "--per-seat")
    codes = [office.run("license", "grow", "Big", "--seats", "1").rc for _ in range(3)]
    assert codes == [0, 0, 0]
    r = office.run("license", "edit", "Big", "--seats", "2000")
    assert r.rc == 65 and "adds up" in r.err, r
    if not office.ledger_url:  # SQLite's dynamic types, as above
        assert office.sql("SELECT count(*) FROM purchases WHERE typeof(cost_minor) != 'integer'").strip() == "0"
    office.ok("license", "list")
    office.ok("report", "burn")
    office.ok("doctor")
