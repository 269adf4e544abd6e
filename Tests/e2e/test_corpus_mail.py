"""Issue 32: real mails from the SpamAssassin public corpus that look like bills and are not (newsletters and
shop mailings quoting prices, auction alerts, a renewal reminder), split by a hash of their bytes into a
development part (`Tests/corpus/dev3/`) and a held-back third (`Tests/corpus/heldback3/`). Both tables are
well formed and follow the split rule; the development part is read by `owatch scan eval` and none of its
look-alikes may become a charge. The held-back part is never read by owatch here."""
import hashlib
import importlib.util
import re
from pathlib import Path

import pytest

# Run once, on SQLite (make test): documents read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "Tests/corpus"
DEV, HELD = CORPUS / "dev3", CORPUS / "heldback3"
COLUMNS = ["kind", "file", "vendor", "amount", "currency", "date", "invoice_no", "note"]
OWN = (".tsv", ".md", ".txt")  # tables, READMEs, SOURCES and terms

spec = importlib.util.spec_from_file_location("split_by_hash", CORPUS / "split_by_hash.py")
split = importlib.util.module_from_spec(spec)
spec.loader.exec_module(split)


def rows(part):
    lines = (part / "documents.tsv").read_text(encoding="utf-8").splitlines()
    assert "# " + "\t".join(COLUMNS) in lines, "the header names the columns of ../documents.tsv"
    table = [line.split("\t") for line in lines if line and not line.startswith("#")]
    assert all(len(cols) == len(COLUMNS) for cols in table), table
    return [dict(zip(COLUMNS, cols)) for cols in table]


def documents(part):
    return {p.name for p in part.iterdir() if p.is_file() and p.suffix.lower() not in OWN}


@pytest.mark.parametrize("part", [DEV, HELD], ids=["dev3", "heldback3"])
def test_each_part_labels_exactly_its_files_with_their_source_and_bytes(part):
    table = rows(part)
    listed = [row["file"] for row in table]
    assert len(listed) == len(set(listed)) and set(listed) == documents(part), set(listed) ^ documents(part)
    sources = (part / "SOURCES.md").read_text(encoding="utf-8")
    for row in table:
        if row["kind"] == "lookalike":
            assert row["amount"] == row["currency"] == row["date"] == row["invoice_no"] == "" and row["note"], row
        else:
            assert row["kind"] == "charge" and re.fullmatch(r"-?\d+(\.\d{2})?", row["amount"]), row
            assert re.fullmatch(r"[A-Z]{3}", row["currency"]) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]), row
        data = (part / row["file"]).read_bytes()
        line = next((x for x in sources.splitlines() if x.startswith(f"| {row['file']} |")), None)
        assert line is not None, f"{row['file']} is not in SOURCES.md"
        assert line.rstrip().endswith(f"| {hashlib.sha256(data).hexdigest()[:16]} |"), f"{row['file']}: bytes differ"
        terms = re.search(r"\(((?:LICENSE|TERMS)\.[^)]+)\)", line)
        assert terms and (part / terms.group(1)).is_file(), line
        # SpamAssassin names each mail by its MD5: the bytes are the corpus's
        published = re.search(r"/\d+\.([0-9a-f]{32}) \|", line)
        assert not published or hashlib.md5(data).hexdigest() == published.group(1), line


def test_the_split_follows_the_hash_of_the_bytes_and_shares_nothing_with_other_parts():
    for part in (DEV, HELD):
        for name in documents(part):
            assert split.part((part / name).read_bytes()) == part.name, f"{part.name}/{name} is on the wrong side"
    mine = {hashlib.sha256((p / n).read_bytes()).hexdigest() for p in (DEV, HELD) for n in documents(p)}
    for path in CORPUS.rglob("*"):
        if path.is_file() and path.parent not in (DEV, HELD) and path.suffix.lower() not in OWN:
            assert hashlib.sha256(path.read_bytes()).hexdigest() not in mine, f"{path} is also in dev3 or heldback3"
    lookalikes = [r for p in (DEV, HELD) for r in rows(p) if r["kind"] == "lookalike"]
    assert len(lookalikes) >= 30 and len(rows(HELD)) >= len(rows(DEV)) // 3


def test_no_look_alike_of_the_development_part_becomes_a_charge(office):
    scores = {r["field"]: r for r in office.ok("scan", "eval", DEV / "documents.tsv", "--json").json()}
    charges = sum(r["kind"] == "charge" for r in rows(DEV))
    assert (scores["charge"]["right"], scores["charge"]["wrong"], scores["charge"]["missed"]) == (charges, 0, 0), scores["charge"]
    misses = office.ok("scan", "eval", DEV / "documents.tsv", "--misses", "--json").json()
    assert misses == [], misses
    # nor does any name an unknown vendor (which would become a finding)
    for row in rows(DEV):
        j = office.ok("scan", "inspect", DEV / row["file"], "--json").json()
        assert not j["is_charge"] and not j["unknown_vendor"], (row["file"], row["note"], j)


def test_a_scan_of_the_development_mails_writes_no_charge_and_no_finding(office):
    files = sorted(DEV / row["file"] for row in rows(DEV))
    j = office.ok("scan", *files, "--json").json()
    assert (j["messages"], j["charges"], j["new_findings"]) == (len(files), 0, 0), j
    assert office.ok("scan", "findings", "--json").json() == []
