"""Issue 32: the second held-back part, `Tests/corpus/heldback2/`, is well formed — without owatch reading
any of its documents (nobody tunes on it; the lead takes figures on it once). Its table labels exactly the
files it holds, each listed in SOURCES.md with the bytes it was fetched with, none shared with another part."""
import hashlib
import re
from pathlib import Path

import pytest

# Run once, on SQLite (make test): checks the held-back part's files; runs no owatch.
pytestmark = pytest.mark.backend_independent

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "Tests/corpus"
PART = CORPUS / "heldback2"
COLUMNS = ["kind", "file", "vendor", "amount", "currency", "date", "invoice_no", "note"]
OWN = (".tsv", ".md", ".txt")  # the part's table, README, SOURCES and licence texts


def rows():
    lines = (PART / "documents.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# "), "the table opens with its comment header"
    assert "# " + "\t".join(COLUMNS) in lines, "the header names the columns of ../documents.tsv"
    table = [line.split("\t") for line in lines if line and not line.startswith("#")]
    for cols in table:
        assert len(cols) == len(COLUMNS), cols
    return [dict(zip(COLUMNS, cols)) for cols in table]


def documents(folder):
    return {p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() not in OWN}


def test_every_row_is_a_charge_with_its_fields_or_a_look_alike_without():
    for row in rows():
        assert row["kind"] in ("charge", "lookalike"), row
        if row["kind"] == "lookalike":
            assert row["amount"] == row["currency"] == row["date"] == row["invoice_no"] == "", row
            assert row["note"], row  # says what the document is instead
            continue
        assert re.fullmatch(r"-?\d+(\.\d{2})?", row["amount"]), row
        assert re.fullmatch(r"[A-Z]{3}", row["currency"]), row
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]), row
        assert row["invoice_no"] and row["note"], row


def test_the_table_lists_exactly_the_documents_of_the_folder_each_once():
    listed = [row["file"] for row in rows()]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert set(listed) == documents(PART), set(listed) ^ documents(PART)


def test_every_document_is_in_sources_with_the_bytes_it_was_fetched_with():
    sources = (PART / "SOURCES.md").read_text(encoding="utf-8")
    for row in rows():
        digest = hashlib.sha256((PART / row["file"]).read_bytes()).hexdigest()[:16]
        line = next((x for x in sources.splitlines() if x.startswith(f"| {row['file']} |")), None)
        assert line is not None, f"{row['file']} is not in SOURCES.md"
        assert line.rstrip().endswith(f"| {digest} |"), f"{row['file']}: bytes differ from SOURCES.md"
        licence = re.search(r"\((LICENSE\.[^)]+)\)", line)
        assert licence and (PART / licence.group(1)).is_file(), line


def test_the_part_is_big_enough_and_shares_no_document_with_the_others():
    kinds = [row["kind"] for row in rows()]
    assert kinds.count("charge") >= 40 and kinds.count("lookalike") >= 15
    mine = {hashlib.sha256((PART / name).read_bytes()).hexdigest() for name in documents(PART)}
    for path in CORPUS.rglob("*"):
        if path.is_file() and path.parent != PART and path.suffix.lower() not in OWN:
            assert path.name not in documents(PART), path
            assert hashlib.sha256(path.read_bytes()).hexdigest() not in mine, f"{path} is also in heldback2"
