"""One labelling convention (issue 32): a charge's label is the amount due (EN 16931 BT-115), not the
grand total, where a document states both and they differ. Reads each document independently of owatch:
an e-invoice's XML (on its own, or embedded in a PDF, extracted with the `factur-x` package) with lxml;
a PDF without XML with `pdftotext -layout` and the amount-due labels below. Never runs owatch.

`python3 amount_due.py LABELS.tsv [--write]` prints each label that changes (file, old, new, where the
new amount was read); with --write it rewrites the table's amount column (notes untouched).
A zero amount due (fully prepaid) keeps the grand total: nothing would be charged, the label is what was paid."""
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


def xml_totals(data):
    """(grand total, amount due) from CII or UBL bytes, in the invoice currency; None where absent."""
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    currency = None
    for el in root.iter():
        if local(el.tag) in ("InvoiceCurrencyCode", "DocumentCurrencyCode") and el.text:
            currency = el.text.strip()
            break

    def first(parent_names, name):
        for el in root.iter():
            if local(el.tag) != name or (parent_names and local(el.getparent().tag) not in parent_names):
                continue
            if currency and el.get("currencyID") not in (None, currency):
                continue
            return Decimal(el.text.strip())
        return None

    if local(root.tag) in ("Invoice", "CreditNote"):
        return first(("LegalMonetaryTotal",), "TaxInclusiveAmount"), first(("LegalMonetaryTotal",), "PayableAmount")
    return first(CII_SUMS, "GrandTotalAmount"), first(CII_SUMS, "DuePayableAmount")


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


def due_for(path, label):
    """The amount due when the document states one other than `label` (absolute values), and where it was read."""
    xml = path.read_bytes() if path.suffix.lower() == ".xml" else embedded_xml(path) if path.suffix.lower() == ".pdf" else None
    if xml:
        grand, due = xml_totals(xml)
        if due is not None and due != 0 and abs(due) != label and (grand is None or abs(grand) == label):
            return abs(due), "XML amount due (BT-115), grand total %s" % grand
        return None
    if path.suffix.lower() != ".pdf":
        return None
    dues = {abs(n) for _, n in pdf_due(path) if n != 0}
    # One amount due, stated as less than the grand total (a prepayment deducted), is unambiguous.
    if len(dues) == 1 and (due := dues.pop()) < label:
        return due, "pdftotext: amount-due label"
    return None


def main(table, write):
    table = Path(table).resolve()
    folder = table.parent if table.parent.name != "corpus" else table.parent / "pdf"
    out = []
    for line in table.read_text().splitlines(keepends=True):
        cols = line.rstrip("\n").split("\t")
        if line.startswith("#") or cols[0] != "charge":
            out.append(line)
            continue
        old = Decimal(cols[3])
        change = due_for(folder / cols[1], abs(old))
        if change:
            new = -change[0] if old < 0 else change[0]
            print(f"{cols[1]}\t{cols[3]} -> {new:.2f} {cols[4]}\t({change[1]})")
            cols[3] = f"{new:.2f}"
            line = "\t".join(cols) + "\n"
        out.append(line)
    if write:
        table.write_text("".join(out))


if __name__ == "__main__":
    main(sys.argv[1], "--write" in sys.argv[2:])
