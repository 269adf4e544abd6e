"""Issue 32, "not sure is an answer": every read charge says how it was read and how sure the
reader was; under config scan.review_below, or when two readings disagree, it waits as a review
finding with its candidates, listed and settled by `scan review`."""
from test_einvoice import UBL, mail_with_xml


def receipt(office, name, body, sender="Billing <billing@slack.com>", subject="Your receipt"):
    path = office.home / name
    path.write_text(f"From: {sender}\nTo: it@acme.example\nSubject: {subject}\nDate: Tue, 03 Nov 2026 09:00:00 +0000\n"
                    f"Message-ID: <{name}@example>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")
    return path


def waiting(office):
    return office.ok("scan", "review", "--json").json()


def charges(office):
    return office.ok("charge", "list", "--json").json()


def test_each_charge_says_how_it_was_read_and_how_sure(office):
    office.ok("scan", receipt(office, "a.eml", "Receipt\nSubtotal 100.00 EUR\nVAT 19.00 EUR\nTotal 119.00 EUR"))
    office.ok("scan", receipt(office, "b.eml", "Receipt\nTotal: 12.00 EUR", sender="Billing <billing@notion.so>"))
    (office.home / "card.csv").write_text("Date,Description,Amount,Currency\n2026-11-05,ZOOM.US,-15.00,EUR\n")
    office.ok("scan", office.home / "card.csv")
    got = {c["vendor"]: (c["read_as"], c["confidence"]) for c in charges(office)}
    assert got == {"Slack": ("arithmetic", 0.95), "Notion": ("labelled", 0.8), "Zoom": ("statement", 1)}, got
    office.ok("charge", "add", "Figma", "30.00", "--on", "2026-11-06")
    figma = [c for c in charges(office) if c["vendor"] == "Figma"][0]
    assert (figma["read_as"], figma["confidence"]) == ("manual", 1)
    d = office.ok("scan", "inspect", office.home / "b.eml", "--json").json()
    assert (d["how_read"], d["confidence"], d["candidates"]) == ("labelled", 0.8, ["12.00 EUR"]), d
    table = office.ok("scan", "inspect", office.home / "b.eml").out
    assert "labelled" in table and "0.8" in table


def test_a_low_confidence_mail_waits_and_moves_no_total(office):
    assert waiting(office) == []
    office.ok("config", "set", "scan.review_below", "0.9")
    office.ok("scan", receipt(office, "low.eml", "Receipt\nTotal: 12.00 EUR"))
    assert charges(office) == []
    [w] = waiting(office)
    assert w["vendor"] == "Slack" and w["read_as"] == "labelled" and w["confidence"] == 0.8 and len(w["candidates"]) == 1
    assert "scan.review_below" in w["why"]
    table = office.ok("scan", "review").out
    assert "Slack" in table and "12.00" in table
    # A rescan does not hold it twice.
    office.ok("scan", office.home / "low.eml")
    assert len(waiting(office)) == 1
    assert office.run("config", "set", "scan.review_below", "2").rc == 64


def test_accept_with_a_corrected_amount_is_recorded_and_audited(office):
    office.ok("config", "set", "scan.review_below", "0.9")
    office.ok("scan", receipt(office, "low.eml", "Receipt\nTotal: 12.00 EUR"))
    [w] = waiting(office)
    r = office.ok("scan", "review", str(w["id"]), "--accept", "120.00", "EUR")
    assert "Accepted finding" in r.err
    [c] = charges(office)
    assert (c["vendor"], c["amount_minor"], c["currency"], c["read_as"], c["confidence"]) == ("Slack", 12000, "EUR", "manual", 1)
    assert waiting(office) == []
    actions = [e["action"] for e in office.ok("audit", "log", "--json").json()]
    assert "finding.review.correct" in actions and "finding.adopt" in actions
    # Settled once: a second accept is refused.
    assert office.run("scan", "review", str(w["id"]), "--accept").rc != 0


def test_accept_without_an_amount_takes_the_first_candidate(office):
    office.ok("config", "set", "scan.review_below", "0.9")
    office.ok("scan", receipt(office, "low.eml", "Receipt\nTotal: 12.00 EUR"))
    [w] = waiting(office)
    office.ok("scan", "review", str(w["id"]), "--accept")
    [c] = charges(office)
    assert (c["amount_minor"], c["read_as"]) == (1200, "labelled")


def test_reject_drops_it_saying_why(office):
    office.ok("config", "set", "scan.review_below", "0.9")
    office.ok("scan", receipt(office, "low.eml", "Receipt\nTotal: 12.00 EUR"))
    [w] = waiting(office)
    assert office.run("scan", "review", str(w["id"]), "--reject").rc == 64
    assert office.run("scan", "review", str(w["id"])).rc == 64
    office.ok("scan", "review", str(w["id"]), "--reject", "-m", "a test mail")
    assert waiting(office) == [] and charges(office) == []
    events = [e for e in office.ok("audit", "log", "--json").json() if e["action"] == "finding.ignore"]
    assert events and "a test mail" in str(events[-1])


def test_only_admins_review(office):
    office.ok("config", "set", "scan.review_below", "0.9")
    office.ok("scan", receipt(office, "low.eml", "Receipt\nTotal: 12.00 EUR"))
    bob = office.add_user("bob")
    assert office.run("scan", "review", token=bob).rc != 0
    assert office.run("scan", "review", str(waiting(office)[0]["id"]), "--accept", token=bob).rc != 0
    assert len(waiting(office)) == 1


def test_the_xml_and_the_text_disagreeing_waits_with_both(office):
    xml = UBL.format(number="R-2026-1101", seller="Hetzner Online GmbH", total="42.00")
    (office.home / "in.eml").write_text(
        mail_with_xml("Hetzner <billing@hetzner.de>", "Ihre Rechnung R-2026-1101", "Rechnungsbetrag: 40,00 EUR", xml))
    d = office.ok("scan", "inspect", office.home / "in.eml", "--json").json()
    assert d["how_read"] == "structured" and d["confidence"] == 0.55 and len(d["candidates"]) == 2
    office.ok("config", "set", "scan.review_below", "0.6")
    office.ok("scan", office.home / "in.eml")
    assert charges(office) == []
    [w] = waiting(office)
    assert [c.split()[0] for c in w["candidates"]] == ["42.00", "40.00"], w
    assert "structured data says" in w["why"]
    office.ok("scan", "review", str(w["id"]), "--accept")
    [c] = charges(office)
    assert (c["amount_minor"], c["invoice_no"], c["read_as"]) == (4200, "R-2026-1101", "structured")


def test_two_labelled_totals_disagreeing_wait(office):
    office.ok("config", "set", "scan.review_below", "0.6")
    office.ok("scan", receipt(office, "two.eml", "Receipt\nTotal: 10.00 EUR\nThank you\nTotal: 12.00 EUR"))
    assert charges(office) == []
    [w] = waiting(office)
    assert len(w["candidates"]) == 2 and "two totals disagree" in w["why"]


def test_summary_and_dashboard_say_how_many_wait(office):
    assert office.ok("report", "summary", "--json").json()["waiting_review"] == 0
    office.ok("config", "set", "scan.review_below", "0.9")
    office.ok("scan", receipt(office, "a.eml", "Receipt\nTotal: 12.00 EUR"))
    office.ok("scan", receipt(office, "b.eml", "Receipt\nTotal: 30.00 EUR", sender="Billing <billing@notion.so>"))
    assert office.ok("report", "summary", "--json").json()["waiting_review"] == 2
    assert "Waiting for review: 2" in office.ok("report", "summary").out
    out = office.home / "dash.html"
    office.ok("report", "html", "--out", out)
    page = out.read_text()
    assert "Waiting for review" in page and ">2<" in page[page.index("Waiting for review"):][:200]


def test_the_migration_runs_again_and_adds_only_what_is_missing(office):
    office.ok("scan", receipt(office, "a.eml", "Receipt\nTotal: 12.00 EUR"))
    version = int(office.sql("PRAGMA user_version").strip())
    office.sql(f"PRAGMA user_version = {version - 1};")
    assert charges(office)[0]["read_as"] == "labelled"  # the columns were there: kept
    office.sql(f"ALTER TABLE charges DROP COLUMN read_as; ALTER TABLE charges DROP COLUMN confidence; PRAGMA user_version = {version - 1};")
    [c] = charges(office)
    assert (c["read_as"], c["confidence"]) == (None, None)  # read before owatch kept it
    assert int(office.sql("PRAGMA user_version").strip()) == version
