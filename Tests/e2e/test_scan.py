"""owatch scan: mailboxes, Maildir, .eml, statements; incremental, locked, quiet; findings."""
import fcntl
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time

import pytest

from conftest import BIN, ROOT, read_until_closed

sys.path.insert(0, str(ROOT / "examples" / "mail"))
from make_examples import pdf_document as pdf  # noqa: E402  (the example mailbox's PDF writer)

EXAMPLES = ROOT / "examples"
MBOX = EXAMPLES / "mail" / "receipts.mbox"
MAKE = EXAMPLES / "mail" / "make_examples.py"
CARD = EXAMPLES / "statements" / "card.csv"


def charges(o):
    rows = o.sql("SELECT vendor, amount_minor, currency, charged_on FROM charges ORDER BY vendor, charged_on, amount_minor")
    return [tuple(r.split("|")) for r in rows.splitlines()]


def scan(o, *args, rc=0, token=None):
    r = o.run("scan", *args, "--json", token=token)
    assert r.rc == rc, r
    return r.json() if r.out.strip() else None


@pytest.fixture
def copy(office):
    dest = office.home / "receipts.mbox"
    shutil.copy(MBOX, dest)
    office.mbox = dest
    return office


def test_example_mailbox(copy):
    copy.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "8.75", "--per-seat")
    res = scan(copy, copy.mbox)
    assert res["messages"] == 44 and res["skipped"] == 0
    # 44 = 31 charges (one only in a PDF attachment) + the Zoom receipt delivered twice
    #      + 11 look-alikes from vendors + 1 mail from a colleague
    assert (res["charges"], res["already_seen"], res["not_charges"]) == (31, 1, 11)
    assert copy.sql("SELECT amount_minor, invoice_no, period FROM charges WHERE vendor = 'Asana'").strip() == "13188|ASN-2026-1107|yearly"
    kinds = [f["kind"] for f in copy.ok("scan", "findings", "--json").json()]
    assert kinds.count("price_change") == 1 and kinds.count("duplicate") == 1 and kinds.count("unmanaged") >= 20
    vendors = {c[0] for c in charges(copy)}
    assert len(vendors) >= 12
    # Look-alikes are not charges: no trial, webinar, newsletter, declined or sign-in mail became one.
    subjects = copy.sql("SELECT description FROM charges")
    for word in ["trial", "webinar", "What's new", "declined", "sign-in", "Payment failed", "50% off", "newsletter", "Testphase", "Lunch"]:
        assert word not in subjects
    slack = copy.ok("license", "show", "Slack", "--json").json()
    assert slack["name"] == "Slack"
    assert copy.sql("SELECT count(*) FROM charges WHERE license_id IS NOT NULL").strip() == "2"


def test_maildir_and_eml_give_the_same_charges(copy, tmp_path):
    scan(copy, copy.mbox)
    from_mbox = charges(copy)
    for layout in ["--maildir", "--eml"]:
        home = tmp_path / layout.strip("-")
        home.mkdir()
        from conftest import Office
        other = Office(home)
        other.ok("init", "--org", "Acme", "--admin", "alice")
        subprocess.run(["python3", str(MAKE), layout, str(home / "mail")], check=True)
        res = scan(other, home / "mail")
        assert res["skipped"] == 0
        assert charges(other) == from_mbox, layout


def test_rescan_reads_nothing_and_is_quiet(copy):
    scan(copy, copy.mbox)
    before = copy.sql("SELECT count(*) FROM charges") + copy.sql("SELECT count(*) FROM events")
    r = copy.ok("scan", copy.mbox)
    assert r.out == "" and r.err == ""              # cron mails only news
    res = scan(copy, copy.mbox)
    assert res["messages"] == 0 and res["charges"] == 0
    assert copy.sql("SELECT count(*) FROM charges") + copy.sql("SELECT count(*) FROM events") == before


def test_grown_mbox_reads_only_the_new_messages(copy):
    scan(copy, copy.mbox)
    extra = (b"From someone Thu Nov 26 10:00:00 2026\nFrom: Zoom <billing@zoom.us>\nSubject: Zoom Payment Receipt\n"
             b"Date: Wed, 02 Dec 2026 10:00:00 +0000\nMessage-ID: <grown-1@example>\n\nInvoice number: INV-ZM-990001\nTotal $15.99\n\n")
    with open(copy.mbox, "ab") as f:
        f.write(extra)
    res = scan(copy, copy.mbox)
    assert res["messages"] == 1 and res["charges"] == 1


def test_rewritten_mbox_is_read_again_without_duplicates(copy):
    scan(copy, copy.mbox)
    n = copy.sql("SELECT count(*) FROM charges")
    data = copy.mbox.read_bytes()
    copy.mbox.write_bytes(b"From x Thu Nov 26 10:00:00 2026\nSubject: hello\nMessage-ID: <new-head@x>\n\nhi\n\n" + data)
    res = scan(copy, copy.mbox)
    assert res["messages"] == 45 and res["already_seen"] == 44 and res["charges"] == 0
    assert copy.sql("SELECT count(*) FROM charges") == n


def test_one_scan_at_a_time(copy):
    copy.beside(".scan.lock").parent.mkdir(parents=True, exist_ok=True)
    lock = open(copy.beside(".scan.lock"), "a+")
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        r = copy.run("scan", copy.mbox)
        assert r.rc == 75 and "another scan" in r.err and "--wait" in r.err
        threading.Timer(1.0, lambda: fcntl.flock(lock, fcntl.LOCK_UN)).start()
        start = time.time()
        res = scan(copy, copy.mbox, "--wait")
        assert res["charges"] > 0 and time.time() - start >= 0.9
    finally:
        lock.close()


def test_two_scans_at_once(copy):
    procs = [subprocess.Popen([BIN, "scan", str(copy.mbox), "--json"], env=copy.env, cwd=copy.home, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    codes = sorted(p.wait(60) for p in procs)
    assert codes in ([0, 0], [0, 75])
    assert copy.sql("SELECT count(*) FROM charges").strip() == "31"


def test_fail_on_findings_and_dry_run(copy):
    r = copy.run("scan", copy.mbox, "--dry-run", "--json")
    assert r.rc == 0 and r.json()["charges"] == 31 and r.json()["dry_run"] is True
    assert copy.sql("SELECT count(*) FROM charges").strip() == "0"
    assert copy.sql("SELECT count(*) FROM findings").strip() == "0"
    r = copy.run("scan", copy.mbox, "--fail-on-findings")
    assert r.rc == 1 and "unmanaged" in r.out
    r = copy.run("scan", copy.mbox, "--fail-on-findings")
    assert r.rc == 0 and r.out == ""


def test_adopt_and_ignore(copy):
    scan(copy, copy.mbox)
    # One unmanaged finding per vendor and currency: Zoom was paid in USD and in JPY.
    by_currency = {(f["vendor"], f["currency"]): f for f in copy.ok("scan", "findings", "--kind", "unmanaged", "--json").json()}
    assert ("Zoom", "USD") in by_currency and ("Zoom", "JPY") in by_currency
    findings = {v: f for (v, c), f in by_currency.items() if (v, c) != ("Zoom", "JPY")}
    zoom = findings["Zoom"]
    r = copy.ok("scan", "adopt", str(zoom["id"]), "--json")
    assert r.json()["status"] == "adopted"
    lic = copy.ok("license", "show", "Zoom", "--json").json()
    assert lic["currency"] == "USD" and lic["cost_minor"] == 1599
    assert copy.sql("SELECT count(*) FROM charges WHERE vendor = 'Zoom' AND currency = 'USD' AND license_id IS NULL").strip() == "0"
    assert copy.sql("SELECT count(*) FROM charges WHERE vendor = 'Zoom' AND currency = 'JPY' AND license_id IS NULL").strip() == "1"
    copy.ok("license", "add", "Notion Team", "--vendor", "notion", "--seats", "5", "--cost", "$20")
    copy.ok("scan", "adopt", str(findings["Notion"]["id"]), "--as", "Notion Team")
    assert copy.sql("SELECT count(*) FROM charges c JOIN licenses l ON l.id = c.license_id WHERE l.name = 'Notion Team'").strip() == "1"
    assert copy.run("scan", "adopt", str(zoom["id"])).rc == 1
    # Another vendor's spend cannot be adopted into a license: its charges would move there.
    before = copy.sql("SELECT id, license_id FROM charges ORDER BY id")
    r = copy.run("scan", "adopt", str(findings["Datadog"]["id"]), "--as", "Notion Team")
    assert r.rc == 1 and "Datadog's spend" in r.err
    assert copy.sql("SELECT id, license_id FROM charges ORDER BY id") == before
    assert copy.run("scan", "ignore", str(findings["Hetzner"]["id"])).rc == 64
    ig = copy.ok("scan", "ignore", str(findings["Hetzner"]["id"]), "-m", "personal server, reimbursed", "--json").json()
    assert ig["status"] == "ignored" and ig["note"] == "personal server, reimbursed"
    open_vendors = {f["vendor"] for f in copy.ok("scan", "findings", "--json").json()}
    assert not {"Notion", "Hetzner"} & open_vendors
    assert len(copy.ok("scan", "findings", "--all", "--json").json()) > len(open_vendors)
    pc = [f for f in copy.ok("scan", "findings", "--kind", "duplicate", "--json").json()]
    assert copy.run("scan", "adopt", str(pc[0]["id"])).rc == 1


def test_scanner_role(copy):
    tok = copy.add_user("cron", role="scanner")
    res = scan(copy, copy.mbox, token=tok)
    assert res["charges"] == 31
    # A scanner sees counts of what its scan found, nothing of the inventory (issue 11).
    assert res["new_findings"] > 0 and "findings" not in res
    f = copy.ok("scan", "findings", "--json").json()[0]["id"]
    for argv in (["scan", "findings"], ["scan", "adopt", str(f)], ["scan", "ignore", str(f), "-m", "x"], ["scan", "source", "add", str(copy.mbox)],
                 ["license", "list"], ["user", "list"], ["request", "list"]):
        assert copy.run(*argv, token=tok).rc == 77, argv


def test_card_statement(office):
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "3", "--cost", "26.25")
    res = scan(office, CARD)
    got = {(c[0], c[1]) for c in charges(office)}
    assert ("Slack", "2625") in got and ("Zoom", "1599") in got and ("Amazon Web Services", "14237") in got
    assert ("OpenAI", "9000") in got and ("Notion", "2000") in got and ("Smartsheet", "900") in got
    assert res["charges"] == 9                      # lunch, taxi and office supplies are not software spend; the refund is a charge
    assert ("Slack", "-2625") in got                 # the refund line: a negative charge
    kinds = [f["kind"] for f in office.ok("scan", "findings", "--json").json()]
    assert "duplicate" in kinds                      # Airtable twice in two days
    assert scan(office, CARD)["charges"] == 0


# Run once, on SQLite (make test): statement readers (CSV dialects, --map); a card statement's charges land on PostgreSQL in test_card_statement.
@pytest.mark.backend_independent
def test_statement_formats_and_map(office):
    semi = office.home / "bank.csv"
    semi.write_text("Buchungstag;Empfänger;Soll;Haben;Währung\n03.11.2026;ZOOM.US 888-799;15,99;;USD\n04.11.2026;Gehalt;;3000,00;EUR\n")
    res = scan(office, semi)
    assert res["charges"] == 1 and charges(office) == [("Zoom", "1599", "USD", "2026-11-03")]
    odd = office.home / "odd.csv"
    odd.write_text("When,Who,How much\n11/28/2026,SLACK T01,-8.75\n")
    r = office.run("scan", odd)
    assert r.rc == 65 and "no date column" in r.err and "--map" in r.err
    res = scan(office, odd, "--map", "date=When,description=Who,amount=How much")
    assert res["charges"] == 1 and ("Slack", "875", "EUR", "2026-11-28") in charges(office)
    assert office.run("scan", odd, "--map", "colour=When").rc == 64
    assert office.run("scan", MBOX, "--map", "date=x").rc == 64


def test_sources_and_cron_mode(copy):
    r = copy.run("scan")
    assert r.rc == 1 and "scan source add" in r.err
    copy.ok("scan", "source", "add", copy.mbox)
    copy.ok("scan", "source", "add", CARD)
    assert copy.run("scan", "source", "add", copy.mbox).rc == 1
    assert [s["kind"] for s in copy.ok("scan", "source", "list", "--json").json()] == ["mbox", "statement"]
    res = scan(copy)
    # 31 from the mailbox + 9 card lines (the Slack refund among them), of which the Slack, Zoom and
    # Notion payments are the receipts' own: one charge each (issue 13), so 37.
    assert res["sources"] == 2 and res["charges"] == 37
    assert copy.ok("scan").out == ""
    copy.ok("scan", "source", "remove", CARD)
    assert [s["kind"] for s in copy.ok("scan", "source", "list", "--json").json()] == ["mbox"]
    assert copy.run("scan", "source", "remove", "/nope").rc == 1
    assert copy.run("scan", "/no/such/file").rc == 66


def test_post_scan_hook(copy):
    copy.install_hook("post-scan", f'cat > "{copy.home}/scan-event.json"\n')
    scan(copy, copy.mbox)
    event = json.loads((copy.home / "scan-event.json").read_text())
    assert event["event"] == "post-scan" and len(event["findings"]) >= 20 and event["charges"] == 31


# Run once, on SQLite (make test): hooks' pipes (a slow reader, a closed stdin); the scan's writes run on PostgreSQL in test_card_statement.
@pytest.mark.backend_independent
def test_big_events_reach_slow_hooks_and_deaf_hooks_do_not_kill_owatch(office):
    """An event larger than a pipe buffer is fed whole to a hook that reads slowly; a hook that
    exits without reading (closing its stdin) must not kill owatch with SIGPIPE."""
    hook = office.install_hook("post-scan", f'sleep 1\ncat > "{office.home}/scan-event.json"\n')
    rows = "".join(f"2026-11-10,SLACK T0A1B2C3 DUBLIN REF{i},-10.00,EUR\n" for i in range(400))
    (office.home / "dups.csv").write_text("Date,Description,Amount,Currency\n" + rows)
    res = scan(office, office.home / "dups.csv")
    assert res["charges"] == 400
    event = json.loads((office.home / "scan-event.json").read_text())
    assert len(json.dumps(event)) > 65536 and len(event["findings"]) == res["new_findings"] >= 399
    hook.write_text("#!/bin/sh\nexec 0<&-\nexit 0\n")
    (office.home / "more.csv").write_text("Date,Description,Amount,Currency\n" + rows.replace("REF", "AGAIN"))
    for _ in range(3):
        r = office.run("scan", office.home / "more.csv", "--json")
        assert r.rc == 0, r


# Run once, on SQLite (make test): where the progress line is drawn (a terminal or a pipe); 2,400 messages cost minutes on PostgreSQL and test no SQL.
@pytest.mark.backend_independent
def test_progress_line_on_a_terminal_only(office):
    """Long scans draw a progress line on stderr when it is a terminal, never into a pipe."""
    import pty
    path = office.home / "many.mbox"
    path.write_bytes(b"".join(receipt(n) for n in range(1, 1201)))
    piped = office.run("scan", path, timeout=300)  # 1,200 messages: over a minute on a loaded PostgreSQL runner
    assert piped.rc == 0 and "scanning" not in piped.err
    path2 = office.home / "more.mbox"
    path2.write_bytes(b"".join(receipt(n).replace(b"<good-", b"<more-") for n in range(1, 1201)))
    leader, follower = pty.openpty()
    proc = subprocess.run([BIN, "scan", str(path2)], cwd=office.home, env=office.env, stdout=subprocess.PIPE,
                          stderr=follower, timeout=300)
    os.close(follower)
    seen = read_until_closed(leader)
    assert proc.returncode == 0
    assert b"scanning more.mbox: 500 messages" in seen and b"\x1b[K" in seen


def with_pdf(n, attachment, ctype="application/pdf", name="invoice.pdf"):
    import base64
    return (f"From x Thu Nov 26 10:00:00 2026\nFrom: Figma <billing@figma.com>\nSubject: Your Figma invoice\n"
            f"Date: Thu, 26 Nov 2026 10:00:00 +0000\nMessage-ID: <pdf-{n}@x>\nMIME-Version: 1.0\n"
            f"Content-Type: multipart/mixed; boundary=\"p{n}\"\n\n--p{n}\nContent-Type: text/plain\n\n"
            f"Your invoice is attached. Thank you for your business.\n--p{n}\nContent-Type: {ctype}; name=\"{name}\"\n"
            f"Content-Disposition: attachment; filename=\"{name}\"\nContent-Transfer-Encoding: base64\n\n"
            + base64.encodebytes(attachment).decode() + f"--p{n}--\n\n").encode()


# Run once, on SQLite (make test): the PDF reader; scanned charges land on PostgreSQL in test_example_mailbox and test_scan_review.
@pytest.mark.backend_independent
def test_pdf_invoices_are_read(office):
    """Invoices attached as PDF: the text of FlateDecode and plain content streams is read
    (literal strings with escapes, octal and hex strings, TJ arrays); a decompression bomb and a
    corrupt stream are bounded and skipped, never a crash."""
    content = (b"BT /F1 18 Tf 72 770 Td (Figma Inc. \\(Invoice\\)) Tj ET\n"
               b"BT /F1 11 Tf 72 700 Td [(Invoice n) 10 (umber: FIG-2026-0042)] TJ ET\n"
               b"BT 72 680 Td (Professional plan, billed monthly) Tj ET\n"
               b"BT 72 660 Td (Subtotal) Tj 200 0 Td (\\04445.00) Tj ET\n"
               b"BT 72 640 Td [(Total)-3000<2434392E3030>] TJ ET\n"
               b"BT 72 620 Td (Amount paid) Tj 200 0 Td <2434392E3030> Tj ET\n")
    bomb = pdf(b"0" * 50_000_000)                      # inflates to 50 MB of nothing
    corrupt = pdf(content)[:-160] + b"garbage" * 10
    mbox = office.home / "pdf.mbox"
    mbox.write_bytes(with_pdf(1, pdf(content)) + with_pdf(2, bomb) + with_pdf(3, corrupt)
                     + with_pdf(4, pdf(content.replace(b"0042", b"0043").replace(b"2434392E3030", b"2435312E3030"), compress=False),
                                ctype="application/octet-stream"))
    res = scan(office, mbox)
    assert res["skipped"] == 0 and res["messages"] == 4
    rows = office.sql("SELECT invoice_no, amount_minor, currency, period FROM charges ORDER BY invoice_no").split()
    assert rows == ["FIG-2026-0042|4900|USD|monthly", "FIG-2026-0043|5100|USD|monthly"], rows
    eml = office.home / "one.eml"
    eml.write_bytes(with_pdf(5, pdf(content)).split(b"\n", 1)[1])
    shown = json.dumps(office.ok("scan", "inspect", eml, "--json").json())
    for line in ["Figma Inc. (Invoice)", "Invoice number: FIG-2026-0042", "Subtotal $45.00", "Total $49.00", "Amount paid $49.00"]:
        assert line in shown, (line, shown)


def receipt(n, body=None, extra_headers=""):
    return (f"From x Thu Nov 26 10:00:00 2026\nFrom: Sentry <noreply@sentry.io>\nSubject: Sentry receipt {n}\n"
            f"Date: Thu, 26 Nov 2026 10:00:00 +0000\nMessage-ID: <good-{n}@x>\n{extra_headers}\n"
            + (body or f"Receipt number: SNT-{n:05d}\nTotal: ${n}.00\n") + "\n").encode()


# Run once, on SQLite (make test): readers on hostile bytes; skipped items land on PostgreSQL in test_hardening's oversized Maildir file.
@pytest.mark.backend_independent
def test_hostile_input_is_skipped_and_counted(office):
    nested = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(100))
    parts = [
        receipt(1),
        b"\x00\xff\xfe binary junk between messages \x00\x01\x02\n" * 50,
        receipt(2),
        b"From x Thu Nov 26 10:00:00 2026\nFrom: Slack <feedback@slack.com>\nSubject: receipt\nMessage-ID: <b64@x>\nContent-Transfer-Encoding: base64\n\n!!!not base64@@@\n\n",
        b"From x Thu Nov 26 10:00:00 2026\nFrom: Slack <feedback@slack.com>\nSubject: receipt\nMessage-ID: <cs@x>\nContent-Type: text/plain; charset=x-klingon\n\nTotal: $5.00\n\n",
        b"From x Thu Nov 26 10:00:00 2026\nFrom: Slack <feedback@slack.com>\nSubject: receipt\nMessage-ID: <nb@x>\nContent-Type: multipart/mixed\n\n--x\nTotal: $5.00\n\n",
        ("From x Thu Nov 26 10:00:00 2026\nFrom: Slack <feedback@slack.com>\nSubject: receipt\nMessage-ID: <deep@x>\n" + nested + "\n").encode(),
        receipt(3),
        receipt(4, body="Receipt number: SNT-00004\nTotal: $4.00\n" + "x" * 80 + "\n"),
        receipt(5)[:60],                            # truncated at the end of the file
    ]
    path = office.home / "hostile.mbox"
    path.write_bytes(b"".join(parts))
    res = scan(office, path)
    assert res["skipped"] >= 1
    seen = office.sql("SELECT key FROM seen_items")
    for n in (1, 2, 3, 4):
        assert f"mid:<good-{n}@x>" in seen
    assert {c[1] for c in charges(office) if c[0] == "Sentry"} >= {"100", "200", "300", "400"}


# Run once, on SQLite (make test): the size bound of one message, skipped before any write.
@pytest.mark.backend_independent
def test_large_single_message(office):
    body = "Receipt number: SNT-77777\nTotal: $77.00\n" + ("filler line of a very long attachment\n" * 1_400_000)
    path = office.home / "big.mbox"
    path.write_bytes(receipt(77, body=body))
    assert path.stat().st_size > 50_000_000
    # Past scan.max_message_size (10240000 bytes by default, as Postfix): skipped and counted.
    res = scan(office, path)
    assert res["charges"] == 0 and res["skipped"] == 1, res
    assert scan(office, path)["skipped"] == 0           # remembered, not tried again
    office.ok("config", "set", "scan.max_message_size", "64M")
    again = office.home / "big-again.mbox"
    again.write_bytes(path.read_bytes())
    res = scan(office, again)          # the run helper's timeout bounds the time
    assert res["charges"] == 1


def mutate(rng, data):
    op = rng.choice(["truncate", "flip", "drop-boundary", "splice"])
    if op == "truncate":
        return data[: rng.randrange(1, max(2, len(data)))]
    if op == "flip":
        b = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        return bytes(b).replace(b"\nFrom ", b"\nFrXm ")
    if op == "drop-boundary":
        return data.replace(b"--alt-", b"--zzz-").replace(b"boundary=", b"bondary=")
    return data[: len(data) // 2] + data[len(data) // 3:]


# Run once, on SQLite (make test): the reader on mutated bytes; scans on PostgreSQL are test_scan's other tests.
@pytest.mark.backend_independent
def test_randomised_mutations_never_crash_and_keep_good_messages(office):
    raw = MBOX.read_bytes()
    messages = [b"From " + m for m in raw.split(b"\nFrom ")[1:]]
    messages[0:0] = [raw.split(b"\nFrom ")[0]]
    rng = random.Random(20261125)
    for round_ in range(6):
        out, intact = [], []
        for i, m in enumerate(messages):
            if rng.random() < 0.4:
                head, _, body = m.partition(b"\n")
                out.append(head + b"\n" + mutate(rng, body).replace(b"\nFrom ", b"\n>From ") + b"\n")
            else:
                out.append(m if m.endswith(b"\n") else m + b"\n")
                mid = [l for l in m.split(b"\n") if l.lower().startswith(b"message-id:")]
                if mid:
                    intact.append(mid[0].split(b":", 1)[1].strip().decode())
        path = office.home / f"mutated-{round_}.mbox"
        path.write_bytes(b"".join(out))
        start = time.time()
        r = office.run("scan", path, "--json", timeout=120)
        assert r.rc == 0, r
        assert time.time() - start < 60
        seen = office.sql("SELECT key FROM seen_items")
        for mid in intact:
            assert f"mid:{mid}" in seen, (round_, mid)


RECEIPT = ("From: {sender}\nTo: accounts@acme.example\nSubject: Your receipt\nDate: Mon, 02 Nov 2026 10:00:00 +0000\n"
           "Message-ID: <{mid}@example>\n\nNotion Plus\nTotal: $20.00\nAmount paid: $20.00\n")


def test_scanning_files_seen_before_says_so(office):
    for i in (1, 2):
        (office.home / f"{'ab'[i - 1]}.eml").write_text(RECEIPT.format(sender="Notion <billing@notion.so>", mid=f"m{i}"))
    office.ok("scan", "a.eml", "b.eml")
    seen = on_a_terminal(office, "scan", "a.eml", "b.eml")
    assert b"nothing new; 2 already seen" in seen, seen
    new = RECEIPT.format(sender="Notion <billing@notion.so>", mid="m3")
    (office.home / "c.eml").write_text(new)
    seen = on_a_terminal(office, "scan", "a.eml", "b.eml", "c.eml")
    assert b"1 new item(s)" in seen and b"2 already seen" in seen, seen
    quiet = office.ok("scan", "a.eml", "b.eml")             # cron (no terminal) mails only news
    assert quiet.out == "" and quiet.err == "", quiet
    assert office.ok("scan", "a.eml", "b.eml", "--json").json()["already_seen"] == 2


def on_a_terminal(office, *args):
    """What a person sees running owatch at a terminal (stdout and stderr on a pseudo-terminal)."""
    import pty
    import subprocess
    from conftest import read_until_closed
    leader, follower = pty.openpty()
    proc = subprocess.Popen([BIN, *map(str, args)], cwd=office.home, env=office.env,
                            stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    seen = read_until_closed(leader)
    assert proc.wait(timeout=60) == 0, seen
    return seen


SENDERS = [
    "Notion Labs, Inc. <billing@notion.so>",
    "Smith, John <billing@notion.so>",
    '"Notion Labs, Inc." <billing@notion.so>',
    "Notion <billing@notion.so>",
    "billing@notion.so (Notion Labs, Inc.)",
    "<billing@notion.so>",
    "Notion Labs, Inc. <billing@notion.so>, Other <other@example.org>",
    "=?utf-8?q?Notion_Labs=2C_Inc=2E?= <billing@notion.so>",
]


# Run once, on SQLite (make test): the mail header reader.
@pytest.mark.backend_independent
def test_an_unquoted_comma_in_the_senders_name_keeps_the_sender(office):
    """Python's email.utils is the reference for the addresses (getaddresses finds billing@… in
    each); its parseaddr gives up on the unquoted comma ('Notion'), as owatch did. owatch reads the
    phrase before the comma as part of the name, as mail clients show it."""
    from email.utils import getaddresses, parseaddr
    for i, sender in enumerate(SENDERS):
        eml = office.home / f"s{i}.eml"
        eml.write_text(RECEIPT.format(sender=sender, mid=f"s{i}"))
        r = office.ok("scan", "inspect", eml, "--json").json()
        assert r["vendor"] == "Notion" and r["amount_minor"] == 2000, (sender, r)
        ours = [a for _, a in getaddresses([r["from"]]) if "@" in a]
        python = [a for _, a in getaddresses([sender]) if "@" in a]
        if "=?" not in sender:
            assert ours == python, (sender, r["from"])
    assert parseaddr(SENDERS[0])[1] == "Notion"              # the reference's own reading of it
    shown = office.ok("scan", "inspect", office.home / "s0.eml", "--json").json()["from"]
    assert getaddresses([shown]) == [("Notion Labs, Inc.", "billing@notion.so")], shown
    shown = office.ok("scan", "inspect", office.home / "s1.eml", "--json").json()["from"]
    assert getaddresses([shown]) == [("Smith, John", "billing@notion.so")], shown


# Run once, on SQLite (make test): scan inspect (a reader); writes nothing.
@pytest.mark.backend_independent
def test_scan_inspect_of_empty_or_binary_files(office):
    empty = office.home / "empty.eml"
    empty.write_bytes(b"")
    binary = office.home / "bin.eml"
    binary.write_bytes(bytes(range(256)) * 8)
    for f, why in ((empty, "it is empty"), (binary, "it is binary")):
        r = office.run("scan", "inspect", f)
        assert r.rc == 65 and "is not an email message" in r.err and why in r.err, r
