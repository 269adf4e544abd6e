"""Every standard stream filter that can carry text, alone and chained, with its parameters:
content streams encoded by Python's own encoders (base64.a85encode, binascii.hexlify, zlib) and
by small reference encoders here (LZW with and without EarlyChange, RunLength, PNG and TIFF
predictors). owatch's text must hold every line the page shows and agree with poppler's
pdftotext, which decodes the same files independently. PDFs from ReportLab (its default is
[/ASCII85Decode /FlateDecode]) and qpdf's rewrites of them are compared with pdftotext too."""
import base64
import os
import shutil
import subprocess
import zlib

import pytest

from pdf_encoders import a85, ahx, lzw, png_predict, runlength, tiff_predict
from test_pdf_differential import owatch_text, words

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

LINES = [f"Line {i:02d}: {w} licence seat {i * 37 % 1000}.{i % 100:02d} EUR period 2026-{i % 12 + 1:02d}"
         for i, w in enumerate(["Brightwave", "Ledgerline", "Quartzly", "Nimbus", "Kestrel", "Umbra"] * 9)]
LINES[0] = "Invoice INV-2041 Brightwave Analytics"
LINES[-1] = "Total due: EUR 1,234.50"


def content(padding=0):
    body = "BT /F1 6 Tf 10 TL 40 760 Td\n" + "".join(f"({line}) Tj T*\n" for line in LINES) + "ET\n"
    # A long comment makes the LZW table fill (and clear) several times; readers skip comments.
    body += "".join(f"% filler {i} {i * i} {LINES[i % len(LINES)][::-1]}\n" for i in range(padding))
    return body.encode("latin-1")


# --- a PDF around one content stream ----------------------------------------------------------

def make_pdf(stream, stream_dict):
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< " + stream_dict + b" /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def encoded(chain, data):
    """Applies the filters of `chain` (listed in decoding order) from the last to the first."""
    for name, parms in reversed(chain):
        p = dict(parms or {})
        row = (p.get("Columns", 1) * p.get("Colors", 1) * p.get("BitsPerComponent", 8) + 7) // 8
        if p.get("Predictor", 1) > 1:
            data += b" " * (-len(data) % row)  # whole rows: spaces are blank in a content stream
        if p.get("Predictor", 1) >= 10:
            data = png_predict(data, row, max(1, p.get("Colors", 1) * p.get("BitsPerComponent", 8) // 8))
        elif p.get("Predictor") == 2:
            data = tiff_predict(data, p.get("Colors", 1), p.get("BitsPerComponent", 8), p.get("Columns", 1))
        data = {"ASCII85Decode": a85, "ASCIIHexDecode": ahx, "FlateDecode": zlib.compress, "RunLengthDecode": runlength,
                "LZWDecode": lambda d: lzw(d, p.get("EarlyChange", 1))}[name](data)
    return data


def pdf_parms(parms):
    if parms is None:
        return b"null"
    return b"<< " + b" ".join(b"/%s %d" % (k.encode(), v) for k, v in parms.items()) + b" >>"


CHAINS = {
    "ascii85": [("ASCII85Decode", None)],
    "asciihex": [("ASCIIHexDecode", None)],
    "lzw": [("LZWDecode", None)],
    "lzw-early-change-0": [("LZWDecode", {"EarlyChange": 0})],
    "runlength": [("RunLengthDecode", None)],
    "reportlab-default": [("ASCII85Decode", None), ("FlateDecode", None)],
    "hex-lzw": [("ASCIIHexDecode", None), ("LZWDecode", None)],
    "a85-runlength": [("ASCII85Decode", None), ("RunLengthDecode", None)],
    "flate-png-predictor": [("FlateDecode", {"Predictor": 12, "Columns": 37})],
    "flate-png-rgb": [("FlateDecode", {"Predictor": 15, "Colors": 3, "BitsPerComponent": 8, "Columns": 11})],
    "lzw-tiff-predictor": [("LZWDecode", {"Predictor": 2, "Colors": 3, "BitsPerComponent": 8, "Columns": 9})],
    "flate-tiff-16-bit": [("FlateDecode", {"Predictor": 2, "Colors": 2, "BitsPerComponent": 16, "Columns": 5})],
    "flate-tiff-4-bit": [("FlateDecode", {"Predictor": 2, "Colors": 1, "BitsPerComponent": 4, "Columns": 30})],
    "a85-lzw-early-0-png": [("ASCII85Decode", None), ("LZWDecode", {"EarlyChange": 0, "Predictor": 11, "Columns": 23})],
    "hex-a85-flate": [("ASCIIHexDecode", None), ("ASCII85Decode", None), ("FlateDecode", None)],
}


# Where poppler is not the reference: qpdf decodes the stream back to the content instead.
POPPLER_WRONG = {"flate-tiff-16-bit": "poppler 22.12 mis-decodes 16-bit TIFF predictors (its text is garbage); qpdf decodes them"}


def chain_pdf(chain, padding=0):
    names = b"[" + b" ".join(b"/" + n.encode() for n, _ in chain) + b"]"
    parms = b"[" + b" ".join(pdf_parms(p) for _, p in chain) + b"]"
    stream_dict = b"/Filter " + names + (b" /DecodeParms " + parms if any(p for _, p in chain) else b"")
    return make_pdf(encoded(chain, content(padding)), stream_dict)


def need_pdftotext():
    if not shutil.which("pdftotext"):
        assert not os.environ.get("CI"), "pdftotext is missing; .ci/deps --test installs poppler-utils"
        pytest.skip("poppler-utils is not installed (.ci/deps --test installs it)")


def agreement(office, path):
    ref = words(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout)
    ours_text = owatch_text(office, path)
    ours = words(ours_text)
    total = sum(ref.values())
    return (sum((ref & ours).values()) / total if total else 0.0), ours_text


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_each_filter_chain_gives_the_page_text(office, name):
    need_pdftotext()
    path = office.home / f"{name}.pdf"
    # The LZW chains get enough text to widen their codes to 12 bits and clear the table.
    path.write_bytes(chain_pdf(CHAINS[name], padding=400 if "lzw" in name else 0))
    agree, text = agreement(office, path)
    for line in (LINES[0], LINES[17], LINES[-1]):
        assert line in text, (name, text[:300])
    print(f"{name}: {agree:.1%} of pdftotext's words")
    if name in POPPLER_WRONG and shutil.which("qpdf"):
        decoded = subprocess.run(["qpdf", "--show-object=4", "--filtered-stream-data", str(path)], capture_output=True).stdout
        assert decoded.rstrip(b" ") == content(), name
    else:
        assert agree == 1.0, name


def test_filters_that_carry_no_text_or_end_early_never_break_the_reader(office):
    # A stream cut in the middle of every encoding: whatever decodes is kept, nothing hangs or crashes.
    for name, chain in CHAINS.items():
        pdf = chain_pdf(chain)
        cut = pdf.index(b"stream\n") + 7 + 40
        path = office.home / f"cut-{name}.pdf"
        path.write_bytes(pdf[:cut] + b"\nendstream\nendobj\n" + pdf[pdf.index(b"5 0 obj"):])
        owatch_text(office, path)  # exit 0 is the assertion


def test_inline_images_with_abbreviated_filters_do_not_swallow_the_text(office):
    need_pdftotext()
    # ASCII85 image data may spell "EI" and open a string; raw image data anything at all.
    a85_data = base64.a85encode(bytes(range(64)) * 2)
    a85_data = a85_data[:20] + b"\nEI (" + a85_data[20:] + b"~>"
    raw = (b" EI (oops " * 4)[:48]
    body = (b"BT /F1 11 Tf 72 700 Td (Before the images) Tj ET\n"
            b"q 20 0 0 20 72 650 cm BI /W 8 /H 8 /BPC 8 /CS /G /F [/A85] ID\n" + a85_data + b"\nEI Q\n"
            b"q 20 0 0 20 72 600 cm BI /W 4 /H 4 /BPC 8 /CS /RGB ID " + raw + b"\nEI Q\n"
            b"q 20 0 0 20 72 550 cm BI /W 2 /H 2 /BPC 8 /CS /G /F /AHx ID 0A EI 0B0C0D>\nEI Q\n"
            b"BT /F1 11 Tf 72 500 Td (Total due: EUR 99.00) Tj ET\n")
    path = office.home / "inline.pdf"
    path.write_bytes(make_pdf(zlib.compress(body), b"/Filter /Fl"))
    agree, text = agreement(office, path)
    assert "Before the images" in text and "Total due: EUR 99.00" in text, text
    assert agree == 1.0


def test_the_stream_scan_reads_every_filter_when_the_page_tree_is_broken(office):
    # The page's /Contents points nowhere: the fallback finds the streams by scanning the file.
    for name in ("reportlab-default", "lzw", "flate-png-predictor", "a85-runlength"):
        pdf = chain_pdf(CHAINS[name]).replace(b"/Contents 4 0 R", b"/Contents 9 0 R")
        path = office.home / f"broken-{name}.pdf"
        path.write_bytes(pdf)
        text = owatch_text(office, path)
        assert LINES[0] in text and LINES[-1] in text, (name, text[:200])


def reportlab_pdf(path, **kw):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    c = canvas.Canvas(str(path), **kw)
    for page in range(2):
        c.setFont("Helvetica", 10)
        for i, line in enumerate(LINES[page * 20:(page + 1) * 20]):
            c.drawString(60, 780 - 14 * i, line)
        c.showPage()
    c.save()


def test_reportlab_and_qpdf_rewrites_agree_with_pdftotext(office):
    need_pdftotext()
    base = office.home / "reportlab.pdf"
    reportlab_pdf(base)  # ReportLab's default: [/ASCII85Decode /FlateDecode]
    assert b"/ASCII85Decode /FlateDecode" in base.read_bytes()
    variants = {"reportlab": base}
    plain = office.home / "reportlab-uncompressed.pdf"
    reportlab_pdf(plain, pageCompression=0)
    variants["reportlab-uncompressed"] = plain
    if shutil.which("qpdf"):
        for name, args in {"qpdf-object-streams": ["--object-streams=generate", "--compress-streams=y", "--recompress-flate"],
                           "qpdf-uncompress": ["--stream-data=uncompress"],
                           "qpdf-flate": ["--compress-streams=y", "--decode-level=generalized"]}.items():
            out = office.home / f"{name}.pdf"
            subprocess.run(["qpdf", *args, str(base), str(out)], check=True)
            variants[name] = out
    report = []
    for name, path in variants.items():
        agree, text = agreement(office, path)
        report.append(f"{agree:7.1%}  {name}")
        assert LINES[0] in text and LINES[19] in text, (name, text[:200])
        assert agree == 1.0, name
    print("\n" + "\n".join(report))
