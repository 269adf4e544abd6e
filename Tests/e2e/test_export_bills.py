"""Issue 36, accounting packages: `owatch export bills --format xero|quickbooks|datev`.

Each file is read back by an independent parser with the format's own dialect: Python's `csv`
(comma, UTF-8) for Xero's bills import and QuickBooks Online's 3-column bank upload, and for
DATEV's EXTF Buchungsstapel the bytes decoded as Windows-1252, split on semicolons by `csv`, the
header record checked field by field against DATEV's Formatbeschreibung (Versionsnummer 700,
Formatkategorie 21, Formatversion 13: 31 header fields, 125 columns). The column lists below are
the documented ones, written here from the sources, not read from owatch:
- Xero "Import bills" template: https://central.xero.com/s/article/Import-bills
- QuickBooks Online: https://quickbooks.intuit.com/learn-support/en-uk/help-article/bank-transactions/format-csv-files-excel-get-bank-transactions/L4BjLWckq_GB_en_GB
- DATEV: https://developer.datev.de/de/file-format/details/datev-format/format-description/booking-batch
"""
import csv
import datetime
import io
import re
import pytest
from decimal import Decimal

XERO_COLUMNS = ["*ContactName", "*InvoiceNumber", "*InvoiceDate", "*DueDate", "Description", "*Quantity", "*UnitAmount",
                "*AccountCode", "*TaxType"]
QUICKBOOKS_COLUMNS = ["Date", "Description", "Amount"]
# The first columns of DATEV's Buchungsstapel, in order, and the count of its column line.
DATEV_FIRST = ["Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz", "WKZ Basis-Umsatz",
               "Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum", "Belegfeld 1", "Belegfeld 2", "Skonto",
               "Buchungstext"]
DATEV_COLUMNS = 125
# DATEV's header record: (name, pattern of the field as written, quotes included).
DATEV_HEADER = [
    ("Kennzeichen", r'"EXTF"'), ("Versionsnummer", r"700"), ("Formatkategorie", r"21"), ("Formatname", r'"Buchungsstapel"'),
    ("Formatversion", r"13"), ("Erzeugt am", r"20\d{15}"), ("Importiert", r""), ("Herkunft", r'"\w{0,2}"'),
    ("Exportiert von", r'"\w{0,25}"'), ("Importiert von", r'"\w{0,25}"'), ("Beraternummer", r"\d{4,7}"), ("Mandantennummer", r"\d{1,5}"),
    ("WJ-Beginn", r"20\d{2}0101"), ("Sachkontenlänge", r"[4-8]"), ("Datum von", r"20\d{6}"), ("Datum bis", r"20\d{6}"),
    ("Bezeichnung", r'"[\w.\-/ ]{0,30}"'), ("Diktatkürzel", r'"([A-Z]{2})?"'), ("Buchungstyp", r"[12]"),
    ("Rechnungslegungszweck", r"0|30|40|50|64"), ("Festschreibung", r"[01]"), ("WKZ", r'"[A-Z]{3}"'), ("reserviert", r""),
    ("Derivatskennzeichen", r'""'), ("reserviert", r""), ("reserviert", r""), ("Sachkontenrahmen", r'"(\d{2})?"'),
    ("ID der Branchenlösung", r"\d{0,4}"), ("reserviert", r""), ("reserviert", r'""'), ("Anwendungsinformation", r'".{0,16}"'),
]


def charge(o, vendor, amount, day, note=None):
    args = ["charge", "add", vendor, amount, "--on", day]
    if note is not None:
        args += ["--note", note]
    o.ok(*args)


def rows(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def datev_records(data: bytes):
    """The header record's raw fields, the column line and the bookings, as DATEV's reader sees them."""
    text = data.decode("cp1252")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")        # CR LF, no bare line feed
    first, rest = text.split("\r\n", 1)
    table = list(csv.reader(io.StringIO(rest, newline=""), delimiter=";", quotechar='"'))
    return first.split(";"), table[0], table[1:]


def test_xero_bills_file_reads_back_with_the_documented_columns(office):
    charge(office, "notion", "20.00", "2026-03-04", '=HYPERLINK("http://x");"quoted", comma\nsecond line')
    charge(office, "github", "1,234.56", "2026-03-05", "@SUM(A1) Müller")
    charge(office, "slack", "0.10", "2026-03-06", "-2+3")
    r = office.ok("export", "bills", "--format", "xero", "--from", "2026-03-01", "--to", "2026-03-31")
    table = rows(r.out)
    assert table[0] == XERO_COLUMNS
    assert [c.lstrip("*") for c in table[0]] == ["ContactName", "InvoiceNumber", "InvoiceDate", "DueDate", "Description", "Quantity",
                                                 "UnitAmount", "AccountCode", "TaxType"]
    body = [dict(zip(table[0], row)) for row in table[1:]]
    assert [b["*ContactName"] for b in body] == ["Notion", "GitHub", "Slack"]
    assert [b["*InvoiceDate"] for b in body] == ["04/03/2026", "05/03/2026", "06/03/2026"]          # DD/MM/YYYY
    assert all(b["*DueDate"] == b["*InvoiceDate"] and b["*Quantity"] == "1" for b in body)
    assert [Decimal(b["*UnitAmount"]) for b in body] == [Decimal("20.00"), Decimal("1234.56"), Decimal("0.10")]
    assert all(b["*AccountCode"] == "429" and b["*TaxType"] == "Tax Exempt" for b in body)
    assert len({b["*InvoiceNumber"] for b in body}) == 3
    # Hostile text: one line, quotes and commas kept by CSV quoting, no cell a spreadsheet would run.
    assert body[0]["Description"].startswith("'=HYPERLINK(\"http://x\");\"quoted\", comma second line")
    assert body[1]["Description"].startswith("'@SUM(A1) Müller")
    assert body[2]["Description"].startswith("'-2+3")
    for b in body:
        for key in ("*ContactName", "*InvoiceNumber", "Description", "*AccountCode", "*TaxType"):
            assert b[key][:1] not in ("=", "+", "-", "@"), b
    # The range is honoured.
    assert rows(office.ok("export", "bills", "--format", "xero", "--from", "2026-03-05", "--to", "2026-03-05").out)[1][0] == "GitHub"


# Run once, on SQLite (make test): the export's file split; Xero's export runs on PostgreSQL in test_xero_bills_file_reads_back.
@pytest.mark.backend_independent
def test_xero_splits_beyond_500_bills_and_refuses_one_stdout(office):
    start = datetime.date(2026, 1, 1)
    lines = "".join(f"{start + datetime.timedelta(days=i % 300)},ZOOM.US,-{10 + i}.{i % 100:02d}\n" for i in range(501))
    (office.home / "card.csv").write_text("Date,Description,Amount\n" + lines)
    office.ok("scan", "card.csv")
    r = office.run("export", "bills", "--format", "xero")
    assert r.rc == 1 and "500" in r.err and r.out == ""
    r = office.ok("export", "bills", "--format", "xero", "--out", "bills.csv")
    assert "bills-1.csv" in r.err and "bills-2.csv" in r.err
    assert not (office.home / "bills.csv").exists()
    one = rows((office.home / "bills-1.csv").read_text())
    two = rows((office.home / "bills-2.csv").read_text())
    assert one[0] == two[0] == XERO_COLUMNS
    assert len(one) - 1 == 500 and len(two) - 1 == 1
    total = sum(Decimal(r[6]) for r in one[1:] + two[1:])
    assert total == sum(Decimal(f"{10 + i}.{i % 100:02d}") for i in range(501))


# Run once, on SQLite (make test): an export format; the charges it reads are queried on PostgreSQL by the Xero test.
@pytest.mark.backend_independent
def test_quickbooks_bank_csv_three_columns_money_out_negative(office):
    charge(office, "notion", "20.00", "2026-03-04", "+cmd|' /C calc'!A0")
    charge(office, "github", "12.5", "2026-11-05")
    table = rows(office.ok("export", "bills", "--format", "quickbooks").out)
    assert table[0] == QUICKBOOKS_COLUMNS
    assert all(len(r) == 3 for r in table)
    assert [r[0] for r in table[1:]] == ["03/04/2026", "11/05/2026"]                                 # MM/DD/YYYY
    assert [Decimal(r[2]) for r in table[1:]] == [Decimal("-20.00"), Decimal("-12.50")]
    assert all(re.fullmatch(r"-?\d+\.\d{2}", r[2]) for r in table[1:])                              # no symbols, no separators
    assert table[1][1].startswith("Notion: +cmd")
    dmy = rows(office.ok("export", "bills", "--format", "quickbooks", "--date-order", "dmy").out)
    assert dmy[1][0] == "04/03/2026"


def test_other_currencies_convert_at_owatchs_rates_or_nothing_is_written(office):
    charge(office, "slack", "15.00 USD", "2026-03-06")
    # The ECB's rate of 2026-03-06 is built in: 15 USD in EUR, exactly as the rate gives, to the cent.
    table = rows(office.ok("export", "bills", "--format", "quickbooks").out)
    assert table[1][2].startswith("-") and "15.00 USD at the rate of" in table[1][1]
    # A day past the built-in rates with no rate in the ledger: refused, naming the currency.
    charge(office, "zoom", "9.99 GBP", "2026-11-20")
    r = office.run("export", "bills", "--format", "xero", "--out", "x.csv")
    assert r.rc == 1 and "GBP" in r.err and "owatch rate set GBP EUR" in r.err and r.out == ""
    assert not (office.home / "x.csv").exists()
    office.ok("rate", "set", "GBP", "EUR", "1.2", "--on", "2026-11-20")
    table = rows(office.ok("export", "bills", "--format", "xero").out)
    assert [r[6] for r in table[1:]][-1] == "11.99"                                                # 9.99 × 1.2 = 11.988


# Run once, on SQLite (make test): an export format; the charges it reads are queried on PostgreSQL by the Xero test.
@pytest.mark.backend_independent
def test_datev_buchungsstapel_header_columns_and_bookings(office):
    charge(office, "notion", "1234.5", "2026-03-04", "Lizenz für Müller; Größe €\"x\"\nzweite Zeile ☃ " + "y" * 80)
    charge(office, "datadog", "99.00", "2026-04-30", "=cmd")
    (office.home / "konten.txt").write_text("# vendor or category\nnotion=4980\ncategory:monitoring=4809\n")
    r = office.ok("export", "bills", "--format", "datev", "--consultant", "29098", "--client", "55003", "--from", "2026-01-01",
                  "--to", "2026-12-31", "--map", "konten.txt", "--out", "EXTF_Buchungsstapel.csv")
    data = (office.home / "EXTF_Buchungsstapel.csv").read_bytes()
    header, columns, bookings = datev_records(data)
    assert len(header) == len(DATEV_HEADER) == 31
    for value, (name, pattern) in zip(header, DATEV_HEADER):
        assert re.fullmatch(pattern, value), (name, value)
    assert header[10:16] == ["29098", "55003", "20260101", "4", "20260101", "20261231"]
    assert header[21] == '"EUR"' and header[26] == '"03"'
    assert len(columns) == DATEV_COLUMNS and columns[:len(DATEV_FIRST)] == DATEV_FIRST
    assert all(len(b) == DATEV_COLUMNS for b in bookings)
    first, second = (dict(zip(columns, b)) for b in bookings)
    assert first["Umsatz (ohne Soll/Haben-Kz)"] == "1234,50" and second["Umsatz (ohne Soll/Haben-Kz)"] == "99,00"
    assert all(re.fullmatch(r"(?!0+,00)\d{1,10},\d{2}", d["Umsatz (ohne Soll/Haben-Kz)"]) for d in (first, second))
    assert first["Soll/Haben-Kennzeichen"] == "S" and first["WKZ Umsatz"] == "EUR"
    assert (first["Konto"], first["Gegenkonto (ohne BU-Schlüssel)"]) == ("4980", "1200")          # the mapping: vendor
    assert (second["Konto"], second["Gegenkonto (ohne BU-Schlüssel)"]) == ("4809", "1200")        # the mapping: category
    assert (first["Belegdatum"], second["Belegdatum"]) == ("0403", "3004")                        # DDMM
    text = first["Buchungstext"]
    assert len(text) <= 60 and text.startswith("Notion: Lizenz für Müller; Größe €\"x\" zweite Zeile ? y")
    assert "\n" not in text and "\r" not in text
    assert second["Buchungstext"] == "Datadog: =cmd"          # not leading: the cell starts with the vendor
    assert re.fullmatch(r"[\w$&%*+\-/]{0,36}", first["Belegfeld 1"])
    # Windows-1252 bytes: ü ö ß € as single bytes, the snowman (not in cp1252) replaced.
    for ch, byte in (("ü", b"\xfc"), ("ö", b"\xf6"), ("ß", b"\xdf"), ("€", b"\x80")):
        assert byte in data, ch
    assert "☃".encode() not in data and b"\xc3" not in data
    assert "Wrote 2 bookings" in r.err


# Run once, on SQLite (make test): an export format; the charges it reads are queried on PostgreSQL by the Xero test.
@pytest.mark.backend_independent
def test_datev_defaults_refunds_and_one_fiscal_year(office):
    charge(office, "notion", "20.00", "2026-03-04")
    charge(office, "datadog", "30.00", "2026-03-05")
    office.ok("charge", "add", "notion", "-5.00", "--on", "2026-03-09", "--note", "refund")
    office.ok("export", "bills", "--format", "datev", "--consultant", "1001", "--client", "1", "--out", "a.csv")
    header, columns, bookings = datev_records((office.home / "a.csv").read_bytes())
    got = [(b[0], b[1], b[6], b[7]) for b in bookings]
    assert got == [("20,00", "S", "4964", "1200"), ("30,00", "S", "4806", "1200"), ("5,00", "H", "4964", "1200")]
    office.ok("export", "bills", "--format", "datev", "--contra", "1360", "--consultant", "1001", "--client", "1", "--out", "b.csv")
    assert {b[7] for b in datev_records((office.home / "b.csv").read_bytes())[2]} == {"1360"}
    charge(office, "notion", "20.00", "2025-12-04")
    r = office.run("export", "bills", "--format", "datev", "--consultant", "1001", "--client", "1")
    assert r.rc == 64 and "fiscal year" in r.err
    assert office.run("export", "bills", "--format", "datev", "--account", "12ab").rc == 64
    assert office.run("export", "bills", "--format", "xero", "--contra", "1200").rc == 64
    assert office.run("export", "bills").rc == 64
    assert office.run("export", "bills", "--format", "lexware").rc == 64


def test_only_admins_export(office):
    bob = office.add_user("bob")
    assert office.run("export", "bills", "--format", "xero", token=bob).rc == 77


# Run once, on SQLite (make test): cell escaping in export formats.
@pytest.mark.backend_independent
def test_a_hostile_vendor_name_is_one_guarded_cell_in_every_format(office):
    office.ok("vendor", "add", '@evil;"co", x')
    charge(office, '@evil;"co", x', "5", "2026-03-07", "-1;2")
    xero = rows(office.ok("export", "bills", "--format", "xero").out)
    assert len(xero) == 2 and len(xero[1]) == 9 and xero[1][0] == "'@evil;\"co\", x"
    qb = rows(office.ok("export", "bills", "--format", "quickbooks").out)
    assert len(qb) == 2 and len(qb[1]) == 3 and qb[1][1].startswith("'@evil;\"co\", x: -1;2")
    office.ok("export", "bills", "--format", "datev", "--consultant", "1001", "--client", "1", "--out", "d.csv")
    _, columns, [booking] = datev_records((office.home / "d.csv").read_bytes())
    assert len(booking) == DATEV_COLUMNS
    assert dict(zip(columns, booking))["Buchungstext"] == "'@evil;\"co\", x: -1;2"
