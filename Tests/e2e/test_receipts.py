"""Totals as real documents write them: the real PDF invoices of Tests/corpus/pdf read to the
amount and currency a person reads there (each checked by hand against the document), and
labels, languages and currency marks the scan once missed."""
import base64

import pytest

from conftest import ROOT

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
        if (got["amount"], got["currency"]) != (amount, currency):
            wrong.append(f"{name}: {got['amount']} {got['currency']}, expected {amount} {currency} ({got['not_a_charge']})")
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
                                          "2026-11-02,PAYPAL *STEAM GAMES,-20.00,EUR\n"     # no software we know: not PayPal's
                                          "2026-11-03,PAYPAL INST XFER,-30.00,EUR\n"        # a transfer, naming nobody
                                          "2026-11-07,FS *SKETCH,-99.00,USD\n")
    office.ok("scan", "card.csv")
    charges = {c["vendor"]: c["amount_minor"] for c in office.ok("charge", "list", "--json").json()}
    assert charges == {"Notion": 1000, "Sketch": 9900}


def test_scan_inspect_reads_a_pdf_on_its_own(office):
    r = office.ok("scan", "inspect", CORPUS / "invoice2data-oyo.pdf", "--json").json()
    assert r["parts"] == ["application/pdf"] and "Grand Total Rs 1939" in r["texts"][0]
    assert r["not_a_charge"] == "sender is not a known vendor"        # a PDF says nothing of who sent it
