"""E-invoices (Factur-X/ZUGFeRD in PDFs, XRechnung and Peppol UBL/CII XML) and schema.org
receipts are read from their structured data, which wins over the words of the same document.
The fields are checked against an independent reader (PyPI factur-x + lxml: einvoice_reader.py)."""
import base64
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
import einvoice_reader as reference

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

CORPUS = ROOT / "Tests" / "corpus"
FIELDS = ["syntax", "invoice_no", "type_code", "issue_date", "seller", "seller_vat", "currency", "total", "billing_period", "lines"]


def corpus():
    """Every e-invoice in Tests/corpus as the independent reader sees it: (path, expected fields)."""
    out = []
    for p in sorted((CORPUS / "einvoice").glob("*.xml")) + sorted((CORPUS / "pdf").glob("*.pdf")):
        xml = reference.xml_of(p)
        expected = reference.read(xml) if xml else None
        if expected:
            out.append((p, expected))
    return out


CORPUS_INVOICES = corpus()


def owatch_fields(o, path):
    d = o.ok("scan", "inspect", path, "--json").json()
    amount = Decimal(str(d["amount"])) if d.get("amount") is not None else None
    return {
        "syntax": d.get("einvoice"), "invoice_no": d.get("invoice_no"), "type_code": d.get("type_code"),
        "issue_date": d.get("issue_date"), "seller": d.get("seller"), "seller_vat": d.get("seller_vat"),
        "currency": d.get("currency"), "total": amount, "billing_period": d.get("billing_period"), "lines": d.get("lines"),
    }, d


def test_the_corpus_has_enough_e_invoices_and_credit_notes():
    xml = [p for p, _ in CORPUS_INVOICES if p.suffix == ".xml"]
    credit = [p for p, e in CORPUS_INVOICES if e["total"] is not None and e["total"] < 0]
    assert len(CORPUS_INVOICES) >= 15 and len(xml) >= 15 and len(credit) >= 2
    assert {e["syntax"] for _, e in CORPUS_INVOICES} == {"CII", "UBL"}


@pytest.mark.parametrize("path,expected", CORPUS_INVOICES, ids=[p.name for p, _ in CORPUS_INVOICES])
def test_every_field_agrees_with_the_independent_reader(office, path, expected):
    got, d = owatch_fields(office, path)
    assert {f: got[f] for f in FIELDS} == {f: expected[f] for f in FIELDS}
    assert d["read_as"] == "structured"


def test_the_xml_wins_over_the_pdf_text_and_inspect_shows_both(office):
    # Mustang's sample: the page says 496.00, the embedded XRechnung 571.04.
    _, d = owatch_fields(office, CORPUS / "pdf" / "mustang-validXRechnung.pdf")
    assert (d["amount"], d["currency"], d["text_amount"], d["read_as"]) == (571.04, "EUR", 496.0, "structured")
    r = office.ok("scan", "inspect", CORPUS / "pdf" / "mustang-validXRechnung.pdf")
    assert "571.04" in r.out and "496.00" in r.out and "structured" in r.out


def test_a_plain_pdf_is_read_from_its_text(office):
    d = office.ok("scan", "inspect", CORPUS / "pdf" / "horstoeko-pdf_plain.pdf", "--json").json()
    assert d["read_as"] == "text" and d["einvoice"] is None


def test_credit_notes_are_negative(office):
    for name in ["einvoice/peppol-base-creditnote-correction.xml", "pdf/zugferdcorpus-Avoir_FR_type381_BASIC.pdf"]:
        d = office.ok("scan", "inspect", CORPUS / name, "--json").json()
        assert d["amount"] < 0, name


UBL = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>{number}</cbc:ID><cbc:IssueDate>2026-11-03</cbc:IssueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
 <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
 <cac:InvoicePeriod><cbc:StartDate>2026-11-01</cbc:StartDate><cbc:EndDate>2026-11-30</cbc:EndDate></cac:InvoicePeriod>
 <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>{seller}</cbc:Name></cac:PartyName>
 <cac:PartyTaxScheme><cbc:CompanyID>DE812871812</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
 </cac:Party></cac:AccountingSupplierParty>
 <cac:LegalMonetaryTotal><cbc:TaxInclusiveAmount currencyID="EUR">{total}</cbc:TaxInclusiveAmount>
 <cbc:PayableAmount currencyID="EUR">{total}</cbc:PayableAmount></cac:LegalMonetaryTotal>
 <cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine>
</Invoice>
"""


def mail_with_xml(sender, subject, body, xml, name="xrechnung.xml"):
    b64 = base64.encodebytes(xml.encode()).decode()
    return (
        f"From: {sender}\nTo: it@acme.example\nSubject: {subject}\nDate: Tue, 03 Nov 2026 09:00:00 +0000\n"
        f"Message-ID: <{abs(hash(subject))}@example>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n'
        f"{body}\n--b\nContent-Type: application/octet-stream; name=\"{name}\"\n"
        f"Content-Disposition: attachment; filename=\"{name}\"\nContent-Transfer-Encoding: base64\n\n{b64}--b--\n"
    )


def test_an_xrechnung_attached_to_mail_makes_a_charge_read_structured(office):
    xml = UBL.format(number="R-2026-1101", seller="Hetzner Online GmbH", total="42.00")
    mail = mail_with_xml("Hetzner <billing@hetzner.de>", "Ihre Rechnung R-2026-1101", "Rechnungsbetrag: 40,00 EUR", xml)
    (office.home / "in.eml").write_text(mail)
    d = office.ok("scan", "inspect", office.home / "in.eml", "--json").json()
    assert (d["vendor"], d["amount"], d["text_amount"], d["invoice_no"], d["period"]) == ("Hetzner", 42.0, 40.0, "R-2026-1101", "monthly")
    office.ok("scan", office.home / "in.eml")
    row = office.sql("SELECT vendor, amount_minor, currency, invoice_no, description FROM charges")
    assert row.startswith("Hetzner|4200|EUR|R-2026-1101|") and "read structured" in row


def test_an_xml_invoice_on_its_own_is_read_but_its_seller_name_picks_no_vendor(office):
    # "Azure Interior" must not become Microsoft Azure: a name alone never picks a catalog vendor.
    path = office.home / "invoice.xml"
    path.write_text(UBL.format(number="BW-7", seller="Azure Interior", total="119.00"))
    d = office.ok("scan", "inspect", path, "--json").json()
    assert (d["seller"], d["amount"], d["invoice_no"], d["vendor"], d["is_charge"]) == ("Azure Interior", 119.0, "BW-7", None, False)
    assert d["seller_vat"] == "DE812871812" and d["lines"] == 1 and d["not_a_charge"]


def test_hostile_xml_is_not_expanded_nor_crashes(office):
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    path = office.home / "bomb.xml"
    path.write_text(bomb + UBL.split("?>", 1)[1].format(number="&b;", seller="&b;", total="1.00"))
    d = office.ok("scan", "inspect", path, "--json").json()
    assert d["invoice_no"] == "&b;" and "AAAA" not in str(d)
    deep = office.home / "deep.xml"
    deep.write_text("<Invoice>" + "<a>" * 5000 + "</a>" * 5000 + "</Invoice>")
    r = office.run("scan", "inspect", deep, "--json")
    assert r.rc in (0, 65) and "AAAA" not in r.out


JSONLD = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Invoice", "confirmationNumber": "LL-5521",
 "provider": {"@type": "Organization", "name": "Ledgerline"},
 "paymentDueDate": "2026-11-20",
 "totalPaymentDue": {"@type": "PriceSpecification", "price": "75.00", "priceCurrency": "USD"}}
</script></head><body><p>Your Ledgerline subscription has been renewed. Total: USD 70.00</p></body></html>"""

MICRODATA = """<html><body><div itemscope itemtype="https://schema.org/Order">
<span itemprop="seller" itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Brightwave Analytics</span></span>
Brightwave Pro plan, monthly subscription. Order <span itemprop="orderNumber">BW-9912</span> on <time itemprop="orderDate" datetime="2026-11-02">2 Nov</time>
Total <span itemprop="price" content="29.90">29,90</span> <meta itemprop="priceCurrency" content="EUR">
</div></body></html>"""


def html_mail(sender, subject, html):
    return (
        f"From: {sender}\nSubject: {subject}\nDate: Mon, 02 Nov 2026 10:00:00 +0000\nMessage-ID: <{abs(hash(html))}@ex>\n"
        f"MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n{html}\n"
    )


def test_json_ld_in_an_html_receipt_is_read(office):
    (office.home / "a.eml").write_text(html_mail("Ledgerline <billing@ledgerline.example>", "Your receipt", JSONLD))
    d = office.ok("scan", "inspect", office.home / "a.eml", "--json").json()
    assert (d["amount"], d["currency"], d["invoice_no"], d["read_as"]) == (75.0, "USD", "LL-5521", "structured")
    assert d["text_amount"] == 70.0 and d["unknown_vendor"].startswith("Ledgerline")


def test_microdata_in_an_html_receipt_is_read(office):
    (office.home / "m.eml").write_text(html_mail("Brightwave <orders@brightwave.example>", "Your receipt", MICRODATA))
    d = office.ok("scan", "inspect", office.home / "m.eml", "--json").json()
    assert (d["amount"], d["currency"], d["invoice_no"], d["charge_date"], d["read_as"]) == (29.9, "EUR", "BW-9912", "2026-11-02", "structured")
    assert d["unknown_vendor"].startswith("Brightwave Analytics")


def test_plain_html_mail_is_not_structured(office):
    (office.home / "p.eml").write_text(html_mail("x <a@b.example>", "hello", "<html><body>schema.org is a website</body></html>"))
    d = office.ok("scan", "inspect", office.home / "p.eml", "--json").json()
    assert d["read_as"] == "text" and d["amount"] is None
