"""MT940 (SWIFT) statements, as banks in Germany, the Netherlands, Poland and Switzerland export them: each
real file of Tests/corpus/statements/mt940 read by `scan inspect` into the lines the `mt-940` package
(wolph/mt940, an independent reader) finds, day and amount alike; the held-back part (mt940-held) only
measured; the three forms of the details line (free text, SEPA keys, German subfields); a scan of one."""
import json
from decimal import Decimal
from pathlib import Path

import pytest

mt940 = pytest.importorskip("mt940")

# Run once, on SQLite ledgers (make test): documents read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "statements"
DEV = sorted((CORPUS / "mt940").glob("*.sta"))
HELD = sorted((CORPUS / "mt940-held").glob("*.sta"))


def ours(office, path):
    r = office.run("scan", "inspect", path, "--json")
    assert r.rc == 0, (path.name, r)
    return [(row["date"], row["amount"]) for row in json.loads(r.out, parse_float=Decimal)]


def reference(path):
    """The lines as mt-940 reads them: the entry date (else the value date) and spend (a debit positive)."""
    return [(str(t.data.get("entry_date") or t.data["date"]), -t.data["amount"].amount) for t in mt940.parse(str(path))]


@pytest.mark.parametrize("path", DEV, ids=lambda p: p.name)
def test_each_real_mt940_reads_as_mt940_the_package_does(office, path):
    assert ours(office, path) == reference(path)


def test_the_held_back_mt940_files_are_measured(office):
    """Not developed on: a floor under what was measured when they were split off (137 of 140 lines; two
    files the reference cannot read are left out)."""
    right = total = 0
    for path in HELD:
        try:
            want = reference(path)
        except Exception:
            continue
        r = office.run("scan", "inspect", path, "--json")
        got = [(x["date"], x["amount"]) for x in json.loads(r.out, parse_float=Decimal)] if r.rc == 0 else []
        right += sum(1 for a, b in zip(got, want) if a == b)
        total += len(want)
    assert total >= 100 and right / total >= 0.95, (right, total)


STATEMENT = """{1:F01BANKDEFFXXXX0000000000}{2:O940BANKDEFFXXXX}{4:
:20:STARTUMS
:25:10020030/1234567890
:28C:00001/001
:60F:C261101EUR12345,67
:61:2611021102D49,00NDDTNONREF//BANKREF1
:86:105?00SEPA-BASISLASTSCHRIFT?20EREF+INV-2026-11?21SVWZ+NOTION.SO team plan No
?22vember?32Notion Labs Inc.
:61:2611031103C1200,00NTRFNONREF
:86:166?00GUTSCHRIFT?20Rechnung 4711?32Kunde GmbH
:61:2611041104D12,5NMSCNONREF
:86:/TRTP/SEPA OVERBOEKING/IBAN/NL70ABNA0987654321/BIC/ABNANL2A/NAME/Corner Bakery/REMI/
lunch/EREF/NOTPROVIDED
:61:2611051105D7,NMSCNONREF
:86:KAARTBETALING ZOOM.US 888-799-9666
:62F:C261105EUR13476,17
-}"""


def test_the_details_line_in_its_three_forms(office):
    path = office.home / "statement.txt"  # known by its content, whatever its name
    path.write_text(STATEMENT)
    rows = json.loads(office.ok("scan", "inspect", path, "--json").out, parse_float=Decimal)
    assert [(r["date"], r["amount"], r["description"], r["payee"], r["account"]) for r in rows] == [
        ("2026-11-02", Decimal("49.00"), "EREF+INV-2026-11 SVWZ+NOTION.SO team plan November", "Notion Labs Inc.",
         "10020030/1234567890"),
        ("2026-11-03", Decimal("-1200.00"), "Rechnung 4711", "Kunde GmbH", "10020030/1234567890"),
        ("2026-11-04", Decimal("12.50"), "lunch", "Corner Bakery", "10020030/1234567890"),
        ("2026-11-05", Decimal("7.00"), "KAARTBETALING ZOOM.US 888-799-9666", None, "10020030/1234567890"),
    ]
    assert [r["vendor"] for r in rows] == ["Notion", None, None, "Zoom"]


def test_remittance_keys_subfields_and_amounts_not_misread(office):
    """A review's cases: Dutch `/REMI/USTD//text`, German subfields with no booking code before them, an amount
    written with a point (not MT940's comma) or with more decimals than the currency has: read, or not read, never
    misread."""
    path = office.home / "review.sta"
    path.write_text(":20:X\n:25:NL12INGB0001234567\n:60F:C261101EUR100,00\n"
                    ":61:2611021102D5,00NTRFNONREF\n"
                    ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL12/BIC/INGB/NAME/ACME BV/REMI/USTD//Factuur 2026-99/EREF/NOTPROVIDED\n"
                    ":61:2611031103D6,25NMSCNONREF\n:86:?20Rechnung 42 Slack?32ACME GmbH\n"
                    ":61:2611041104D1.50NTRFNONREF\n:86:point\n"
                    ":61:2611051105D1,2345NTRFNONREF\n:86:four decimals\n"
                    ":62F:C261105EUR88,75\n")
    r = office.ok("scan", "inspect", path, "--json")
    rows = json.loads(r.out, parse_float=Decimal)
    assert [(r["description"], r["payee"], r["amount"]) for r in rows] == [
        ("Factuur 2026-99", "ACME BV", Decimal("5.00")), ("Rechnung 42 Slack", "ACME GmbH", Decimal("6.25"))]
    assert "2 line(s) not read" in r.err, r.err


def test_a_scan_of_an_mt940_statement_makes_charges_once(office):
    path = office.home / "konto.sta"
    path.write_text(STATEMENT)
    first = office.ok("scan", path, "--json").json()
    assert first["charges"] == 2, first
    charges = office.ok("charge", "list", "--json").json()
    assert sorted((c["vendor"], c["amount"]) for c in charges) == [("Notion", 49.0), ("Zoom", 7.0)]
    again = office.ok("scan", path, "--json").json()
    assert again["charges"] == 0, again
