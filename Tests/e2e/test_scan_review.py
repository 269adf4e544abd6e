"""Issue 32, "not sure is an answer": every read charge says how it was read and how sure the
reader was; under config scan.review_below, or when two readings disagree, it waits as a review
finding with its candidates, listed and settled by `scan review`."""
import base64
import io

import pytest

from test_scan_einvoice import UBL, mail_with_xml

from conftest import OLDER_SCHEMA, sqlite_only


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


# Run once, on SQLite (make test): the e-invoice reader's decision; review findings land on PostgreSQL in the low-confidence test.
@pytest.mark.backend_independent
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


# Run once, on SQLite (make test): the receipt reader's decision; review findings land on PostgreSQL in the low-confidence test.
@pytest.mark.backend_independent
def test_two_labelled_totals_disagreeing_wait(office):
    # Nothing settles which is right: 0.45, under the default scan.review_below.
    d = office.ok("scan", "inspect", receipt(office, "two.eml", "Receipt\nTotal: 10.00 EUR\nThank you\nTotal: 12.00 EUR"), "--json").json()
    assert (d["how_read"], d["confidence"]) == ("labelled", 0.45), d
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


@sqlite_only(OLDER_SCHEMA)
def test_the_migration_runs_again_and_adds_only_what_is_missing(office):
    office.ok("scan", receipt(office, "a.eml", "Receipt\nTotal: 12.00 EUR"))
    version = int(office.sql("PRAGMA user_version").strip())
    office.sql(f"PRAGMA user_version = {version - 1};")
    assert charges(office)[0]["read_as"] == "labelled"  # the columns were there: kept
    office.sql(f"ALTER TABLE charges DROP COLUMN read_as; ALTER TABLE charges DROP COLUMN confidence; PRAGMA user_version = {version - 1};")
    [c] = charges(office)
    assert (c["read_as"], c["confidence"]) == (None, None)  # read before owatch kept it
    assert int(office.sql("PRAGMA user_version").strip()) == version


BILL = "Invoice number: INV-77\nInvoice date: 3 November 2026\nPro plan, 3 seats   36.00 EUR\nVAT 6.84 EUR\n"


# Run once, on SQLite (make test): the receipt reader's decision.
@pytest.mark.backend_independent
def test_a_bill_with_no_labelled_total_waits_as_a_fallback_with_its_candidates(office):
    path = receipt(office, "bill.eml", BILL, subject="Your invoice INV-77")
    d = office.ok("scan", "inspect", path, "--json").json()
    assert (d["how_read"], d["confidence"], d["candidates"]) == ("fallback", 0.3, ["36.00 EUR", "6.84 EUR"]), d
    office.ok("scan", path)  # the default scan.review_below (0.5): never a charge on its own
    assert charges(office) == []
    [w] = waiting(office)
    assert (w["vendor"], w["read_as"], w["confidence"]) == ("Slack", "fallback", 0.3), w
    assert [c.split()[0] for c in w["candidates"]] == ["36.00", "6.84"] and "no labelled total" in w["why"], w
    office.ok("scan", "review", str(w["id"]), "--accept", "42.84", "EUR")
    [c] = charges(office)
    assert (c["amount_minor"], c["read_as"], c["invoice_no"]) == (4284, "manual", "INV-77")


# Run once, on SQLite (make test): the look-alike reader.
@pytest.mark.backend_independent
def test_look_alikes_with_prices_make_no_review_finding(office):
    # Marketing and notices that say "invoice" and print prices, but are no bill.
    offer = ("Invoice changes: from January the Pro plan is 8.75 EUR per seat and Business 12.50 EUR.\n"
             "Invoice date stays the 1st.\nUnsubscribe: https://slack.com/unsubscribe")
    office.ok("scan", receipt(office, "offer.eml", offer, subject="Your invoice will change"))
    notice = "Your invoice settings were updated.\nPlans start at 8.75 EUR per seat."
    office.ok("scan", receipt(office, "notice.eml", notice, subject="Invoice settings"))
    quote = "Invoice address: Acme GmbH\nQuotation Q-12\nInvoice date on acceptance\nPro plan 3 seats 36.00 EUR"
    office.ok("scan", receipt(office, "quote.eml", quote, subject="Your quote and invoice details"))
    assert waiting(office) == [] and charges(office) == []
    for name in ("offer.eml", "notice.eml", "quote.eml"):
        d = office.ok("scan", "inspect", office.home / name, "--json").json()
        assert d["amount"] is None and d["how_read"] != "fallback", (name, d)


UNKNOWN = "Ledgerline <billing@ledgerline.io>"
UNKNOWN_BILL = ("Your Ledgerline subscription (monthly)\nReceipt number: R-1001\nPayment date: 3 November 2026\n"
                "Team plan   75.00 USD\n")


def unknown_findings(office):
    return office.ok("scan", "findings", "--kind", "unknown_vendor", "--json").json()


def test_an_unknown_vendors_reading_gets_the_same_confidence_check(office):
    office.ok("scan", receipt(office, "u.eml", UNKNOWN_BILL, sender=UNKNOWN, subject="Your receipt from Ledgerline"))
    # Not sure (a fallback, 0.3): a review finding, not an unknown_vendor finding.
    assert unknown_findings(office) == []
    [w] = waiting(office)
    assert (w["read_as"], w["confidence"]) == ("fallback", 0.3) and "Ledgerline" in w["vendor"], w
    [f] = office.ok("scan", "findings", "--kind", "review", "--json").json()
    assert "not in the catalog" in f["summary"] and "ledgerline.io" in f["summary"], f
    # Accepting it makes the unknown_vendor finding it held, at the amount the admin gives.
    office.ok("scan", "review", str(w["id"]), "--accept", "80.00", "USD")
    [u] = unknown_findings(office)
    assert (u["amount"], u["currency"]) == (80.0, "USD") and "ledgerline.io" in u["summary"], u
    assert waiting(office) == [] and charges(office) == []


def test_the_threshold_decides_for_unknown_vendors_too(office):
    labelled = UNKNOWN_BILL + "Total charged: 75.00 USD\n"
    office.ok("config", "set", "scan.review_below", "0.9")  # a labelled total (0.8) waits
    office.ok("scan", receipt(office, "u.eml", labelled, sender=UNKNOWN, subject="Your receipt from Ledgerline"))
    assert unknown_findings(office) == [] and len(waiting(office)) == 1
    office.ok("config", "set", "scan.review_below", "0.5")  # and is taken under the default
    office.ok("scan", receipt(office, "v.eml", labelled.replace("R-1001", "R-1002"), sender="Quillpad <billing@quillpad.io>",
                              subject="Your receipt from Quillpad"))
    assert [u["vendor"] for u in unknown_findings(office)] == ["Quillpad"], unknown_findings(office)
    assert len(waiting(office)) == 1
    # Rejected, it leaves nothing behind.
    office.ok("scan", "review", str(waiting(office)[0]["id"]), "--reject", "-m", "a test")
    assert waiting(office) == [] and [u["vendor"] for u in unknown_findings(office)] == ["Quillpad"]


# --- The XML and the page: one invoice, or two documents ---------------------------------------

CII = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID>
 </ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>{number}</ram:ID><ram:TypeCode>380</ram:TypeCode>
 <ram:IssueDateTime><udt:DateTimeString format="102">20261103</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
 <ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>Hetzner Online GmbH</ram:Name></ram:SellerTradeParty>
 <ram:BuyerTradeParty><ram:Name>Acme GmbH</ram:Name></ram:BuyerTradeParty>
 </ram:ApplicableHeaderTradeAgreement>
 <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
 <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
 <ram:LineTotalAmount>100.00</ram:LineTotalAmount><ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>
 <ram:TaxTotalAmount currencyID="EUR">19.00</ram:TaxTotalAmount><ram:GrandTotalAmount>119.00</ram:GrandTotalAmount>
 <ram:TotalPrepaidAmount>0.00</ram:TotalPrepaidAmount><ram:DuePayableAmount>119.00</ram:DuePayableAmount>
 </ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""


def factur_x_mail(office, name, page_lines, number="471102"):
    """A Hetzner mail carrying a PDF whose page prints `page_lines` and whose embedded Factur-X XML
    is invoice `number` of 100.00 + 19.00 = 119.00 EUR (made with ReportLab and PyPI factur-x)."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    facturx = pytest.importorskip("facturx")
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Helvetica", 10)
    for i, line in enumerate(page_lines):
        c.drawString(50, 800 - 14 * i, line)
    c.save()
    pdf = facturx.generate_from_binary(buf.getvalue(), CII.format(number=number).encode(), check_xsd=False)
    b64 = base64.encodebytes(pdf).decode()
    path = office.home / name
    path.write_text(
        "From: Hetzner <billing@hetzner.de>\nTo: it@acme.example\nSubject: Your invoice\nDate: Tue, 03 Nov 2026 09:00:00 +0000\n"
        f"Message-ID: <{name}@example>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain; charset=utf-8\n\nYour invoice is attached.\n"
        f"--b\nContent-Type: application/pdf; name=\"{name}.pdf\"\nContent-Disposition: attachment; filename=\"{name}.pdf\"\n"
        f"Content-Transfer-Encoding: base64\n\n{b64}--b--\n")
    return path


# Run once, on SQLite (make test): the e-invoice reader's decision.
@pytest.mark.backend_independent
def test_a_page_describing_another_invoice_than_its_xml_waits_with_both(office):
    # A demo PDF: the page is invoice 2026-0042 of 1,589.80; the XML it carries is sample invoice 471102 of 119.00.
    path = factur_x_mail(office, "demo.eml", ["Invoice 2026-0042", "Order 4711020", "Total: 1,589.80 EUR"])
    d = office.ok("scan", "inspect", path, "--json").json()
    assert (d["read_as"], d["amount"], d["text_amount"], d["invoice_no"]) == ("structured", 119.0, 1589.8, "471102"), d
    assert d["confidence"] == 0.4 and d["candidates"] == ["119.00 EUR", "1,589.80 EUR"], d
    assert d["text_agreement"].startswith("another document") and "471102" in d["text_agreement"], d
    assert "another document" in office.ok("scan", "inspect", path).out
    office.ok("scan", path)
    assert charges(office) == []
    [w] = waiting(office)
    assert [c.split()[0] for c in w["candidates"]] == ["119.00", "1,589.80"] and "another document" in w["why"], w
    office.ok("scan", "review", str(w["id"]), "--accept", "1589.80", "EUR")
    assert [c["amount_minor"] for c in charges(office)] == [158980]


@pytest.mark.parametrize("page, number, why", [
    # the page, numbering no invoice, prints the XML's net (BT-109) as its total: the XML is right
    (["Invoice", "Total: 100.00 EUR"], "471102", "BT-109"),
    # the page's total is none of the XML's, but the page states the XML's invoice number
    (["Invoice no. 471102", "Total: 1,589.80 EUR"], "471102", "invoice number 471102"),
    # a number too short to look for in the words, read as the page's own
    (["Invoice no. 42", "Total: 1,589.80 EUR"], "42", "invoice number 42"),
])
# Run once, on SQLite (make test): the e-invoice reader's decision.
@pytest.mark.backend_independent
def test_a_page_describing_the_same_invoice_leaves_the_xml_winning(office, page, number, why):
    path = factur_x_mail(office, "same.eml", page, number=number)
    d = office.ok("scan", "inspect", path, "--json").json()
    assert (d["amount"], d["confidence"], len(d["candidates"])) == (119.0, 0.55, 2), d
    assert d["text_agreement"].startswith("same invoice") and why in d["text_agreement"], d
    office.ok("scan", path)
    assert waiting(office) == [] and [c["amount_minor"] for c in charges(office)] == [11900]


# Run once, on SQLite (make test): the e-invoice reader's decision.
@pytest.mark.backend_independent
def test_a_page_numbering_another_invoice_is_another_document_whatever_totals_they_share(office):
    # Sample XML about the same goods: the page's total is the XML's net, but the page is invoice 2026-0042.
    d = office.ok("scan", "inspect", factur_x_mail(office, "other.eml", ["Invoice 2026-0042", "Total: 100.00 EUR"]), "--json").json()
    assert (d["amount"], d["text_invoice_no"], d["confidence"]) == (119.0, "2026-0042", 0.4), d
    assert d["text_agreement"] == "another document: the page is invoice 2026-0042, the XML invoice 471102", d


# Run once, on SQLite (make test): the e-invoice reader's decision.
@pytest.mark.backend_independent
def test_a_page_agreeing_with_its_xml_needs_no_agreement(office):
    d = office.ok("scan", "inspect", factur_x_mail(office, "agree.eml", ["Invoice 471102", "Total: 119.00 EUR"]), "--json").json()
    assert (d["amount"], d["confidence"], d["text_agreement"]) == (119.0, 1, None), d


def forward(office, name, subject, original_from, body, forwarder="mallory@evil.example", mid=None):
    """A message `forwarder` sent to the inbox, claiming to forward `original_from`'s mail."""
    eml = office.home / "inbox" / f"{name}.eml"
    eml.parent.mkdir(exist_ok=True)
    eml.write_bytes((f"From: Mallory <{forwarder}>\nTo: accounts@acme.example\nSubject: Fwd: {subject}\n"
                     f"Date: Fri, 20 Nov 2026 08:00:00 +0000\nMessage-ID: <{mid or name}@evil.example>\n"
                     "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
                     f"FYI\n\n---------- Forwarded message ---------\nFrom: {original_from}\n"
                     f"Date: Tue, 17 Nov 2026 at 09:12\nSubject: {subject}\nTo: <accounts@acme.example>\n\n{body}").encode())
    return eml


def test_forged_forwards_wait_for_review_and_move_no_total(office):
    office.ok("rate", "set", "USD", "EUR", "0.92", "--on", "2026-11-02")   # the threshold is 500 EUR: USD compares at the rate
    real = office.home / "inbox" / "real.eml"
    real.parent.mkdir()
    real.write_bytes(b"From: Slack <feedback@slack.com>\nTo: accounts@acme.example\nSubject: Your Slack receipt\n"
                     b"Date: Mon, 16 Nov 2026 08:00:00 +0000\nMessage-ID: <real@slack.com>\n\n"
                     b"Receipt\nPro plan, billed monthly\nAmount paid: $20.00\n")
    forward(office, "credit", "Your Slack refund receipt", "Slack <feedback@slack.com>",
            "Receipt for your refund (credit note CN-1)\nAmount refunded: $20.00\n")
    forward(office, "big", "Your Zoom receipt", "Zoom <billing@zoom.us>",
            "Receipt\nInvoice number: INV-ZM-4999\nZoom Enterprise (Monthly)\nTotal $4,999.00\n")
    forward(office, "small", "Your Notion receipt", "Notion <team@makenotion.com>",
            "Receipt\nInvoice number: NTN-15\nNotion Plus (Monthly)\nAmount paid: $15.00\n")
    r = office.ok("scan", office.home / "inbox", "--json")
    run = r.json()
    assert run["charges"] == 2, run                                     # the real receipt and the small forward
    charges = office.ok("charge", "list", "--json").json()
    assert sorted(c["amount"] for c in charges) == [15.0, 20.0], charges   # no -20.00, no 4,999.00
    assert all(c["amount"] > 0 for c in charges)
    small = next(c for c in charges if c["vendor"] == "Notion")
    real_charge = next(c for c in charges if c["vendor"] == "Slack")
    assert small["forwarded_by"] == "mallory@evil.example" and real_charge["forwarded_by"] is None, charges
    shown = office.ok("charge", "show", str(small["id"]), "--json").json()
    assert shown["forwarded_by"] == "mallory@evil.example"
    assert "mallory@evil.example" in office.ok("charge", "show", str(small["id"])).out
    # The burn holds the real payment whole.
    burn = office.ok("report", "burn", "--from", "2026-11", "--to", "2026-11", "--json").json()
    assert sum(row["observed"] for row in burn if row.get("currency") == "USD") == 35.0, burn
    review = {f["vendor"]: f for f in office.ok("scan", "findings", "--kind", "review", "--json").json()}
    assert set(review) == {"Slack", "Zoom"}, review
    assert review["Slack"]["amount"] == -20.0 and "mallory@evil.example" in review["Slack"]["summary"], review
    assert review["Zoom"]["amount"] == 4999.0 and review["Zoom"]["charge_id"] is None, review
    assert {f["kind"] for f in run["findings"]} >= {"review"}
    # A rescan reads nothing new and holds nothing twice.
    again = office.ok("scan", office.home / "inbox", "--json").json()
    assert again["charges"] == 0 and again["new_findings"] == 0, again
    # The admin decides: the big one was real after all, the credit note is dropped.
    adopted = office.ok("scan", "adopt", str(review["Zoom"]["id"]), "--json").json()
    assert adopted["status"] == "adopted" and adopted["charge_id"], adopted
    zoom = office.ok("charge", "show", str(adopted["charge_id"]), "--json").json()
    assert (zoom["vendor"], zoom["amount"], zoom["forwarded_by"], zoom["invoice_no"]) == ("Zoom", 4999.0, "mallory@evil.example", "INV-ZM-4999")
    office.ok("scan", "ignore", str(review["Slack"]["id"]), "-m", "forged")
    assert sorted(c["amount"] for c in office.ok("charge", "list", "--json").json()) == [15.0, 20.0, 4999.0]
    assert office.run("scan", "adopt", str(review["Slack"]["id"])).rc == 1                 # closed stays closed
    # Scanning the same forwards again (new ids) with a higher threshold: the big one counts, the credit note never does.
    office.ok("config", "set", "scan.forward_review_above", "10000 USD")
    assert office.ok("config", "get", "scan.forward_review_above").out.strip().endswith("10000.00 USD")
    forward(office, "big2", "Your Zoom receipt", "Zoom <billing@zoom.us>",
            "Receipt\nInvoice number: INV-ZM-5000\nZoom Enterprise (Monthly)\nTotal $4,999.00\n")
    forward(office, "credit2", "Your Slack refund receipt", "Slack <feedback@slack.com>",
            "Receipt for your refund (credit note CN-2)\nAmount refunded: $20.00\n")
    run = office.ok("scan", office.home / "inbox", "--json").json()
    assert run["charges"] == 1 and [f["amount"] for f in run["findings"] if f["kind"] == "review"] == [-20.0], run


def test_forward_review_threshold_defaults_to_500_in_the_base_currency(office):
    assert office.run("config", "set", "scan.forward_review_above", "-5").rc == 64
    assert office.run("config", "set", "scan.forward_review_above", "lots").rc == 64
    forward(office, "a", "Your Zoom receipt", "Zoom <billing@zoom.us>", "Receipt\nInvoice number: INV-A1\nTotal €499.00\n")
    forward(office, "b", "Your Zoom receipt", "Zoom <billing@zoom.us>", "Receipt\nInvoice number: INV-B2\nTotal €501.00\n")
    run = office.ok("scan", office.home / "inbox", "--json").json()
    assert run["charges"] == 1 and [(f["kind"], f["amount"]) for f in run["findings"] if f["kind"] == "review"] == [("review", 501.0)], run
    # --fail-on-findings: a held forward is news for cron.
    forward(office, "c", "Your Zoom receipt", "Zoom <billing@zoom.us>", "Receipt\nInvoice number: INV-C3\nTotal €900.00\n")
    assert office.run("scan", office.home / "inbox", "--fail-on-findings").rc == 1
