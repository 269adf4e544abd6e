"""A bounded fuzz run (issue 11): hostile messages, PDFs, statement CSVs, license CSVs and amounts
fed to the built binary. Whatever the input: an exit status below 128 (no trap, no crash), no
run past its time bound, peak RSS under 100 MB. Derandomised so CI is repeatable; set
OWATCH_FUZZ_EXAMPLES (default 60 per target) and OWATCH_FUZZ_RANDOM=1 for longer local runs."""
import base64
import os
import random
import zlib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import BIN, Office, run_measured, trapped

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

EXAMPLES = int(os.environ.get("OWATCH_FUZZ_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("OWATCH_FUZZ_RANDOM"),
                    suppress_health_check=list(HealthCheck), database=None)
MAX_RSS_MB = 100


@pytest.fixture(scope="module")
def fuzz_office(tmp_path_factory):
    o = Office(tmp_path_factory.mktemp("fuzz"))
    r = o.run("init", "--org", "Fuzz", "--admin", "alice", "--currency", "USD")
    assert r.rc == 0, r
    o.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "26.25")
    return o


def bounded(office, *args, timeout=90):
    """Runs owatch; returns (exit status, stderr), failing past `timeout`, on a trap or over the RSS bound."""
    code, _, err, rss = run_measured([BIN, *map(str, args)], office.home, office.env, timeout)
    assert 0 <= code < 128, (args[:2], code, err[-2000:])
    assert not trapped(err), err[-2000:]
    assert rss < MAX_RSS_MB, (args[:2], rss)
    return code, err


# --- Messages -------------------------------------------------------------------------------

SENDERS = ["billing@slack.com", "receipts@stripe.com", "no-reply@zoom.us", "friend@example.org", "x@paypal.com"]
FRAGMENTS = ["=?", "?=", "=?utf-8?b?", "=?iso-8859-1?q?", "?B?", "?Q?", "=C3=A9", "=\n", "Total: $12.50", "Amount due 1.234,56 €",
             "Invoice number: INV-", "order ", "İ", "\u202e", "\x1b]0;x\x07", "\x00", "\r", "\n", "--b", "--b--", "From ", ">From ",
             "receipt", "999,999,999,999,999.99", "92233720368547759", "Content-Type: multipart/mixed; boundary=b\n",
             "Content-Transfer-Encoding: base64\n", "Content-Transfer-Encoding: quoted-printable\n", "<b>", "&amp;", "&#x1F600;"]
text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), max_size=60).map("".join)


def pdf(content: bytes, compress: bool, junk: bytes) -> bytes:
    stream = zlib.compress(content) if compress else content
    filters = b" /Filter /FlateDecode" if compress else b""
    return (b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(stream)).encode() + filters + b" >>\nstream\n" + stream
            + b"\nendstream\nendobj\n" + junk + b"%%EOF\n")


pdf_content = st.lists(st.sampled_from([b"BT (Total: $9.00) Tj ET\n", b"[(Inv) 10 (oice)] TJ\n", b"<2434392E3030> Tj\n", b"(\\",
                                        b"((((", b"BT", b"Tj", b"\x00\xff", b"(Amount due) Tj 200 0 Td (12,00 EUR) Tj\n"]),
                       max_size=40).map(b"".join)
pdfs = st.builds(pdf, pdf_content, st.booleans(), st.binary(max_size=200))


@st.composite
def messages(draw):
    sender = draw(st.sampled_from(SENDERS))
    subject = draw(text)
    headers = f"From: {draw(text)} <{sender}>\nSubject: {subject}\nMessage-ID: <{draw(st.integers(0, 10**9))}@fuzz>\n"
    if draw(st.booleans()):
        body = draw(text)
        raw = (headers + "\n" + body).encode("utf-8", "surrogatepass")
    else:
        attachment = base64.encodebytes(draw(pdfs)).decode()
        cte = draw(st.sampled_from(["base64", "quoted-printable", "7bit"]))
        raw = (headers + "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
               + draw(text) + f"\n--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: {cte}\n\n" + attachment
               + ("\n--b--\n" if draw(st.booleans()) else "")).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=64)) + raw[cut:]
    return raw


@SETTINGS
@given(st.lists(messages(), min_size=1, max_size=12))
def test_fuzzed_mailboxes(fuzz_office, batch):
    path = fuzz_office.home / f"fuzz-{random.getrandbits(64):x}.mbox"
    path.write_bytes(b"".join(b"From fuzz Thu Nov 26 10:00:00 2026\n" + m.replace(b"\nFrom ", b"\n>From ") + b"\n" for m in batch))
    bounded(fuzz_office, "scan", path)
    path.unlink()


@SETTINGS
@given(pdfs)
def test_fuzzed_eml_with_pdf(fuzz_office, document):
    eml = fuzz_office.home / "one.eml"
    eml.write_bytes(b"From: Slack <billing@slack.com>\nSubject: receipt\nMIME-Version: 1.0\n"
                    b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" + base64.encodebytes(document))
    code, _ = bounded(fuzz_office, "scan", "inspect", eml)
    assert code in (0, 65)


# --- Statements, license CSVs, amounts ------------------------------------------------------

AMOUNT_PIECES = ["9", "0", "1", ",", ".", "'", " ", "-", "(", ")", "$", "€", "EUR", "¥", "₹", "US$", "\u00a0", "e", "+", "999999999999"]
amounts = st.lists(st.sampled_from(AMOUNT_PIECES), min_size=1, max_size=24).map("".join)
csv_cell = st.one_of(amounts, text.map(lambda s: s.replace("\n", " ")[:40]))


@SETTINGS
@given(st.sampled_from([",", ";", "\t"]), st.lists(st.tuples(st.sampled_from(["2026-11-02", "02.11.2026", "11/02/2026", "31/02/2026", "x"]),
                                                           st.sampled_from(["SLACK TECHNOLOGIES", "ZOOM.US", "PAYPAL *STEAM", "AWS EMEA", "\x1b[2J"]),
                                                           amounts), max_size=40))
def test_fuzzed_statements(fuzz_office, sep, rows):
    path = fuzz_office.home / f"card-{random.getrandbits(64):x}.csv"
    path.write_text(sep.join(["Date", "Description", "Amount"]) + "\n" + "".join(sep.join(r) + "\n" for r in rows))
    code, _ = bounded(fuzz_office, "scan", path)
    assert code in (0, 65)
    path.unlink()


@SETTINGS
@given(st.lists(st.tuples(csv_cell, csv_cell, csv_cell), max_size=20))
def test_fuzzed_license_imports(fuzz_office, rows):
    path = fuzz_office.home / "licenses.csv"
    path.write_text("name,vendor,seats,cost,period\n" + "".join(f"{a},slack,{b},{c},monthly\n" for a, b, c in rows))
    code, _ = bounded(fuzz_office, "license", "import", path, "--dry-run")
    assert code in (0, 1, 64, 65)


@SETTINGS
@given(amounts)
def test_fuzzed_amounts(fuzz_office, amount):
    code, _ = bounded(fuzz_office, "license", "add", f"A{random.getrandbits(48):x}", "--vendor", "slack", "--seats", "1", "--cost", amount)
    assert code in (0, 1, 64, 65)
