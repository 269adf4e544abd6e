"""One labelling convention (issue 32), applied by this script and never by hand.

A document that carries an EN 16931 invoice (an XML on its own, or embedded in a PDF and extracted with
the `factur-x` package) is labelled with what its XML says, read with lxml: the amount due (BT-115; the
invoice total with VAT, BT-112, only when no amount due is given, and a zero amount due, fully prepaid,
is 0.00), the invoice currency (BT-5), the issue date (BT-2) and the invoice number (BT-1). The sign follows
the document type: a credit note (a UBL CreditNote, or a credit type of UNTDID 1001: 381 and CREDIT_CODES) is negative; everything else, the
self-billed invoice (type 389) included, keeps the XML's sign. A self-billed invoice is written by the
buyer for what it owes the seller: the office is the buyer, so it is money the office pays, a charge like
any invoice (and its XML figures and its page are positive). Where the old label differs (read from the
page by hand), the old value is kept in the note ("hand label from the page: ..."), not as the truth.
A PDF without XML: where `pdftotext -layout` shows exactly one amount-due label with an amount below the
label's grand total (a prepayment deducted), that amount. Never runs owatch.

`python3 amount_due.py LABELS.tsv [--write]` prints each label that changes (file, field, old -> new, where
the new value was read); with --write it rewrites the table (only the changed fields and their notes)."""
import re
import subprocess
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

CII_SUMS = ("SpecifiedTradeSettlementHeaderMonetarySummation", "SpecifiedTradeSettlementMonetarySummation")
# Labels of the amount due in the words of a PDF (lower case, matched at a word start).
DUE_LABELS = (
    "amount due", "balance due", "total due", "amount payable", "zahlbetrag", "noch zu zahlen", "zu zahlender betrag",
    "restbetrag", "net à payer", "net a payer", "reste à payer", "montant dû", "importe a pagar", "te betalen",
    "totale da pagare", "à payer",
)
AMOUNT = re.compile(r"-?\d{1,3}(?:[.,' ]\d{3})*[.,]\d{2}(?!\d)|-?\d+[.,]\d{2}(?!\d)")


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


ZERO_DECIMALS = {"JPY", "KRW", "CLP", "ISK", "VND"}  # ISO 4217 exponent 0
# UNTDID 1001 codes of EN 16931's invoice type list (BT-3) that give money back: credit notes of every kind
# (381 credit note, 81/83 related to goods/financial adjustments, 261 self-billed, 262 consolidated, 296 price
# variation, 308 delcredere, 396 factored, 420 OCR payment, 532 forwarder's) and 457, the reversal of a debit.
CREDIT_CODES = {"81", "83", "261", "262", "296", "308", "381", "396", "420", "457", "532"}
DOCUMENT_HEADS = ("ExchangedDocument", "HeaderExchangedDocument")


def xml_fields(data):
    """What an EN 16931 XML (CII or UBL) says: amount (signed, by the convention above), currency, date, number."""
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    ubl = local(root.tag) in ("Invoice", "CreditNote")

    def text(parents, name):
        for el in root.iter():
            parent = el.getparent()
            if local(el.tag) == name and parent is not None and (local(parent.tag) in parents) and el.text:
                return el.text.strip()
        return None

    if ubl:
        top = (local(root.tag),)
        currency, number, day = text(top, "DocumentCurrencyCode"), text(top, "ID"), text(top, "IssueDate")
        credit = local(root.tag) == "CreditNote" or text(top, "InvoiceTypeCode") in CREDIT_CODES
    else:
        currency = text(("ApplicableHeaderTradeSettlement", "ApplicableSupplyChainTradeSettlement"), "InvoiceCurrencyCode")
        number, stamp = text(DOCUMENT_HEADS, "ID"), text(("IssueDateTime",), "DateTimeString")
        day = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if stamp and re.fullmatch(r"\d{8}", stamp) else None
        credit = text(DOCUMENT_HEADS, "TypeCode") in CREDIT_CODES

    def amount(parents, name):
        for el in root.iter():
            parent = el.getparent()
            if local(el.tag) != name or parent is None or local(parent.tag) not in parents or not el.text:
                continue
            if currency and el.get("currencyID") not in (None, currency):
                continue
            return Decimal(el.text.strip())
        return None

    if ubl:
        due, grand = amount(("LegalMonetaryTotal",), "PayableAmount"), amount(("LegalMonetaryTotal",), "TaxInclusiveAmount")
    else:
        due, grand = amount(CII_SUMS, "DuePayableAmount"), amount(CII_SUMS, "GrandTotalAmount")
    value = due if due is not None else grand
    if value is not None and credit:
        value = -value
    places = Decimal(1) if currency in ZERO_DECIMALS else Decimal("0.01")
    shown = None if value is None else str(value.quantize(places))
    return {"amount": shown, "currency": currency, "date": day, "invoice_no": number}


def embedded_xml(path):
    try:
        from facturx import get_xml_from_pdf
        _, xml = get_xml_from_pdf(path.read_bytes(), check_xsd=False)
        return xml or None
    except Exception:
        return None


def number(text):
    t = text.replace(" ", "").replace("'", "")
    if re.search(r",\d{2}$", t):
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", "")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def pdf_due(path):
    """The amounts after an amount-due label in the PDF's text (on its line, or the next line alone)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, errors="replace").stdout
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        low = line.lower()
        for label in DUE_LABELS:
            at = low.find(label)
            if at < 0 or (at > 0 and low[at - 1].isalpha()):
                continue
            after = AMOUNT.findall(line[at + len(label):])
            if not after and i + 1 < len(lines):
                after = AMOUNT.findall(lines[i + 1])[:1]
            if after:
                found.append((label, number(after[-1] if after else "")))
            break
    return [(label, n) for label, n in found if n is not None]


def truth_for(path, cols):
    """The fields the convention gives `path` where they differ from the row `cols`: {field: (new, where)}."""
    xml = path.read_bytes() if path.suffix.lower() == ".xml" else embedded_xml(path) if path.suffix.lower() == ".pdf" else None
    if xml:
        where = "XML" if path.suffix.lower() == ".xml" else "embedded XML"
        said = xml_fields(xml)
        return {f: (v, where) for f, v in said.items() if v is not None and v != cols[COLUMNS[f]]}
    if path.suffix.lower() != ".pdf":
        return {}
    label = abs(Decimal(cols[COLUMNS["amount"]]))
    dues = {abs(n) for _, n in pdf_due(path) if n != 0}
    # One amount due, stated as less than the grand total (a prepayment deducted), is unambiguous.
    if len(dues) == 1 and (due := dues.pop()) < label:
        sign = -1 if cols[COLUMNS["amount"]].startswith("-") else 1
        return {"amount": (f"{sign * due:.2f}", "pdftotext: amount-due label")}
    return {}


COLUMNS = {"amount": 3, "currency": 4, "date": 5, "invoice_no": 6}


def main(table, write):
    table = Path(table).resolve()
    folder = table.parent if table.parent.name != "corpus" else table.parent / "pdf"
    out = []
    for line in table.read_text().splitlines(keepends=True):
        cols = line.rstrip("\n").split("\t")
        if line.startswith("#") or cols[0] != "charge":
            out.append(line)
            continue
        cols += [""] * (8 - len(cols))
        changes = truth_for(folder / cols[1], cols)
        was = []
        for field, (new, where) in changes.items():
            old = cols[COLUMNS[field]]
            print(f"{cols[1]}\t{field}\t{old or '(none)'} -> {new}\t({where})")
            was.append(f"{field} {old or '(none)'}")
            cols[COLUMNS[field]] = new
        if was:
            source = "hand label from the page" if (folder / cols[1]).suffix.lower() == ".pdf" else "label before"
            cols[7] = "; ".join(x for x in (cols[7], f"{source}: " + ", ".join(was)) if x)
            line = "\t".join(cols) + "\n"
        out.append(line)
    if write:
        table.write_text("".join(out))


if __name__ == "__main__":
    main(sys.argv[1], "--write" in sys.argv[2:])
