"""Issue 31, real statement formats read as they are: a corpus of real bank and card exports
(Tests/corpus/statements, sources in SOURCES.md), each read by `scan inspect` into the rows written
by hand in NAME.expected.tsv; preambles, --map keys, OFX and CAMT.053 by content; and Python's csv
module as an independent reference for field splitting and quoting."""
import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "statements"
FILES = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix in (".csv", ".ofx", ".xml"))
HELD = sorted(p for p in (CORPUS / "held").iterdir() if p.suffix in (".csv", ".ofx", ".xml"))
COUNTRIES = {"de", "fr", "nl", "ch", "uk", "us"}


def squash(s):
    return " ".join((s or "").split())


def expected(path):
    lines = (path.parent / (path.stem + ".expected.tsv")).read_text(encoding="utf-8").splitlines()
    count = None
    if lines[0].startswith("# rows"):
        count = int(lines.pop(0).split("\t")[1])
    header = lines[0].split("\t")
    return count, [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def inspect(office, path, *extra):
    r = office.run("scan", "inspect", path, "--json", *extra)
    assert r.rc == 0, (path.name, r)
    return json.loads(r.out, parse_float=Decimal)


def check(office, path):
    rows = inspect(office, path)
    count, want = expected(path)
    if count is not None:
        assert len(rows) == count, (path.name, [(r["date"], r["description"]) for r in rows])
    for w in want:
        i = int(w["row"])
        got = rows[i - 1 if i > 0 else i]
        where = (path.name, w["row"])
        assert got["date"] == w["date"], where
        assert squash(got["description"]) == squash(w["description"]), where
        assert squash(got["payee"]) == squash(w["payee"]), where
        assert Decimal(got["amount"]) == Decimal(w["amount"]) and got["currency"] == w["currency"], (where, got["amount"], got["currency"])
        assert (got["account"] or "") == w["account"], where


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_real_layout_reads_as_written_by_hand(office, path):
    check(office, path)


@pytest.mark.parametrize("path", HELD, ids=lambda p: p.name)
def test_held_back_layouts(office, path):
    # Their expected rows were written from the files and the banks' formats before owatch read them.
    check(office, path)


def test_the_corpus_covers_the_countries_asked_for():
    names = {p.name.split("-")[0] for p in FILES + HELD}
    assert COUNTRIES <= names and len(FILES) + len(HELD) >= 12
    assert any(p.suffix == ".ofx" for p in FILES) and any(p.suffix == ".xml" for p in FILES)
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for p in FILES + HELD:
        assert p.name in sources, f"{p.name} has no source in SOURCES.md"


def test_a_preamble_is_skipped_and_its_account_kept(office):
    card = CORPUS / "held" / "de-dkb-card.csv"
    rows = inspect(office, card, "--map", "date=Belegdatum")
    assert [(r["date"], r["amount"], r["account"]) for r in rows] == [("2023-01-15", Decimal("10.80"), "1234 •••• •••• 5678")]
    r = office.run("scan", "inspect", card)
    assert r.rc == 0 and "account 1234 •••• •••• 5678" in r.err
    ing = office.home / "ing.csv"
    ing.write_bytes(
        "Umsatzanzeige;Datei erstellt am: 28.12.2018 16:57\n\nIBAN;DE12 3456 7890 1234 5678 90\nKontoname;Girokonto\n"
        "Zeitraum;01.11.2026 - 30.11.2026\nSaldo;150,00;EUR\n\nBuchung;Valuta;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;"
        "Saldo;Währung;Betrag;Währung\n05.11.2026;05.11.2026;Slack Technologies;Lastschrift;SLACK T0123;120,00;EUR;-26,25;EUR\n"
        .encode("cp1252"))
    rows = inspect(office, ing)
    assert [(r["date"], r["payee"], r["amount"], r["account"], r["vendor"]) for r in rows] == [
        ("2026-11-05", "Slack Technologies", Decimal("26.25"), "DE12 3456 7890 1234 5678 90", "Slack")]
    assert "period 2026-11-01..2026-11-30" in office.run("scan", "inspect", ing).err
    # The scan reads it too: the preamble is no longer "no date column found".
    office.ok("scan", ing)
    assert [c["vendor"] for c in office.ok("charge", "list", "--json").json()] == ["Slack"]


def test_map_keys_sign_and_dateformat(office):
    path = office.home / "odd.csv"
    path.write_text("Booked;Text;Sum;Cur\n2026-03-11;ZOOM.US 888-799;14,99;EUR\n2026-03-12;Refund ZOOM.US;-14,99;EUR\n")
    rows = inspect(office, path, "--map", "date=Booked,description=Text,amount=Sum,currency=Cur,sign=spend-positive")
    assert [r["amount"] for r in rows] == [Decimal("14.99"), Decimal("-14.99")]
    rows = inspect(office, path, "--map", "date=Booked,description=Text,amount=Sum,sign=spend-negative")
    assert [r["amount"] for r in rows] == [Decimal("-14.99"), Decimal("14.99")]
    path.write_text("When,Description,Amount\n03/11/26,ZOOM.US,14.99\n")
    assert inspect(office, path, "--map", "date=When,dateformat=MM/DD/YY")[0]["date"] == "2026-03-11"
    assert inspect(office, path, "--map", "date=When,dateformat=DD/MM/YY")[0]["date"] == "2026-11-03"
    assert inspect(office, path, "--map", "value_date=When,date=When")[0]["value_date"] == "2026-03-11"
    # ING (NL) signs by an Af/Bij column, amounts unsigned; Bedrag (EUR) names the currency.
    path.write_text('"Datum","Naam / Omschrijving","Af Bij","Bedrag (EUR)"\n"20261103","FIGMA","Af","48,00"\n"20261104","FIGMA REFUND","Bij","48,00"\n')
    assert [(r["date"], r["amount"], r["currency"]) for r in inspect(office, path)] == [
        ("2026-11-03", Decimal("48.00"), "EUR"), ("2026-11-04", Decimal("-48.00"), "EUR")]
    bad = office.run("scan", "inspect", path, "--map", "colour=When")
    assert bad.rc == 64 and "dateformat=" in bad.err and "foreign_amount" in bad.err
    assert office.run("scan", "inspect", path, "--map", "sign=upwards").rc == 64
    assert office.run("scan", "inspect", path, "--map", "dateformat=DD-QQ").rc == 64
    missing = office.run("scan", "inspect", path, "--map", "date=Belegdatum")
    assert missing.rc == 65 and "no column 'Belegdatum'" in missing.err
    assert office.run("scan", path, "--map", "colour=When").rc == 64


def write(office, name, text):
    path = office.home / name
    path.write_text(text)
    return path


def spend(office, name, text):
    """Each line's spend as `scan inspect` reads it: (description, amount), money in negative."""
    return [(r["description"], r["amount"]) for r in inspect(office, write(office, name, text))]


def test_spends_sign_is_told_by_what_lines_say_not_by_their_majority(office):
    """A file with one signed amount column and no direction: an export of a few deposits and one
    transfer out is still an account's (negative spend); a card's export of one charge and a payment
    'thank you' is still a card's (positive spend); a line paying a catalog vendor is spend. A majority
    of signs alone read the first the wrong way round, so two overlapping exports read opposite ways."""
    deposits = ("Date,Description,Amount\n2026-11-01,ELECTRONIC DEPOSIT ACME INC,6000.36\n"
                "2026-11-02,ELECTRONIC DEPOSIT RANDOMCORP,141.67\n2026-11-03,TRANSFER TO SAVINGS,-50.50\n")
    assert spend(office, "deposits.csv", deposits) == [
        ("ELECTRONIC DEPOSIT ACME INC", Decimal("-6000.36")), ("ELECTRONIC DEPOSIT RANDOMCORP", Decimal("-141.67")),
        ("TRANSFER TO SAVINGS", Decimal("50.50"))]
    card = "Date,Description,Amount\n2026-11-01,PAYMENT - THANK YOU,-500.00\n2026-11-02,CORNER BAKERY,12.40\n"
    assert spend(office, "card.csv", card) == [("PAYMENT - THANK YOU", Decimal("-500.00")), ("CORNER BAKERY", Decimal("12.40"))]
    vendors = "Date,Description,Amount\n2026-11-01,Client ACME fee,900.00\n2026-11-02,Client B fee,40.00\n2026-11-03,NOTION.SO,-10.00\n"
    assert spend(office, "vendors.csv", vendors)[-1] == ("NOTION.SO", Decimal("10.00"))
    # PayPal's activity export: its Type column says which lines are deposits.
    paypal = ("Date,Name,Type,Currency,Gross\n10/01/2026,Calm Radio,Subscription Payment,USD,-6.99\n"
              "10/01/2026,Topup,Bank Deposit to PP Account,USD,6.99\n10/22/2026,Noble Benefactor,Subscription Payment,USD,10.00\n"
              "10/23/2026,Friend,Payment Received,USD,12.00\n")
    assert spend(office, "paypal.csv", paypal) == [
        ("Calm Radio", Decimal("6.99")), ("Topup", Decimal("-6.99")), ("Noble Benefactor", Decimal("-10.00")),
        ("Friend", Decimal("-12.00"))]


def test_what_does_not_tell_the_sign_does_not(office):
    """A review's cases: a word inside a name (DEPOSITPHOTOS, a vendor) or one 'deposit' among charges does not turn
    a card's export round; a Card Type column (Credit, Debit) out of step with the amounts' signs is not the
    direction; a 'Notes' column beside 'Transaction Details' is not the description; Monzo's local_amount is foreign."""
    card = ("Date,Description,Amount\n12/01/2026,AMAZON MKTPLACE,25.99\n12/05/2026,HOTEL DEPOSIT LONDON,29.00\n"
            "12/06/2026,DEPOSITPHOTOS INC,12.40\n")
    assert [a for _, a in spend(office, "card2.csv", card)] == [Decimal("25.99"), Decimal("29.00"), Decimal("12.40")]
    types = "Date,Description,Card Type,Amount\n2026-12-01,SLACK,Credit,-6.25\n2026-12-02,ZOOM.US,Debit,-14.99\n"
    assert spend(office, "types.csv", types) == [("SLACK", Decimal("6.25")), ("ZOOM.US", Decimal("14.99"))]
    notes = "Date,Notes,Transaction Details,Amount\n2026-12-01,,SLACK TECHNOLOGIES,-6.25\n"
    assert spend(office, "notes.csv", notes) == [("SLACK TECHNOLOGIES", Decimal("6.25"))]
    monzo = ("id,created,amount,currency,local_amount,local_currency,description\n"
             "tx_1,2026-12-01T10:00:00Z,-10.50,GBP,-12.00,EUR,NOTION.SO\n")
    row = inspect(office, write(office, "monzo.csv", monzo))[0]
    assert (row["amount"], row["foreign_amount"], row["foreign_currency"]) == (Decimal("10.50"), Decimal("12.00"), "EUR"), row


def test_a_debit_credit_column_is_found_by_what_it_holds(office):
    """`TRANSACTION TYPE` (DEBIT, CREDIT) or `D/C` (D, C) on every line is the direction, whatever the amount's sign."""
    dcu = ('"DATE","TRANSACTION TYPE","DESCRIPTION","AMOUNT"\n"12/31/2026","DEBIT","TRANSFER TO SAVINGS","-$7,971.39"\n'
           '"12/30/2026","CREDIT","ELECTRONIC DEPOSIT","$6,000.36"\n"12/29/2026","CREDIT","INTEREST","$256.00"\n')
    assert spend(office, "dcu.csv", dcu) == [
        ("TRANSFER TO SAVINGS", Decimal("7971.39")), ("ELECTRONIC DEPOSIT", Decimal("-6000.36")), ("INTEREST", Decimal("-256.00"))]
    dc = "Date,Label,Amount,D/C\n2026-12-15,Your best supplier,33.50,D\n2026-12-15,Your customer,-1533.50,C\n"
    assert spend(office, "dc.csv", dc) == [("Your best supplier", Decimal("33.50")), ("Your customer", Decimal("-1533.50"))]
    # A year first is year, month, day.
    # snake_case headers (a Spanish CSB43 export as hledger's example has it): the transaction's date, not the
    # statement's first; a line naming nobody (a category-only app export) is read, paying no vendor.
    csb43 = ("initial_date,final_date,currency,item1,transaction_date,value_date,amount\n"
             "2026-11-01,2026-11-30,EUR,MY_INCOME_LINE,2026-11-02,2026-11-02,1500.00\n"
             "2026-11-01,2026-11-30,EUR,,2026-11-10,2026-11-10,-500.00\n")
    assert [(r["date"], r["amount"]) for r in inspect(office, write(office, "csb43.csv", csb43), "--map", "description=item1")] == [
        ("2026-11-02", Decimal("-1500.00")), ("2026-11-10", Decimal("500.00"))]
    ymd = office.home / "ymd.csv"
    ymd.write_text("Date;Note;Amount\n2026/06/07;Shop;-123.45\n2026/06/06;Other shop;-678.90\n")
    assert [(r["date"], r["description"]) for r in inspect(office, ymd)] == [("2026-06-07", "Shop"), ("2026-06-06", "Other shop")]


def test_map_keys_are_documented(office):
    text = office.ok("scan", "--help").out + office.ok("help", "scan").out
    for key in ("date", "value_date", "description", "payee", "amount", "debit", "credit", "currency", "foreign_amount",
                "foreign_currency", "sign=spend-positive", "dateformat="):
        assert key in text, key


def test_ofx_and_camt_are_known_by_content_and_scanned(office):
    ofx = office.home / "export.dat"
    shutil.copy(CORPUS / "ca-bank-medium.ofx", ofx)
    assert [r["amount"] for r in inspect(office, ofx)] == [Decimal("6.60"), Decimal("316.67"), Decimal("22.00")]
    bunq = CORPUS / "nl-bunq-en.csv"
    r = office.ok("scan", bunq, "--json")
    assert r.json()["charges"] >= 4
    charges = office.ok("charge", "list", "--json").json()
    assert {c["vendor"] for c in charges} == {"Cloudflare"}
    camt = office.home / "camt.xml"
    camt.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY big "aaaaaaaa">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        "<BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE02120300000000202051</IBAN></Id></Acct>"
        '<Ntry><Amt Ccy="USD">20.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt>'
        "<NtryDtls><TxDtls><RltdPties><Cdtr><Nm>Notion Labs &amp; Co &big;</Nm></Cdtr></RltdPties>"
        "<RmtInf><Ustrd>NOTION.SO plan</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        # An xs:decimal: the point is the decimal point however many decimals follow (genkgo/camt's test files).
        '<Ntry><Amt Ccy="EUR">8.850</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-04</Dt></BookgDt>'
        "<AddtlNtryInf>Paper</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>")
    rows = inspect(office, camt)
    assert [(r["amount"], r["currency"], r["payee"], r["account"], r["vendor"]) for r in rows] == [
        (Decimal("20.00"), "USD", "Notion Labs & Co &big;", "DE02120300000000202051", "Notion"),
        (Decimal("8.85"), "EUR", None, "DE02120300000000202051", None)]
    deep = office.home / "deep.xml"
    deep.write_text("<Document><BkToCstmrStmt>" + "<a>" * 5000 + "</BkToCstmrStmt></Document>")
    assert office.run("scan", "inspect", deep).rc == 65


def sniff(text, line):
    """Python's csv record that starts on `line`, with the separator that splits it widest."""
    best = None
    for d in ";,\t":
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=d)
        start = 1
        for rec in reader:
            if start == line:
                if best is None or len(rec) > len(best):
                    best = rec
                break
            start = reader.line_num + 1
    return best or []


@pytest.mark.parametrize("path", [p for p in FILES + HELD if p.suffix == ".csv"], ids=lambda p: p.name)
def test_fields_agree_with_pythons_csv(office, path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    for row in inspect(office, path):
        fields = [f.strip() for f in sniff(text, row["line"])]
        assert row["description"] in fields, (path.name, row["line"], row["description"], fields)
        if row["payee"]:
            assert row["payee"] in fields, (path.name, row["line"], row["payee"])
