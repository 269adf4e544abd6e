"""The independent e-invoice reader the differential test compares owatch with: the PyPI
`factur-x` package takes the XML out of a PDF, and lxml reads the EN 16931 fields by XPath.
Nothing here shares code or paths with owatch's reader (Sources/OWKit/Scan/Receipt/EInvoice*.swift)."""

from decimal import Decimal
from pathlib import Path

import facturx
from lxml import etree

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS = {"cbc": CBC, "cac": CAC}


def xml_of(path: Path):
    """The invoice XML of a PDF (None when it embeds none) or of an XML file."""
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        try:
            _name, xml = facturx.get_xml_from_pdf(data, check_xsd=False)
        except Exception:
            return None
        return xml or None
    return data


def _ln(*names):
    return "/".join(f"*[local-name()='{n}']" if "|" not in n else "*[" + " or ".join(f"local-name()='{x}'" for x in n.split("|")) + "]" for n in names)


def _first(root, xpath, ns=None):
    found = root.xpath(xpath, namespaces=ns or {})
    if not found:
        return None
    v = found[0]
    text = v if isinstance(v, str) else v.text
    return text.strip() if text is not None else None


def _day102(s):
    if s and len(s) == 8 and s.isdigit():
        return f"{s[:4]}-{s[4:6]}-{s[6:]}"
    return s


def read(xml: bytes):
    """The fields as a dict, or None when the XML is not a CII or UBL invoice."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml, parser)
    name = etree.QName(root).localname
    if name in ("CrossIndustryInvoice", "CrossIndustryDocument"):
        doc = "ExchangedDocument|HeaderExchangedDocument"
        settle = "ApplicableHeaderTradeSettlement|ApplicableSupplyChainTradeSettlement"
        summ = "SpecifiedTradeSettlementHeaderMonetarySummation|SpecifiedTradeSettlementMonetarySummation"
        total = _first(root, "//" + _ln(settle, summ, "DuePayableAmount")) or _first(root, "//" + _ln(settle, summ, "GrandTotalAmount"))
        f = {
            "syntax": "CII",
            "invoice_no": _first(root, "/*/" + _ln(doc, "ID")),
            "type_code": _first(root, "/*/" + _ln(doc, "TypeCode")),
            "issue_date": _day102(_first(root, "/*/" + _ln(doc, "IssueDateTime", "DateTimeString"))),
            "seller": _first(root, "//" + _ln("SellerTradeParty", "Name")),
            "seller_vat": _first(root, "//" + _ln("SellerTradeParty", "SpecifiedTaxRegistration", "ID") + "[@schemeID='VA']"),
            "currency": _first(root, "//" + _ln(settle, "InvoiceCurrencyCode")),
            "total": total,
            "start": _day102(_first(root, "//" + _ln(settle, "BillingSpecifiedPeriod", "StartDateTime", "DateTimeString"))),
            "end": _day102(_first(root, "//" + _ln(settle, "BillingSpecifiedPeriod", "EndDateTime", "DateTimeString"))),
            "lines": len(root.xpath("//" + _ln("IncludedSupplyChainTradeLineItem"))),
        }
        credit = f["type_code"] == "381"
    elif name in ("Invoice", "CreditNote"):
        sup = "cac:AccountingSupplierParty/cac:Party/"
        f = {
            "syntax": "UBL",
            "invoice_no": _first(root, "cbc:ID", NS),
            "type_code": _first(root, "cbc:InvoiceTypeCode|cbc:CreditNoteTypeCode", NS),
            "issue_date": _first(root, "cbc:IssueDate", NS),
            "seller": _first(root, sup + "cac:PartyName/cbc:Name", NS) or _first(root, sup + "cac:PartyLegalEntity/cbc:RegistrationName", NS),
            "seller_vat": _first(root, sup + "cac:PartyTaxScheme/cbc:CompanyID", NS),
            "currency": _first(root, "cbc:DocumentCurrencyCode", NS),
            "total": _first(root, "cac:LegalMonetaryTotal/cbc:PayableAmount", NS)
            or _first(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", NS),
            "start": _first(root, "cac:InvoicePeriod/cbc:StartDate", NS),
            "end": _first(root, "cac:InvoicePeriod/cbc:EndDate", NS),
            "lines": len(root.xpath("cac:InvoiceLine|cac:CreditNoteLine", namespaces=NS)),
        }
        credit = name == "CreditNote" or f["type_code"] == "381"
    else:
        return None
    if f["total"] is not None:
        t = Decimal(f["total"])
        f["total"] = -abs(t) if credit else t
    f["billing_period"] = f"{f['start']}..{f['end']}" if f["start"] and f["end"] else None
    return f
