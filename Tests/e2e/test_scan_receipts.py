"""Totals as real documents write them: the real PDF invoices of Tests/corpus/pdf read to the
amount and currency a person reads there (each checked by hand against the document), and
labels, languages and currency marks the scan once missed."""
import base64
import json

import pytest

from conftest import ROOT

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

CORPUS = ROOT / "Tests" / "corpus" / "pdf"
# file: (amount, currency), read off each document by hand.
EXPECTED = {
    "invoice2data-AmazonWebServices.pdf": (4.11, "USD"),          # TOTAL AMOUNT DUE … $4.11
    "invoice2data-AzureInterior.pdf": (279.84, "USD"),            # Total $ 279.84 (after three subtotals)
    "invoice2data-FlipkartInvoice.pdf": (319.00, "INR"),          # Grand Total 319.00, an Indian invoice (₹)
    "invoice2data-NetpresseInvoice.pdf": (56.02, "EUR"),          # Total TTC : 56,02 €
    "invoice2data-QualityHosting.pdf": (34.73, "EUR"),            # Total EUR 34,73
    "invoice2data-SammyMaystoneLinesTest.pdf": (127.50, "USD"),   # Total: $127.50
    "invoice2data-camelot-bol100649863.pdf": (189.00, "EUR"),     # Totaal € 156,20 € 32,80 € 189,00
    "invoice2data-camelot-example.pdf": (22.50, "EUR"),           # Totaalbedrag € 22,50
    "invoice2data-coolblue1.pdf": (717.97, "EUR"),                # Totaal € 717,97
    "invoice2data-coolblue2.pdf": (4904.94, "EUR"),               # Totaal € 4.904,94
    "invoice2data-free_fiber.pdf": (29.99, "EUR"),                # Total facture … 29.99 (TTC)
    "invoice2data-oyo.pdf": (1939.00, "INR"),                     # Grand Total Rs 1939
    "invoice2data-saeco.pdf": (49.99, "EUR"),                     # Factuur totaal EUR 49,99
    "mustang-103767-Invoice-2026-03-24-1.pdf": (681.87, "EUR"),   # Total € Incl. VAT 681.87
}


def inspect(office, body: bytes, ctype="application/pdf", subject="Your invoice"):
    eml = office.home / "m.eml"
    eml.write_bytes(b"From: Billing <billing@slack.com>\nSubject: " + subject.encode() + b"\nMessage-ID: <r@x>\nMIME-Version: 1.0\n"
                    b"Content-Type: " + ctype.encode() + b"\nContent-Transfer-Encoding: base64\n\n" + base64.encodebytes(body))
    r = office.run("scan", "inspect", eml, "--json")
    assert r.rc == 0, r
    return r.json()


def test_real_invoices_read_to_their_totals(office):
    wrong = []
    for name, (amount, currency) in EXPECTED.items():
        got = inspect(office, (CORPUS / name).read_bytes())
        if (got["amount"], got["currency"], got["currency_assumed"]) != (amount, currency, False):
            wrong.append(f"{name}: {got['amount']} {got['currency']} (assumed: {got['currency_assumed']}), "
                         f"expected {amount} {currency} ({got['not_a_charge']})")
    print(f"\nreal PDF invoices read to amount and currency: {len(EXPECTED) - len(wrong)}/{len(EXPECTED)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("text, amount, currency", [
    ("Receipt\nTotal EUR\n49,99\n", 49.99, "EUR"),                     # the number on the next line, the currency in the label
    ("Invoice\nGrand Total Rs 1939\n", 1939.0, "INR"),
    ("Factuur\nFactuur totaal EUR 49,99\n", 49.99, "EUR"),
    ("Faktura\nDo zapłaty: 123,00 zł\n", 123.0, "PLN"),
    ("Invoice\nSubtotal 573.00\nTotal € Incl. VAT 681.87\n", 681.87, "EUR"),
    ("Receipt\nAmount: USD $7.00\n", 7.0, "USD"),
    ("Facture\nSomme à payer : 18,00 €\n", 18.0, "EUR"),
    ("Rechnung\nZwischensumme 10,00 €\nZu zahlender Betrag 11,90 €\n", 11.9, "EUR"),
    ("Invoice\nInvoice Amount $99.00\n", 99.0, "USD"),
])
def test_labels_and_currency_marks(office, text, amount, currency):
    got = inspect(office, text.encode("utf-8"), ctype="text/plain; charset=utf-8")
    assert (got["amount"], got["currency"]) == (amount, currency), got


def test_processor_lines_pay_the_merchant_they_name(office):
    (office.home / "card.csv").write_text("Date,Description,Amount,Currency\n"
                                          "2026-11-01,PAYPAL *NOTION,-10.00,USD\n"          # the merchant it names
                                          "2026-11-02,PAYPAL *STEAM GAMES,-20.00,EUR\n"     # a merchant we do not know: its, not PayPal's
                                          "2026-11-03,PAYPAL INST XFER,-30.00,EUR\n"        # a transfer, naming nobody
                                          "2026-11-07,FS *SKETCH,-99.00,USD\n")
    office.ok("scan", "card.csv")
    charges = {c["vendor"]: c["amount_minor"] for c in office.ok("charge", "list", "--json").json()}
    # Issue 31: the merchant behind a processor is the vendor, also when the catalog does not know it.
    assert charges == {"Notion": 1000, "Sketch": 9900, "Steam Games": 2000}


def test_scan_inspect_reads_a_pdf_on_its_own(office):
    r = office.ok("scan", "inspect", CORPUS / "invoice2data-oyo.pdf", "--json").json()
    assert r["parts"] == ["application/pdf"] and "Grand Total Rs 1939" in r["texts"][0]
    # A PDF on its own has no sender: the document says who issued it, when and for how much.
    # OYO is no catalog vendor and a hotel stay is a one-off purchase, not a subscription.
    assert (r["amount"], r["currency"], r["charge_date"]) == (1939.0, "INR", "2017-12-31"), r
    assert r["not_a_charge"].startswith("the document names no known vendor, and this is a one-off purchase"), r


def test_subscriptions_from_senders_nobody_registered(office):
    from test_scan_reconcile import receipt
    mbox = office.home / "tail.mbox"
    mbox.write_bytes(b"".join([
        receipt(1, "Acme Analytics <billing@mail.acmeanalytics.io>", "2026-11-03", "Your Acme Analytics receipt",
                ["Receipt", "Pro plan, billed monthly", "Amount paid: $49.00"]),
        receipt(2, "Shop <orders@shop.example.com>", "2026-11-04", "Your order receipt", ["Your order has shipped", "Total: $19.99"]),
        receipt(3, "Cause <hello@cause.example.org>", "2026-11-05", "Receipt for your donation", ["Thank you", "Total: $25.00"]),
        receipt(4, "Brit Tools <billing@eu.brittools.co.uk>", "2026-11-06", "Invoice 77", ["Your subscription renews yearly", "Total due: £120.00"]),
    ]))
    office.ok("scan", mbox)
    unknown = {f["vendor"]: f for f in office.ok("scan", "findings", "--kind", "unknown_vendor", "--json").json()}
    assert set(unknown) == {"Acme Analytics", "Brit Tools"}
    assert (unknown["Acme Analytics"]["amount_minor"], unknown["Acme Analytics"]["currency"]) == (4900, "USD")
    assert "brittools.co.uk" in unknown["Brit Tools"]["summary"] and unknown["Brit Tools"]["monthly_minor"] == 1000
    # Why the others were dismissed.
    (office.home / "shop.eml").write_bytes(receipt(9, "Shop <orders@shop.example.com>", "2026-11-04", "Your order receipt",
                                                   ["Your order has shipped", "Total: $19.99"]).split(b"\n", 1)[1])
    assert "one-off purchase" in office.ok("scan", "inspect", "shop.eml", "--json").json()["not_a_charge"]
    # Adopting creates the vendor (with its domain) and the license; the next receipt matches it.
    office.ok("scan", "adopt", str(unknown["Acme Analytics"]["id"]))
    vendor = [v for v in office.ok("vendor", "list", "--json").json() if v["name"] == "Acme Analytics"][0]
    assert vendor["domains"] == ["acmeanalytics.io"] and vendor["source"] == "local"
    assert office.ok("license", "show", "Acme Analytics", "--json").json()["cost"] == 49
    nxt = office.home / "next.mbox"
    nxt.write_bytes(receipt(5, "Acme Analytics <billing@mail.acmeanalytics.io>", "2026-12-01", "Your Acme Analytics receipt",
                            ["Receipt", "Pro plan, billed monthly", "Amount paid: $49.00"]))
    office.ok("scan", nxt)
    charges = office.ok("charge", "list", "--vendor", "Acme Analytics", "--json").json()
    assert [c["license"] for c in charges] == ["Acme Analytics"]
    assert not [f for f in office.ok("scan", "findings", "--json").json() if f["kind"] in ("unknown_vendor", "price_change", "unmanaged")
                and f["vendor"] == "Acme Analytics"]


@pytest.mark.parametrize("text, number", [
    ("Rechnung\nRechnungsnr.: RE-2026-0042\nGesamtbetrag: 12,00 €\n", "RE-2026-0042"),
    ("Facture\nN° de facture : F20180027\nNet à payer : 18,00 €\n", "F20180027"),
    ("Factuur\nFactuurnummer: 2026-7781\nTotaal: € 49,99\n", "2026-7781"),
    ("Faktura\nFaktura nr 4471/11/2026\nDo zapłaty: 123,00 zł\n", "4471/11/2026"),
    ("Receipt\nOrder #A-778812\nInvoice number: INV-2026-11\nTotal: $20.00\n", "INV-2026-11"),   # the invoice number, not the order's
    ("Receipt\nOrder number: 998877\nTotal: $20.00\n", "998877"),                                  # an order number when nothing else
])
def test_invoice_numbers_in_their_languages(office, text, number):
    got = inspect(office, text.encode("utf-8"), ctype="text/plain; charset=utf-8")
    assert got["invoice_no"] == number, got


def test_trial_notices_become_trial_findings(office):
    from test_scan_reconcile import receipt
    mbox = office.home / "trials.mbox"
    mbox.write_bytes(receipt(1, "Notion <team@makenotion.com>", "2026-11-20", "Your Notion trial ends soon",
                             ["Your free trial of Notion Plus ends on December 12, 2026.", "After that you will be charged $10.00 per month."])
                     + receipt(2, "Miro <billing@miro.com>", "2026-11-21", "Your Miro trial", ["Enjoy Miro!"]))      # no date: a plain notice
    r = office.ok("scan", mbox, "--json").json()
    assert r["charges"] == 0 and r["not_charges"] == 2
    trials = office.ok("scan", "findings", "--kind", "trial", "--json").json()
    assert [(t["vendor"], "2026-12-12" in t["summary"]) for t in trials] == [("Notion", True)]
    # Once the day has passed the finding resolves itself (the scan sees what the trial became).
    import shutil
    import subprocess
    from conftest import BIN, faketime
    if shutil.which("faketime"):
        later = subprocess.run(faketime(40) + [BIN, "scan", "findings", "--kind", "trial", "--all", "--json"], cwd=office.home,
                               env=office.env, capture_output=True, text=True)
        assert later.returncode == 0, later.stderr
        subprocess.run(faketime(40) + [BIN, "scan", str(mbox)], cwd=office.home, env=office.env, capture_output=True, check=True)
        after = json.loads(subprocess.run(faketime(40) + [BIN, "scan", "findings", "--kind", "trial", "--all", "--json"],
                                          cwd=office.home, env=office.env, capture_output=True, text=True).stdout)
        assert [(t["status"], t["note"]) for t in after] == [("resolved", "the trial ended on 2026-12-12")]


def test_shared_parent_domains_need_the_vendor_named(office):
    from test_scan_reconcile import receipt
    mbox = office.home / "amazon.mbox"
    mbox.write_bytes(receipt(1, "Amazon Web Services <aws-receivables-support@email.amazon.com>", "2026-11-02", "Amazon Web Services Invoice Available",
                             ["Greetings from Amazon Web Services,", "Invoice number: 1234567890", "TOTAL AMOUNT DUE $142.37"])
                     + receipt(2, "Amazon.com <auto-confirm@amazon.com>", "2026-11-03", "Your Amazon.com order receipt",
                               ["Order #112-7788", "A USB cable", "Order Total: $9.99"]))
    office.ok("scan", mbox)
    charges = office.ok("charge", "list", "--json").json()
    assert [(c["vendor"], c["amount_minor"]) for c in charges] == [("Amazon Web Services", 14237)]      # the retail order is not AWS


def test_a_card_line_to_the_amazon_shop_is_not_aws(office):
    # amazon.com is a shared parent domain in card descriptors too: the shop's lines name no vendor by it.
    card = office.home / "card.csv"
    card.write_text("Date,Description,Amount,Currency\n2026-11-05,AMAZON.COM*MK1234 AMZN.COM/BILL WA,-23.99,USD\n"
                    "2026-11-06,Amazon.com order 123,-15.00,USD\n2026-11-07,AWS EMEA aws.amazon.com,-42.00,USD\n")
    rows = office.ok("scan", "inspect", card, "--json").json()
    assert [r["vendor"] for r in rows] == [None, None, "Amazon Web Services"], rows


def test_a_currency_no_document_names_is_assumed_and_said(office):
    """A total with no currency anywhere is in the ledger's currency (EUR here) only as an
    assumption: scan inspect says why, and the charge's finding carries currency_assumed."""
    from test_scan_reconcile import receipt
    got = inspect(office, b"Receipt\nSlack Pro, billed monthly\nAmount paid: 19.00\n", ctype="text/plain")
    assert (got["amount"], got["currency"], got["currency_assumed"]) == (19.0, "EUR", True)
    assert "EUR" in got["currency_note"] and "assumed" in got["currency_note"]
    # Written beside the amount, on its line or elsewhere in the document: not assumed.
    for text in (b"Receipt\nAmount paid: 19.00 USD\n", b"Receipt\nAll prices in USD\nAmount paid: 19.00\n", b"Receipt\nTotal EUR\n19,00\n"):
        got = inspect(office, text, ctype="text/plain")
        assert got["currency_assumed"] is False and got["currency_note"] is None, (text, got)
    mbox = office.home / "assumed.mbox"
    mbox.write_bytes(b"".join([
        receipt(1, "Slack <feedback@slack.com>", "2026-11-03", "Your Slack receipt", ["Receipt", "Slack Pro, billed monthly", "Amount paid: 19.00"]),
        # A sender in Germany: "19,00" is in euros, from the sender's country, not assumed.
        receipt(2, "Werkzeug Cloud <rechnung@werkzeug-cloud.de>", "2026-11-04", "Ihre Rechnung",
                ["Rechnung", "Abonnement, monatlich", "Gesamtbetrag: 19,00"]),
        receipt(3, "Notion <team@makenotion.com>", "2026-11-05", "Your Notion receipt", ["Receipt", "Plus plan, monthly", "Amount paid: $8.00"]),
    ]))
    office.ok("scan", mbox)
    findings = {f["vendor"]: f for f in office.ok("scan", "findings", "--json").json() if f["kind"] in ("unmanaged", "unknown_vendor")}
    assert (findings["Slack"]["currency"], findings["Slack"]["currency_assumed"]) == ("EUR", True)
    assert (findings["Werkzeug Cloud"]["currency"], findings["Werkzeug Cloud"]["currency_assumed"]) == ("EUR", False)
    assert (findings["Notion"]["currency"], findings["Notion"]["currency_assumed"]) == ("USD", False)
    csv = office.ok("scan", "findings", "--format", "csv").out.splitlines()
    assert csv[0].endswith(",currency_assumed")


FORWARDS = [
    # Gmail's forward, the original's date and subject in its block.
    ("Fwd: Your Slack receipt", "---------- Forwarded message ---------\nFrom: Slack <feedback@slack.com>\n"
     "Date: Tue, 3 Nov 2026 at 09:12\nSubject: Your Slack receipt\nTo: <alice@ourco.example>\n\n"
     "Receipt\nPro plan, billed monthly\nAmount paid: $87.50\n", "Slack", 87.5, "2026-11-03"),
    # Outlook's, in German, the address in brackets.
    ("WG: Ihre Rechnung", "________________________________\nVon: Hetzner Online GmbH [mailto:billing@hetzner.de]\n"
     "Gesendet: Montag, 2. November 2026 10:00\nAn: Alice\nBetreff: Ihre Rechnung R0005532486\n\n"
     "Rechnung R0005532486\nBrutto 104,00 €\n", "Hetzner", 104.0, "2026-11-02"),
]


@pytest.mark.parametrize("subject, body, vendor, amount, day", FORWARDS)
def test_a_forwarded_receipt_is_the_original_senders(office, subject, body, vendor, amount, day):
    # Receipts reach an office's accounts inbox forwarded by whoever paid: the vendor is the
    # original sender, not the colleague (who would otherwise be "shadow IT" at ourco.example).
    eml = office.home / "fwd.eml"
    eml.write_bytes(("From: Alice <alice@ourco.example>\nSubject: " + subject + "\nDate: Fri, 20 Nov 2026 08:00:00 +0000\n"
                     "Message-ID: <fwd@ourco.example>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
                     "Content-Transfer-Encoding: 8bit\n\n" + body).encode())
    got = office.ok("scan", "inspect", eml, "--json").json()
    assert (got["vendor"], got["amount"], got["charge_date"], got["is_charge"]) == (vendor, amount, day, True), got


def test_a_forward_that_hides_its_sender_is_nobodys_subscription(office):
    eml = office.home / "fwd.eml"
    eml.write_bytes(b"From: Alice <alice@ourco.example>\nSubject: Fwd: receipt for the team plan\nMessage-ID: <f2@x>\n\n"
                    b"see below\n\nReceipt\nTeam plan, billed monthly\nTotal: $30.00\n")
    got = office.ok("scan", "inspect", eml, "--json").json()
    assert (got["is_charge"], got["unknown_vendor"], got["not_a_charge"]) == (False, None, "a forward that does not name the original sender"), got
