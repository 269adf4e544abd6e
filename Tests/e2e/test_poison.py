"""Issue 29, High: no outside bytes reach a trap, and a message that stops a scan anyway
(a crash, a kill) never stops one twice: the next scan skips it, says why, and raises a finding.

The PDFs here are the reported ones (an Encrypt dictionary's /P of 23 digits; structures that
ended a value past the data's end, which `PDFParser.word()` then sliced) and their relatives:
every number a PDF writes that became an index, a count or a code through an unchecked
conversion. Each read crashed today's release binary (exit 132, "Fatal error")."""
import base64
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import BIN, ROOT

sys.path.insert(0, str(ROOT / "examples" / "mail"))
from make_examples import pdf_document  # noqa: E402

sys.path.insert(0, str(ROOT / "Tests" / "e2e"))
from test_token import Forge  # noqa: E402

TEXT = b"BT /F1 11 Tf 72 760 Td (Invoice number: FIG-2026-0042) Tj ET\nBT 72 740 Td (Total $49.00) Tj ET\n"


def objects(*bodies, trailer=b"<< /Root 1 0 R >>"):
    """A PDF of the given object bodies (numbered from 1) and trailer."""
    out = b"%PDF-1.4\n"
    for n, o in enumerate(bodies, 1):
        out += b"%d 0 obj\n" % n + o + b"\nendobj\n"
    return out + b"trailer\n" + trailer + b"\n%%EOF\n"


def encrypted(p: bytes) -> bytes:
    """An RC4 (R2) document whose /P is `p`, as written."""
    return pdf_document(TEXT).replace(
        b"trailer\n<< /Root 1 0 R >>",
        b"trailer\n<< /Root 1 0 R /ID [<00112233445566778899aabbccddeeff>] /Encrypt << /Filter /Standard /V 1 /R 2 "
        b"/O <" + b"41" * 32 + b"> /U <" + b"42" * 32 + b"> /P " + p + b" >> >>")


def font(extra: bytes) -> bytes:
    """The one-page document with its font's dictionary grown by `extra`."""
    return pdf_document(TEXT).replace(b"/Encoding /WinAnsiEncoding >>", b"/Encoding /WinAnsiEncoding " + extra + b" >>")


def objstm(n: bytes, first: bytes, header: bytes) -> bytes:
    """A document whose page (object 5) lives in an object stream with the given /N, /First and index."""
    body = header + b" << /Type /Page /Contents 4 0 R >>"
    return objects(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
                   b"<< /Type /ObjStm /N " + n + b" /First " + first + b" /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
                   b"<< /Length %d >>\nstream\n" % len(TEXT) + TEXT + b"endstream")


CRAFTED = {
    # The two reported shapes.
    "encrypt-P-23-digits": encrypted(b"99999999999999999999999"),
    "dict-ends-on-a-number": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog 5",
    # The same class, one step further.
    "encrypt-P-minus-23-digits": encrypted(b"-99999999999999999999999"),
    "encrypt-V-huge": encrypted(b"-4").replace(b"/V 1 /R 2", b"/V 1e300 /R 2"),
    "encrypt-R-nan-length-huge": encrypted(b"-4").replace(b"/V 1 /R 2", b"/V 2 /R 3 /Length 1e40"),
    "dict-key-then-number-at-end": b"%PDF-1.4\n1 0 obj\n<< /Type /Page /Contents [4 0 R] 7",
    # The largest double below 2^63, past a kilobyte of the file: start + length overflowed.
    "stream-length-huge": pdf_document(TEXT).replace(b"/Length ", b"/Length 9223372036854774784 /Foo ", 1).replace(
        b"%PDF-1.4\n", b"%PDF-1.4\n%" + b"x" * 2000 + b"\n"),
    "stream-length-1e300": pdf_document(TEXT).replace(b"/Length ", b"/Length 1e300 /Foo ", 1),
    "objstm-first-negative": objstm(b"1", b"-1000", b"5 0"),
    "objstm-first-huge": objstm(b"1", b"1e30", b"5 0"),
    "objstm-count-negative": objstm(b"-5", b"4", b"5 0"),
    "objstm-offset-huge": objstm(b"1", b"2000", b"5 9223372036854774784"),
    "objstm-number-huge": objstm(b"1", b"8", b"1e300 0"),
    "predictor-columns-huge": objects(
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [7 0 R] /Count 1 >>",
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 1e300 >> /Length 10 >>\n"
        b"stream\nx\x9c\x03\x00\x00\x00\x00\x01\x00\x00\nendstream"),
    "firstchar-huge": font(b"/FirstChar 1e30 /Widths [500 600]"),
    "firstchar-max": font(b"/FirstChar 4294967295 /Widths [500 600]"),
    "cid-widths-negative": pdf_document(TEXT).replace(
        b"/Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding",
        b"/Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /W [-5 [500 600] -9e99 -1 7 nan 3 4] >>]"),
    "cid-widths-past-the-top": pdf_document(TEXT).replace(
        b"/Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding",
        b"/Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /W [4294967295 [500 600 700]] >>]"),
    "differences-huge": font(b"/Encoding << /Differences [1e300 /A /B 9223372036854775807 /C -1e300 /D] >>"),
    "annotation-flags-huge": pdf_document(TEXT).replace(
        b"/Contents 4 0 R", b"/Contents 4 0 R /Annots [<< /F 1e300 /Rect [0 0 1 1] /AP << /N 4 0 R >> >>]"),
}


def inspect_pdf(office, name, data):
    path = office.home / f"{name}.pdf"
    path.write_bytes(data)
    r = office.run("scan", "inspect", path, "--json")  # the harness fails on "Fatal error" in stderr
    assert r.rc in (0, 65), (name, r)
    assert r.rc != 132 and r.rc >= 0, (name, r)
    return r


# Run once, on SQLite (make test): the PDF reader on crafted files (scan inspect); writes nothing.
@pytest.mark.backend_independent
@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_crafted_pdfs_are_read_without_a_trap(office, name):
    inspect_pdf(office, name, CRAFTED[name])


# Run once, on SQLite (make test): the PDF reader on the reported file (scan inspect); writes nothing.
@pytest.mark.backend_independent
def test_the_reported_pdf_still_reads_what_it_can(office):
    """An encrypted document owatch cannot open gives no text, never a crash; the message around it is read."""
    r = inspect_pdf(office, "p", CRAFTED["encrypt-P-23-digits"])
    assert r.rc == 0, r


def message(n, attachment=None, body=None, date="Thu, 26 Nov 2026 10:00:00 +0000"):
    """An mbox message from Figma: a receipt of $n in its text, and the attachment (a PDF) if any."""
    text = body or f"Receipt number: FIG-{n:05d}\nTotal: ${n}.00\n"
    head = (f"From x Thu Nov 26 10:00:00 2026\nFrom: Figma <billing@figma.com>\nSubject: Your Figma receipt {n}\n"
            f"Date: {date}\nMessage-ID: <m-{n}@x>\nMIME-Version: 1.0\n")
    if attachment is None:
        return (head + "Content-Type: text/plain\n\n" + text + "\n").encode()
    return (head + f"Content-Type: multipart/mixed; boundary=\"b{n}\"\n\n--b{n}\nContent-Type: text/plain\n\n{text}\n"
            f"--b{n}\nContent-Type: application/pdf; name=\"invoice.pdf\"\nContent-Disposition: attachment; filename=\"invoice.pdf\"\n"
            "Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(attachment).decode() + f"--b{n}--\n\n").encode()


def scan(office, path, **kw):
    return office.run("scan", path, "--json", timeout=120, **kw)


def test_a_mailbox_of_poison_pdfs_scans_to_the_end_and_again(office):
    """The receipts mailbox with the reported attachments among good receipts: the scan reads
    every message, records the good ones' charges, and a second scan (cron's next run) is quiet."""
    mbox = office.home / "receipts.mbox"
    poison = [CRAFTED["encrypt-P-23-digits"], CRAFTED["dict-ends-on-a-number"], CRAFTED["objstm-first-negative"]]
    mbox.write_bytes(message(11) + b"".join(message(20 + i, attachment=p) for i, p in enumerate(poison)) + message(12))
    r = scan(office, mbox)
    assert r.rc == 0, r
    assert r.json()["messages"] == 5, r
    amounts = office.sql("SELECT amount_minor FROM charges ORDER BY amount_minor").split()
    assert {"1100", "1200"} <= set(amounts), amounts
    again = scan(office, mbox)
    assert again.rc == 0, again
    assert again.json()["messages"] == 0, again


# Run once, on SQLite (make test): the mail date reader; the one charge it writes is an mbox scan's, run on PostgreSQL by test_scan.
@pytest.mark.backend_independent
@pytest.mark.parametrize("date", ["Thu, 26 Nov 9223372036854775807 10:00:00 +0000", "Thu, 26 Nov 2026 -9999999999999999:00:00 +0000",
                                  "26 Nov 2026 -999999999999999999:00 +0000", "26 Nov 999999999999999999 10:00 +0000"])
def test_dates_past_any_calendar_are_no_date(office, date):
    mbox = office.home / "dates.mbox"
    mbox.write_bytes(message(31, date=date))
    r = scan(office, mbox)
    assert r.rc == 0, r
    assert office.sql("SELECT amount_minor FROM charges").split() == ["3100"]


# Run once, on SQLite (make test): the token reader rejects the token before any ledger query.
@pytest.mark.backend_independent
@pytest.mark.parametrize("claim", ["nbf", "exp"])
def test_token_times_past_any_calendar_are_rejected_not_crashed(office, claim):
    """A token signed by the issuer whose nbf or exp is 2^63-1 (or -2^63) is rejected with a message."""
    f = Forge(office)
    for value in (2**63 - 1, -(2**63)):
        if claim == "exp" and value > 0:
            continue  # valid until the end of time: accepted, as any long-lived token is
        token = f.sign(claims=f.claims(**{claim: value}))
        path = office.home / "t.token"
        path.write_text(token)
        path.chmod(0o600)
        r = office.run("whoami", token=path)
        assert r.rc == 77, (claim, value, r)
        assert "token rejected" in r.err, r


# A poison message never stops a scan twice. Debug builds crash (a real trap, as a reader's bug
# is) or hang while reading a message holding OWATCH_TEST_CRASH_ON / OWATCH_TEST_HANG_ON; the
# scan after that must skip exactly that message, say why, raise a finding and read the rest.

STOPPED = "owatch stopped while reading this message"


def dying_scan(office, *args, env):
    """A scan that dies: run outside the harness, which rejects "Fatal error" on stderr."""
    e = dict(office.env)
    e.update(env)
    proc = subprocess.run([BIN, "scan", *[str(a) for a in args], "--json"], cwd=office.home, env=e, capture_output=True, text=True,
                          timeout=120)
    return proc


def findings(office, kind="unreadable"):
    return [f for f in office.ok("scan", "findings", "--json").json() if f["kind"] == kind]


def test_a_message_that_crashed_the_scan_is_skipped_by_the_next(office):
    mbox = office.home / "receipts.mbox"
    good = list(range(100, 250))
    poison_at = 137
    mbox.write_bytes(b"".join(message(n, body=f"Receipt number: FIG-{n:05d}\nTotal: ${n}.00\n" + ("POISON-PILL\n" if n == poison_at else ""))
                              for n in good))
    crash = {"OWATCH_TEST_CRASH_ON": "POISON-PILL"}
    died = dying_scan(office, mbox, env=crash)
    assert died.returncode in (-4, 132, -5, 133), (died.returncode, died.stderr[-2000:])
    # The next scan (cron's, same environment: the message would crash it again) reads to the end.
    r = office.run("scan", mbox, "--json", env=crash)
    assert r.rc == 0, r
    res = r.json()
    assert res["skipped"] == 1, res
    assert f"message {poison_at - 99} (byte" in r.err and STOPPED in r.err, r.err
    assert office.sql("SELECT count(*) FROM charges").strip() == str(len(good) - 1)
    assert str(poison_at * 100) not in office.sql("SELECT amount_minor FROM charges").split()
    stopped = office.sql("SELECT key, skipped FROM seen_items WHERE skipped IS NOT NULL").splitlines()
    assert len(stopped) == 1 and stopped[0].endswith("|" + STOPPED), stopped
    [f] = findings(office)
    assert f["status"] == "open" and STOPPED in f["summary"] and "it crashed" in f["summary"], f
    assert [x["id"] for x in res["findings"] if x["kind"] == "unreadable"] == [f["id"]]
    # And never again: the third scan has nothing to say.
    again = office.run("scan", mbox, "--json", env=crash)
    assert again.rc == 0 and again.json()["skipped"] == 0 and again.json()["messages"] == 0, again
    assert len(findings(office)) == 1


def test_a_maildir_file_that_crashed_the_scan_is_skipped_and_shown(office):
    maildir = office.home / "Maildir"
    for d in ("cur", "new", "tmp"):
        (maildir / d).mkdir(parents=True)
    for n in (41, 42, 43):
        extra = "POISON-PILL\n" if n == 42 else ""
        (maildir / "new" / f"{n}.eml").write_bytes(message(n, body=f"Receipt number: FIG-{n:05d}\nTotal: ${n}.00\n{extra}").split(b"\n", 1)[1])
    office.ok("scan", "source", "add", maildir)
    crash = {"OWATCH_TEST_CRASH_ON": "POISON-PILL"}
    died = dying_scan(office, env=crash)
    assert died.returncode != 0, died
    r = office.run("scan", "--json", env=crash)
    assert r.rc == 0, r
    assert r.json()["skipped"] == 1 and "42.eml" in r.err and STOPPED in r.err, r
    assert sorted(office.sql("SELECT amount_minor FROM charges").split()) == ["4100", "4300"]
    [f] = findings(office)
    assert "42.eml" in f["summary"], f
    # The source list counts it among what was passed over.
    [src] = office.ok("scan", "source", "list", "--json").json()
    assert src["skipped"] == 1, src
    assert office.run("scan", "--json", env=crash).json()["skipped"] == 0


def test_a_dry_run_after_a_crash_skips_the_message_and_writes_nothing(office):
    mbox = office.home / "receipts.mbox"
    mbox.write_bytes(message(51) + message(52, body="Total: $52.00\nPOISON-PILL\n") + message(53))
    crash = {"OWATCH_TEST_CRASH_ON": "POISON-PILL"}
    assert dying_scan(office, mbox, env=crash).returncode != 0
    dry = office.run("scan", mbox, "--dry-run", "--json", env=crash)
    assert dry.rc == 0 and dry.json()["skipped"] == 1, dry
    assert office.sql("SELECT count(*) FROM seen_items").strip() == "0"
    real = office.run("scan", mbox, "--json", env=crash)
    assert real.rc == 0 and real.json()["skipped"] == 1, real
    assert sorted(office.sql("SELECT amount_minor FROM charges").split()) == ["5100", "5300"]


def test_a_message_the_scan_was_killed_on_is_skipped_by_the_next(office):
    """kill -9 (a cron time limit, the OOM killer) while a message has been read for longer than a
    message may take: no signal handler runs, and that message is the suspect. (A kill at any other
    moment skips nothing: test_hardening's killed scan reads every message again.)"""
    office.ok("config", "set", "scan.message_timeout", "1s")
    mbox = office.home / "receipts.mbox"
    mbox.write_bytes(message(61) + message(62, body="Total: $62.00\nSLOW-PILL\n") + message(63))
    journal = office.beside(".scan.reading")
    e = dict(office.env)
    e["OWATCH_TEST_HANG_ON"] = "SLOW-PILL"
    proc = subprocess.Popen([BIN, "scan", str(mbox), "--json"], cwd=office.home, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            if journal.exists() and b"R" in journal.read_bytes()[:1] + journal.read_bytes()[1024:1025] + journal.read_bytes()[2048:2049] \
                    and b"message 2 " in journal.read_bytes():
                break
            time.sleep(0.1)
        time.sleep(3)  # past scan.message_timeout: what a reader stuck in a loop looks like
        assert proc.poll() is None, "the scan should still be reading the message"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    r = office.run("scan", mbox, "--json", env={"OWATCH_TEST_HANG_ON": "SLOW-PILL"}, timeout=60)
    assert r.rc == 0, r
    assert r.json()["skipped"] == 1 and "message 2 (byte" in r.err, r
    assert sorted(office.sql("SELECT amount_minor FROM charges").split()) == ["6100", "6300"]
    [f] = findings(office)
    assert "killed after reading it for" in f["summary"], f


def test_a_scan_killed_while_reading_quickly_skips_nothing(office):
    """Killed (or interrupted) a moment after a message was handed to a reader: that message
    is not to blame, and the next scan reads it."""
    mbox = office.home / "receipts.mbox"
    mbox.write_bytes(message(71) + message(72, body="Total: $72.00\nSLOW-PILL\n") + message(73))
    e = dict(office.env)
    e["OWATCH_TEST_HANG_ON"] = "SLOW-PILL"
    journal = office.beside(".scan.reading")
    proc = subprocess.Popen([BIN, "scan", str(mbox), "--json"], cwd=office.home, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not (journal.exists() and b"message 2 " in journal.read_bytes()):
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    r = office.run("scan", mbox, "--json", timeout=60)
    assert r.rc == 0 and r.json()["skipped"] == 0, r
    assert sorted(office.sql("SELECT amount_minor FROM charges").split()) == ["7100", "7200", "7300"]
    assert findings(office) == []


def test_a_statement_that_crashed_the_scan_is_skipped_whole(office):
    csv = office.home / "card.csv"
    csv.write_text("date,description,amount,currency\n2026-11-01,SLACK T0123 POISON-PILL,8.75,USD\n")
    crash = {"OWATCH_TEST_CRASH_ON": "POISON-PILL"}
    assert dying_scan(office, csv, env=crash).returncode != 0
    r = office.run("scan", csv, "--json", env=crash)
    assert r.rc == 0 and r.json()["skipped"] == 1 and STOPPED in r.err, r
    assert len(findings(office)) == 1
