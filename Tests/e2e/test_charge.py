"""Charges are first-class (part of issue 13): list, show, add by hand, remove; totals follow."""
from test_scan import CARD


def burn(office, vendor):
    rows = office.ok("report", "burn", "--by", "vendor", "--from", "2026-11", "--to", "2026-11", "--json").json()
    return sum(r["observed_minor"] for r in rows if r["vendor"] == vendor)


def test_list_show_add_and_remove(office):
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "26.25")
    office.ok("scan", CARD)
    listed = office.ok("charge", "list", "--json").json()
    assert len(listed) >= 5 and all(c["origin"] == "statement" for c in listed)
    slack = [c for c in listed if c["vendor"] == "Slack"]
    assert slack and slack[0]["license"] == "Slack" and "statement line" in slack[0]["source"]
    unmatched = office.ok("charge", "list", "--unmatched", "--json").json()
    assert "Slack" not in {c["vendor"] for c in unmatched} and unmatched
    shown = office.ok("charge", "show", str(slack[0]["id"]), "--json").json()
    assert shown["amount_minor"] == slack[0]["amount_minor"]
    # By hand: matched like a scanned charge, counted in burn, audited.
    before = burn(office, "Notion")
    r = office.ok("charge", "add", "notion", "20.00", "--on", "2026-11-20", "--note", "bank transfer", "--json")
    added = r.json()
    assert added["origin"] == "manual" and added["license"] is None and added["source"] == "entered by hand: bank transfer"
    assert burn(office, "Notion") == before + 2000
    assert office.run("charge", "add", "notion", "20.00").rc == 64                     # --on is required
    assert office.run("charge", "add", "nosuchvendor", "20.00", "--on", "2026-11-20").rc == 1
    assert office.run("charge", "add", "zoom", "5", "--on", "2026-11-20", "--license", "Slack").rc == 1   # another vendor's license
    # Removing takes it out of every total, and a rescan does not bring a scanned one back.
    office.ok("charge", "remove", str(added["id"]), "--yes")
    assert burn(office, "Notion") == before
    zoom = [c for c in office.ok("charge", "list", "--vendor", "zoom", "--json").json()]
    for c in zoom:
        office.ok("charge", "remove", str(c["id"]))
    assert burn(office, "Zoom") == 0
    assert "Zoom" not in {f["vendor"] for f in office.ok("scan", "findings", "--json").json() if f["kind"] == "unmanaged"}
    office.ok("scan", CARD)
    assert office.ok("charge", "list", "--vendor", "zoom", "--json").json() == []
    actions = [e["action"] for e in office.ok("audit", "log", "--json").json()]
    assert actions.count("charge.remove") == 1 + len(zoom) and "charge.add" in actions
    office.ok("audit", "verify", "--state")
    assert office.run("charge", "show", "99999").rc == 1


def test_findings_name_their_charges(office):
    office.ok("scan", CARD)
    for f in office.ok("scan", "findings", "--kind", "unmanaged", "--json").json():
        charge = office.ok("charge", "show", str(f["charge_id"]), "--json").json()
        assert charge["vendor"] == f["vendor"]


def totals(office):
    rows = office.ok("report", "burn", "--by", "vendor", "--from", "2026-01", "--to", "2026-12", "--json").json()
    return {(r["vendor"], r["currency"]): r["observed_minor"] for r in rows if r["observed_minor"]}


def test_one_payment_seen_twice_is_one_charge_in_any_order(tmp_path):
    from conftest import Office
    from test_scan import MBOX
    results = []
    for order in ((MBOX, CARD), (CARD, MBOX)):
        home = tmp_path / f"o{len(results)}"
        home.mkdir()
        o = Office(home)
        o.ok("init", "--org", "Acme", "--admin", "alice")
        for path in order + order:                                   # and twice: rescans change nothing
            o.ok("scan", path)
        results.append(totals(o))
        notion = [c for c in o.ok("charge", "list", "--vendor", "notion", "--json").json()]
        assert len(notion) == 1 and notion[0]["amount_minor"] == 2000
        shown = o.ok("charge", "show", str(notion[0]["id"]), "--json").json()
        assert len(shown["sources"]) == 2 and any("statement line" in s for s in shown["sources"]) and any(s.startswith("mail") for s in shown["sources"])
        # By hand too: entering the same payment adds a source, not a charge.
        r = o.ok("charge", "add", "notion", "20.00 USD", "--on", "2026-11-05", "--json")
        assert r.json()["id"] == notion[0]["id"]
        assert totals(o) == results[-1]
    assert results[0] == results[1]
    assert results[0][("Notion", "USD")] == 2000 and results[0][("Zoom", "USD")] == 1599     # was 4000 and 3198


def test_a_card_refund_nets_the_charge_it_refunds(office):
    office.ok("scan", CARD)
    slack = office.ok("charge", "list", "--vendor", "slack", "--json").json()
    refund = [c for c in slack if c["amount_minor"] < 0]
    paid = [c for c in slack if c["amount_minor"] > 0]
    assert len(refund) == 1 and refund[0]["refund_of"] == paid[0]["id"] and refund[0]["amount_minor"] == -2625
    assert burn(office, "Slack") == 0                                            # paid 26.25, refunded 26.25
    assert "Slack" not in {f["vendor"] for f in office.ok("scan", "findings", "--json").json() if f["kind"] == "duplicate"}
