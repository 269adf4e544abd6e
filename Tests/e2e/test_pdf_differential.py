"""owatch's PDF text against poppler's pdftotext on real PDFs from other projects' test data
(Tests/corpus/pdf, sources and licences in SOURCES): per file, the share of pdftotext's words
(case-folded, bag of words) that owatch's text has too. A file below 97% fails unless listed
below with the reason the two differ."""
import base64
import json
import re
import shutil
from collections import Counter

import pytest

from conftest import ROOT

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

CORPUS = ROOT / "Tests" / "corpus" / "pdf"
# Files where poppler and owatch differ on purpose, with the reason.
DIFFER = {
    "mustang-corrupt-factur-x-waytoosmall.pdf": "truncated file: neither finds text",
    "mustang-veraPDFtestsuite6-7-11-t01-fail-a.pdf": "a PDF/A conformance sample with no text to show",
    "mustang-corruptedV2PDF.pdf": "a damaged cross-reference table: poppler gives up, owatch finds the objects by scanning",
    "pdfplumber-pr-138-example.pdf": "encrypted (owatch decrypts it), but its Type1C (CFF) fonts keep their encoding inside the "
                                     "font program, which owatch does not read: most letters are missing",
    "pdfplumber-issue-461-example.pdf": "Chinese text in TrueType CID fonts (Identity-H) without ToUnicode maps: poppler reads the "
                                        "embedded font's cmap table, owatch does not read font programs",
    "pdfplumber-issue-848.pdf": "lines drawn glyph by glyph from right to left: poppler keeps the drawing order (its words come "
                                "out reversed, 'eht'), owatch orders the glyphs by position and separates them",
    "pdfplumber-senate-expenditures.pdf": "columns of text rotated by 90°: owatch lays out horizontal text only",
    "pdfplumber-issue-1054-example.pdf": "a letterhead in several columns sharing baselines: poppler splits it into blocks, owatch "
                                         "reads each baseline across the page",
    "pdfplumber-pdffill-demo.pdf": "the word 'rotation' drawn rotated letter by letter: poppler splits it into pieces, owatch keeps it whole",
}


LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}


def words(text):
    # Ligatures count as their letters on both sides: owatch reads "ﬁ" as "fi" (so labels match),
    # pdftotext keeps it when the font's ToUnicode map says "ﬁ".
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    return Counter(re.findall(r"\w+", text.lower()))


def owatch_text(office, pdf):
    eml = office.home / "pdf.eml"
    eml.write_bytes(b"From: Billing <billing@example.com>\nSubject: invoice\nMessage-ID: <pdf@x>\nMIME-Version: 1.0\n"
                    b"Content-Type: application/pdf; name=invoice.pdf\nContent-Transfer-Encoding: base64\n\n" + base64.encodebytes(pdf.read_bytes()))
    r = office.run("scan", "inspect", eml, "--json")
    assert r.rc == 0, r
    return "\n".join(r.json()["texts"])


def test_pdf_text_agrees_with_pdftotext(office):
    import os
    import subprocess
    if not shutil.which("pdftotext"):
        # CI installs poppler-utils (.ci/deps --test): missing there is a failure, not a skip.
        assert not os.environ.get("CI"), "pdftotext is missing; .ci/deps --test installs poppler-utils"
        pytest.skip("poppler-utils is not installed (.ci/deps --test installs it)")
    files = sorted(CORPUS.glob("*.pdf"))
    assert len(files) >= 40
    report, failures = [], []
    for pdf in files:
        ref = words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
        ours = words(owatch_text(office, pdf))
        total = sum(ref.values())
        agree = sum((ref & ours).values()) / total if total else (1.0 if not ours else 0.0)
        report.append(f"{agree:7.1%}  {pdf.name}")
        if agree < 0.97 and pdf.name not in DIFFER:
            failures.append(f"{pdf.name}: {agree:.1%}; missing {list((ref - ours).items())[:8]}")
    print("\nPDF agreement with pdftotext:\n" + "\n".join(report))
    scored = [float(line.split("%")[0]) for line in report]
    print(f"mean {sum(scored) / len(scored):.1f}%, {sum(s >= 97 for s in scored)}/{len(scored)} files at 97% or more")
    assert not failures, "\n".join(failures)


def test_every_corpus_file_has_a_source_and_licence():
    listed = {line.split("\t")[0] for line in (CORPUS / "SOURCES").read_text().splitlines() if line and not line.startswith("#")}
    assert listed == {p.name for p in CORPUS.glob("*.pdf")}
    for line in (CORPUS / "SOURCES").read_text().splitlines():
        if line and not line.startswith("#"):
            name, repo, path, commit, licence = line.split("\t")
            assert re.fullmatch(r"[0-9a-f]{40}", commit) and licence in ("MIT", "Apache-2.0", "BSD-3-Clause")


def test_encrypted_pdfs_that_open_without_a_password_are_read(office, tmp_path):
    """Invoices are often encrypted so that anyone may open them but nobody edit them: the empty
    user password. qpdf (a test-only tool, .ci/deps --test) encrypts a real invoice with every
    method of the standard security handler; each reads to the same text as the original. One
    that needs a password gives no text (never ciphertext shown as text)."""
    import os
    import subprocess
    if not shutil.which("qpdf"):
        assert not os.environ.get("CI"), "qpdf is missing; .ci/deps --test installs it"
        pytest.skip("qpdf is not installed (.ci/deps --test installs it)")
    source = CORPUS / "invoice2data-AzureInterior.pdf"
    plain = owatch_text(office, source)
    assert "Azure Interior" in plain
    variants = {
        "RC4 40-bit (R2)": ["--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"],
        "RC4 128-bit (R3)": ["--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"],
        "AES-128 (R4)": ["--encrypt", "", "owner", "128", "--use-aes=y", "--"],
        "AES-256 (R6)": ["--encrypt", "", "owner", "256", "--"],
        "AES-256 (R6), object streams": ["--object-streams=generate", "--encrypt", "", "owner", "256", "--"],
        "RC4 128-bit, object streams": ["--object-streams=generate", "--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"],
    }
    for label, args in variants.items():
        out = tmp_path / "encrypted.pdf"
        subprocess.run(["qpdf", *args, str(source), str(out)], check=True)
        assert b"/Encrypt" in out.read_bytes(), label
        assert owatch_text(office, out) == plain, label
    locked = tmp_path / "locked.pdf"
    subprocess.run(["qpdf", "--encrypt", "user-secret", "owner", "256", "--", str(source), str(locked)], check=True)
    assert owatch_text(office, locked) == ""
