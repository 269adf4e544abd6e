"""Look-alikes are not bills (issue 32): structured documents are told by what they declare (a UBL or
UN/CEFACT root element, its namespace and its UNTDID 1001 type code), free text by its title. Orders,
despatch advices, catalogues, invoice responses, proformas, quotes, delivery notes and payment
reminders make no charge, and `scan inspect` says what the document declared and why."""
import base64
import re

import pytest

from conftest import ROOT
from test_scan_free_text import inspect_mail, inspect_text, pdf_of

# Run once, on SQLite ledgers (make test): documents read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

DEV = ROOT / "Tests" / "corpus" / "dev"
LOOKALIKES = sorted(p for p in DEV.glob("peppol-poacc-*.xml")) + sorted(DEV.glob("*order-x*.xml"))
# An EN 16931 CII invoice of the dev corpus whose type code the tests below change.
CII = (DEV / "horstoeko-xml_en16931_3.xml").read_text(encoding="utf-8")


def inspect(office, path):
    return office.ok("scan", "inspect", path, "--json").json()


def test_the_dev_corpus_has_a_dozen_structured_look_alikes_of_several_kinds():
    roots = {re.search(rb"<(?:\w+:)?(\w+)[\s>]", p.read_bytes().split(b"?>", 1)[-1]).group(1) for p in LOOKALIKES}
    assert len(LOOKALIKES) >= 12 and {b"Order", b"DespatchAdvice", b"Catalogue", b"ApplicationResponse"} <= roots


@pytest.mark.parametrize("path", LOOKALIKES, ids=[p.name for p in LOOKALIKES])
def test_a_structured_document_that_is_no_invoice_makes_no_charge(office, path):
    d = inspect(office, path)
    assert (d["is_charge"], d["amount"], d["einvoice"]) == (False, None, None), d
    assert d["declared"].split()[0] in ("UBL", "CII") and "not an invoice or credit note: no charge" in d["not_a_charge"], d


def test_an_order_x_pdf_makes_no_charge_though_its_page_prints_a_total(office):
    d = inspect(office, ROOT / "Tests" / "corpus" / "pdf" / "mustang-ORDER-X_EX01_ORDER_FULL_DATA-COMFORT.pdf")
    assert (d["is_charge"], d["amount"]) == (False, None)
    assert "total" in " ".join(d["texts"]).lower() and d["declared"].endswith("type 220") and "(an order)" in d["not_a_charge"], d


@pytest.mark.parametrize("code, amount, declared", [
    ("380", 108.0, None),  # commercial invoice
    ("204", 108.0, None),  # FeRD's "Baurechnung": EN 16931 lists it as an invoice type
    ("386", 108.0, None),  # prepayment invoice: money asked for
    ("261", -108.0, None),  # self-billed credit note: money back, like 381
    ("325", None, "CII CrossIndustryInvoice type 325"),  # proforma: sent before the sale
    ("220", None, "CII CrossIndustryInvoice type 220"),  # an order's code in an invoice's envelope
])
def test_the_cii_type_code_says_bill_credit_or_neither(office, code, amount, declared):
    xml = re.sub(r"(<ram:TypeCode>)380(</ram:TypeCode>)", rf"\g<1>{code}\g<2>", CII, count=1)
    assert xml != CII or code == "380"
    path = office.home / f"type-{code}.xml"
    path.write_text(xml, encoding="utf-8")
    d = inspect(office, path)
    assert (d["amount"], d["declared"]) == (amount, declared), d
    if declared:
        assert "not an invoice or credit note: no charge" in d["not_a_charge"]


def test_a_ubl_proforma_invoice_makes_no_charge(office):
    xml = (DEV / "ublbridge-ubl-1_ubl_simple.xml").read_text(encoding="utf-8")
    path = office.home / "proforma.xml"
    path.write_text(re.sub(r"(<cbc:InvoiceTypeCode[^>]*>)380<", r"\g<1>325<", xml, count=1), encoding="utf-8")
    d = inspect(office, path)
    assert (d["amount"], d["declared"]) == (None, "UBL Invoice type 325") and "proforma" in d["not_a_charge"], d


def test_a_folder_with_an_order_next_to_an_invoice_charges_only_the_invoice(office):
    folder = office.home / "inbox"
    folder.mkdir()
    (folder / "order.xml").write_bytes((DEV / "peppol-poacc-Order_Example.xml").read_bytes())
    (folder / "despatch.xml").write_bytes((DEV / "peppol-poacc-DespatchAdvice_Example.xml").read_bytes())
    (folder / "invoice.xml").write_bytes((DEV / "ublbridge-cii-4_cii_without_tax.xml").read_bytes())
    r = office.run("scan", folder)
    # Before, an order on its own was taken for a bank statement ("the statement is empty").
    assert r.rc == 0 and "statement" not in r.err, r
    findings = office.ok("scan", "findings", "--json").out
    assert "NOK" not in office.sql("SELECT currency FROM charges") and "NOK" not in findings
    # The invoice beside them is read (its issuer is nobody's vendor here, so it makes no finding either).
    assert inspect(office, folder / "invoice.xml")["amount"] == 473.0


# --- Free text: the document's title ---------------------------------------------------------------

TITLED = [
    ("quote", ["Nordlicht Software GmbH", "www.nordlicht-software.de", "ANGEBOT Nr. 2026-17", "Datum: 02.11.2026",
               "Abonnement Team, monatlich", "Gesamtbetrag: 1.190,00 EUR"]),
    ("quote", ["Brightwave Analytics Ltd", "brightwave.io", "Quotation Q-881", "Pro plan, billed yearly", "Total: $4,800.00"]),
    ("proforma invoice", ["Brightwave Analytics Ltd", "brightwave.io", "Pro Forma Invoice PF-12", "Subscription, yearly",
                          "Amount due: $4,800.00"]),
    ("delivery note", ["Nordlicht Software GmbH", "www.nordlicht-software.de", "Lieferschein 5531", "Lizenzschlüssel, 10 Plätze",
                       "Summe: 300,00 EUR"]),
    ("payment reminder", ["Nordlicht Software GmbH", "www.nordlicht-software.de", "Zahlungserinnerung",
                          "Rechnung Nr. 2026-0042 vom 02.11.2026, Abonnement Team", "Offener Betrag: 119,00 €"]),
    ("payment reminder", ["Société Exemple SAS", "www.exemple-logiciel.fr", "Relance", "Facture FA-2026-3, abonnement annuel",
                          "Montant à payer : 600,00 €"]),
]


@pytest.mark.parametrize("kind, lines", TITLED, ids=[f"{k}-{i}" for i, (k, _) in enumerate(TITLED)])
def test_a_document_titled_as_a_look_alike_makes_no_charge(office, kind, lines):
    d = inspect_text(office, "\n".join(lines) + "\n", name="doc.txt")
    assert (d["is_charge"], d["amount"], d["unknown_vendor"], d["declared"]) == (False, None, None, kind), d
    assert kind in d["not_a_charge"]


def test_a_quote_pdf_makes_no_charge(office):
    d = pdf_of(office, ["Nordlicht Software GmbH · www.nordlicht-software.de", "Angebot Nr. 2026-17 vom 02.11.2026",
                        "Abonnement Team, monatlich", "Gesamtbetrag: 119,00 €"])
    assert (d["amount"], d["declared"]) == (None, "quote"), d


def test_an_invoice_that_names_its_quote_is_still_a_bill(office):
    # The invoice's own title comes first; "Angebot" further down is the quote it was made from.
    d = inspect_text(office, "Nordlicht Software GmbH\nwww.nordlicht-software.de\nRechnung Nr. 2026-0042\n"
                             "Angebot Nr. 2026-17 vom 01.10.2026\nAbonnement Team, monatlich\nGesamtbetrag: 119,00 €\n")
    assert (d["amount"], d["currency"], d["declared"]) == (119.0, "EUR", None), d


@pytest.mark.parametrize("subject, kind", [
    ("Zahlungserinnerung: Rechnung R-2026-1101", "payment reminder"),
    ("Reminder: invoice R-2026-1101 is overdue", "payment reminder"),
    ("Kostenvoranschlag K-77", "quote"),
])
def test_a_vendors_mail_whose_subject_names_a_look_alike_makes_no_charge(office, subject, kind):
    d = inspect_mail(office, "Hetzner <billing@hetzner.de>", subject, ["Rechnung R-2026-1101", "Rechnungsbetrag: 40,00 EUR"])
    assert (d["vendor"], d["is_charge"], d["amount"], d["declared"]) == ("Hetzner", False, None, kind), d
    control = inspect_mail(office, "Hetzner <billing@hetzner.de>", "Ihre Rechnung R-2026-1101",
                           ["Rechnung R-2026-1101", "Rechnungsbetrag: 40,00 EUR"])
    assert (control["is_charge"], control["amount"]) == (True, 40.0), control


def test_an_order_acknowledgement_makes_no_charge(office):
    d = inspect_text(office, "Nordlicht Software GmbH\nwww.nordlicht-software.de\nAuftragsbestätigung 2026-311\n"
                             "Abonnement Team, monatlich\nGesamtbetrag: 119,00 €\n")
    assert (d["amount"], d["declared"]) == (None, "order response"), d


def test_an_order_confirmation_that_announces_the_invoice_makes_no_charge(office):
    lines = ["Thank you for your order 4711.", "Dedicated server AX41, 39.00 EUR per month", "Total: 39.00 EUR"]
    d = inspect_mail(office, "Hetzner <billing@hetzner.de>", "Order confirmation 4711",
                     lines + ["You will receive an invoice once the server is ready."])
    assert (d["vendor"], d["amount"], d["declared"]) == ("Hetzner", None, "order confirmation, billed later"), d
    assert "the invoice it announces is the charge" in d["not_a_charge"]
    # Paid at the order, it is the receipt: a charge.
    paid = inspect_mail(office, "Hetzner <billing@hetzner.de>", "Order confirmation 4711", lines + ["Paid by card ending 4242."])
    assert (paid["amount"], paid["is_charge"]) == (39.0, True), paid


# --- What a document declares wins over its words ------------------------------------------------

def test_a_vendors_quote_mail_is_a_quote_not_marketing(office):
    # "Angebot" is German for a quote and for a special offer: the quote's title says which this is.
    d = inspect_mail(office, "Hetzner <billing@hetzner.de>", "Ihr Angebot A-2026-17",
                     ["Angebot A-2026-17", "Dedicated Server AX41, monatlich", "Gesamtbetrag: 39,00 EUR"])
    assert (d["vendor"], d["is_charge"], d["declared"]) == ("Hetzner", False, "quote"), d
    assert "quote" in d["not_a_charge"] and "marketing" not in d["not_a_charge"], d
    advert = inspect_mail(office, "Hetzner <billing@hetzner.de>", "Sonderangebot: 20 % auf Cloud-Server",
                          ["Nur diese Woche", "Rechnung bequem per Lastschrift", "Gesamtbetrag: 39,00 EUR"])
    assert (advert["is_charge"], advert["not_a_charge"], advert["declared"]) == (False, "marketing", None), advert


def factur_x(office, lines, xml, name):
    facturx = pytest.importorskip("facturx")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    page = office.home / f"page-{name}"
    c = canvas.Canvas(str(page))
    c.setFont("Helvetica", 10)
    for i, line in enumerate(lines):
        c.drawString(50, 800 - 14 * i, line)
    c.save()
    path = office.home / name
    path.write_bytes(facturx.generate_from_binary(page.read_bytes(), xml.encode(), check_xsd=False))
    return page, path


QUOTE_PAGE = ["Nordlicht Software GmbH · www.nordlicht-software.de", "Angebot Nr. 2026-17 vom 02.11.2026",
              "Abonnement Team, monatlich", "Gesamtbetrag: 119,00 €"]


def test_an_embedded_invoice_xml_wins_over_a_look_alike_heading_and_scan_agrees_with_inspect(office):
    page, pdf = factur_x(office, QUOTE_PAGE, CII, "angebot.pdf")
    assert inspect(office, page)["declared"] == "quote"  # the page alone reads as the quote it says it is
    d = inspect(office, pdf)
    # Nobody's vendor here: read as the unknown issuer's bill, with the XML's amount (the page's is shown beside it).
    assert (d["amount"], d["currency"], d["declared"], d["not_a_charge"]) == (108.0, "EUR", None, None), d
    assert d["unknown_vendor"] and "nordlicht-software.de" in d["unknown_vendor"], d
    assert d["read_as"] == "structured", d
    # Mailed by a vendor under the quote's title: scan and inspect both take the XML's invoice.
    eml = office.home / "angebot.eml"
    eml.write_text(mail_with_pdf("Hetzner <billing@hetzner.de>", "Ihr Angebot 2026-17", pdf.read_bytes()))
    m = inspect(office, eml)
    assert (m["vendor"], m["is_charge"], m["amount"], m["declared"]) == ("Hetzner", True, 108.0, None), m
    office.ok("scan", eml)
    assert office.sql("SELECT vendor, amount_minor, currency FROM charges").strip() == "Hetzner|10800|EUR"
    # The same mail with the page alone is the quote it says it is: no charge.
    (office.home / "plain.eml").write_text(mail_with_pdf("Hetzner <billing@hetzner.de>", "Ihr Angebot 2026-18", page.read_bytes()))
    q = inspect(office, office.home / "plain.eml")
    assert (q["is_charge"], q["declared"]) == (False, "quote"), q


def mail_with_pdf(sender, subject, pdf):
    b64 = base64.encodebytes(pdf).decode()
    return (
        f"From: {sender}\nTo: it@acme.example\nSubject: {subject}\nDate: Tue, 03 Nov 2026 09:00:00 +0000\n"
        f"Message-ID: <{subject.replace(' ', '.')}@example>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\nAnbei.\n'
        '--b\nContent-Type: application/pdf; name="doc.pdf"\nContent-Disposition: attachment; filename="doc.pdf"\n'
        f"Content-Transfer-Encoding: base64\n\n{b64}--b--\n"
    )


def test_an_embedded_proforma_xml_keeps_a_quote_heading_no_charge(office):
    # The other way round: an XML declaring no bill (325, proforma) is no charge whatever the page says.
    xml = re.sub(r"(<ram:TypeCode>)380(</ram:TypeCode>)", r"\g<1>325\g<2>", CII, count=1)
    _, pdf = factur_x(office, QUOTE_PAGE, xml, "proforma.pdf")
    d = inspect(office, pdf)
    assert (d["is_charge"], d["amount"], d["declared"]) == (False, None, "CII CrossIndustryInvoice type 325"), d
