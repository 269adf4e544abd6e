"""Issue 29: what anyone who can mail the inbox or sync the directory may not do — forged forwards
moving totals, data writing raw controls to a terminal through CSV or JSON, and absurd exchange
rates that make conversions overflow."""
import json
import os
import pty
import subprocess
import pytest

from conftest import BIN, read_until_closed

HOSTILE = "Sales\x1b]0;owned\x07\u202e\x9b2J\x7f"


def on_a_terminal(office, args):
    """stdout on a pseudo-terminal: (rc, the bytes the terminal received, with its CR LF as LF)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([BIN, *map(str, args)], cwd=office.home, env={**office.env, "NO_COLOR": "1"}, stdout=follower,
                            stderr=subprocess.PIPE)
    os.close(follower)
    seen = read_until_closed(leader)
    proc.wait(timeout=30)
    return proc.returncode, seen.replace(b"\r\n", b"\n")


# Run once, on SQLite (make test): output formats on a terminal; hostile names are written on PostgreSQL by test_hardening.
@pytest.mark.backend_independent
def test_csv_and_json_on_a_terminal_never_carry_raw_controls(office):
    office.add_user("bob", dept=HOSTILE)
    for args in (["user", "list", "--format", "csv"], ["user", "show", "bob", "--format", "csv"]):
        rc, seen = on_a_terminal(office, args)
        assert rc == 0, seen
        for bad in (b"\x1b", b"\x07", "\u202e".encode(), "\x9b".encode(), b"\x7f"):
            assert bad not in seen, (args, bad, seen)
        assert b"Sales^[]0;owned^G<U+202E><U+009B>2J^?" in seen, seen
    for args in (["user", "list", "--format", "json"], ["user", "list", "--format", "jsonl"],
                 ["user", "show", "bob", "--format", "json"], ["user", "show", "bob", "--format", "jsonl"]):
        rc, seen = on_a_terminal(office, args)
        assert rc == 0, seen
        for bad in (b"\x1b", b"\x07", "\u202e".encode(), "\x9b".encode(), b"\x7f"):
            assert bad not in seen, (args, bad, seen)
        text = seen.decode()
        # Still JSON, and it reads back the very same text.
        values = [json.loads(line) for line in text.splitlines()] if "jsonl" in args else [json.loads(text)]
        rows = [v for x in values for v in (x if isinstance(x, list) else [x])]
        assert HOSTILE in [r.get("dept") for r in rows], text


# Run once, on SQLite (make test): output formats to a pipe; hostile names are written on PostgreSQL by test_hardening.
@pytest.mark.backend_independent
def test_csv_and_json_to_a_pipe_stay_byte_exact(office):
    office.add_user("bob", dept=HOSTILE)
    for args in (["user", "list", "--format", "csv"], ["user", "show", "bob", "--format", "csv"]):
        out = subprocess.run([BIN, *args], cwd=office.home, env=office.env, capture_output=True).stdout
        assert HOSTILE.encode() in out and out.endswith(b"\r\n") and b"^M" not in out, out
    for args in (["user", "list", "--format", "json"], ["user", "show", "bob", "--format", "json"]):
        out = subprocess.run([BIN, *args], cwd=office.home, env=office.env, capture_output=True).stdout
        assert "\u202e\x9b2J\x7f".encode() in out, out          # JSON escapes only what it must
        parsed = json.loads(out)
        assert HOSTILE in [r.get("dept") for r in (parsed if isinstance(parsed, list) else [parsed])]


# --- Exchange rates: implausible ones are refused, conversions never overflow silently --------
# (Days after the built-in ECB rates end, 2026-10-30, so the ledger's own rates are the ones that count.)

def test_an_absurd_rate_is_refused_unless_forced(office):
    r = office.run("rate", "set", "JPY", "EUR", "1000000", "--on", "2026-11-02")      # 170,000x the built-in ECB rate
    assert r.rc == 1 and "1 JPY = 1000000 EUR" in r.err and "--force" in r.err, r
    assert office.ok("rate", "list", "--json").json() == []
    office.ok("rate", "set", "JPY", "EUR", "0.0064", "--on", "2026-11-02")
    # Against the pair's latest rate: 100x off, either direction, and through the inverse pair.
    for args in (["JPY", "EUR", "0.64"], ["JPY", "EUR", "0.00006"], ["EUR", "JPY", "1.56"], ["EUR", "JPY", "15600"]):
        r = office.run("rate", "set", *args, "--on", "2026-11-09")
        assert r.rc == 1 and "2026-11-02" in r.err and "10x" in r.err, (args, r)
    office.ok("rate", "set", "EUR", "JPY", "158.5", "--on", "2026-11-09")               # a real move is fine
    office.ok("rate", "set", "JPY", "EUR", "0.0065", "--on", "2026-11-02")              # a same-day correction too
    # A typo corrected on the same day: the typo is not its own reference.
    office.ok("rate", "set", "GBP", "EUR", "11.7", "--on", "2026-11-16", "--force")
    office.ok("rate", "set", "GBP", "EUR", "1.17", "--on", "2026-11-16")
    forced = office.ok("rate", "set", "CHF", "EUR", "1000000", "--on", "2026-11-16", "--force")
    assert forced.rc == 0
    events = [e for e in office.ok("audit", "log", "--action", "rate", "--json").json() if e["object"] == "rate:CHF/EUR"]
    assert len(events) == 1 and "forced" in json.dumps(events[0]), events                  # a forced rate is audited as such


# Run once, on SQLite (make test): the rate file reader refuses before any write.
@pytest.mark.backend_independent
def test_rate_import_refuses_an_implausible_rate_with_its_line(office):
    office.ok("rate", "set", "USD", "EUR", "0.92", "--on", "2026-11-02")
    plain = office.home / "rates.csv"
    plain.write_text("date,from,to,rate\n2026-11-03,USD,EUR,0.93\n2026-11-04,EUR,USD,1.07\n2026-11-05,USD,EUR,92\n")
    r = office.run("rate", "import", plain)
    assert r.rc == 1 and "line 4" in r.err and "1 USD = 92 EUR" in r.err and "--force" in r.err, r
    assert len(office.ok("rate", "list", "--all", "--json").json()) == 1                 # nothing was written
    ecb = office.home / "eurofxref.csv"
    ecb.write_text("Date, USD, JPY, \n05 November 2026, 1.09, 1600000, \n")
    r = office.run("rate", "import", ecb)
    assert r.rc == 1 and "EUR = 1600000 JPY" in r.err, r
    office.ok("rate", "import", plain, "--force")
    assert len(office.ok("rate", "list", "--all", "--json").json()) == 4


def test_a_conversion_too_large_is_an_error_not_a_missing_rate(office):
    office.ok("config", "set", "base_currency", "EUR")
    office.ok("license", "add", "Bar", "--vendor", "zoom", "--seats", "1", "--cost", "JPY 999999999999")
    office.sql("INSERT INTO rates(from_currency, to_currency, day, rate, source) VALUES ('JPY', 'EUR', '2026-12-01', '1000000', 'manual')")
    for args in (["report", "burn"], ["report", "summary"]):
        r = office.run(*args)
        assert r.rc == 65, (args, r)
        assert "too large to convert" in r.err and "JPY" in r.err and "no JPY→EUR rate" not in r.err, (args, r)


# --- Forged forwards: only the forwarder's word ----------------------------------------------

def forward(office, name, subject, original_from, body, forwarder="mallory@evil.example", mid=None):
    """A message `forwarder` sent to the inbox, claiming to forward `original_from`'s mail."""
    eml = office.home / "inbox" / f"{name}.eml"
    eml.parent.mkdir(exist_ok=True)
    eml.write_bytes((f"From: Mallory <{forwarder}>\nTo: accounts@acme.example\nSubject: Fwd: {subject}\n"
                     f"Date: Fri, 20 Nov 2026 08:00:00 +0000\nMessage-ID: <{mid or name}@evil.example>\n"
                     "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
                     f"FYI\n\n---------- Forwarded message ---------\nFrom: {original_from}\n"
                     f"Date: Tue, 17 Nov 2026 at 09:12\nSubject: {subject}\nTo: <accounts@acme.example>\n\n{body}").encode())
    return eml


def test_forged_forwards_wait_for_review_and_move_no_total(office):
    office.ok("rate", "set", "USD", "EUR", "0.92", "--on", "2026-11-02")   # the threshold is 500 EUR: USD compares at the rate
    real = office.home / "inbox" / "real.eml"
    real.parent.mkdir()
    real.write_bytes(b"From: Slack <feedback@slack.com>\nTo: accounts@acme.example\nSubject: Your Slack receipt\n"
                     b"Date: Mon, 16 Nov 2026 08:00:00 +0000\nMessage-ID: <real@slack.com>\n\n"
                     b"Receipt\nPro plan, billed monthly\nAmount paid: $20.00\n")
    forward(office, "credit", "Your Slack refund receipt", "Slack <feedback@slack.com>",
            "Receipt for your refund (credit note CN-1)\nAmount refunded: $20.00\n")
    forward(office, "big", "Your Zoom receipt", "Zoom <billing@zoom.us>",
            "Receipt\nInvoice number: INV-ZM-4999\nZoom Enterprise (Monthly)\nTotal $4,999.00\n")
    forward(office, "small", "Your Notion receipt", "Notion <team@makenotion.com>",
            "Receipt\nInvoice number: NTN-15\nNotion Plus (Monthly)\nAmount paid: $15.00\n")
    r = office.ok("scan", office.home / "inbox", "--json")
    run = r.json()
    assert run["charges"] == 2, run                                     # the real receipt and the small forward
    charges = office.ok("charge", "list", "--json").json()
    assert sorted(c["amount"] for c in charges) == [15.0, 20.0], charges   # no -20.00, no 4,999.00
    assert all(c["amount"] > 0 for c in charges)
    small = next(c for c in charges if c["vendor"] == "Notion")
    real_charge = next(c for c in charges if c["vendor"] == "Slack")
    assert small["forwarded_by"] == "mallory@evil.example" and real_charge["forwarded_by"] is None, charges
    shown = office.ok("charge", "show", str(small["id"]), "--json").json()
    assert shown["forwarded_by"] == "mallory@evil.example"
    assert "mallory@evil.example" in office.ok("charge", "show", str(small["id"])).out
    # The burn holds the real payment whole.
    burn = office.ok("report", "burn", "--from", "2026-11", "--to", "2026-11", "--json").json()
    assert sum(row["observed"] for row in burn if row.get("currency") == "USD") == 35.0, burn
    review = {f["vendor"]: f for f in office.ok("scan", "findings", "--kind", "review", "--json").json()}
    assert set(review) == {"Slack", "Zoom"}, review
    assert review["Slack"]["amount"] == -20.0 and "mallory@evil.example" in review["Slack"]["summary"], review
    assert review["Zoom"]["amount"] == 4999.0 and review["Zoom"]["charge_id"] is None, review
    assert {f["kind"] for f in run["findings"]} >= {"review"}
    # A rescan reads nothing new and holds nothing twice.
    again = office.ok("scan", office.home / "inbox", "--json").json()
    assert again["charges"] == 0 and again["new_findings"] == 0, again
    # The admin decides: the big one was real after all, the credit note is dropped.
    adopted = office.ok("scan", "adopt", str(review["Zoom"]["id"]), "--json").json()
    assert adopted["status"] == "adopted" and adopted["charge_id"], adopted
    zoom = office.ok("charge", "show", str(adopted["charge_id"]), "--json").json()
    assert (zoom["vendor"], zoom["amount"], zoom["forwarded_by"], zoom["invoice_no"]) == ("Zoom", 4999.0, "mallory@evil.example", "INV-ZM-4999")
    office.ok("scan", "ignore", str(review["Slack"]["id"]), "-m", "forged")
    assert sorted(c["amount"] for c in office.ok("charge", "list", "--json").json()) == [15.0, 20.0, 4999.0]
    assert office.run("scan", "adopt", str(review["Slack"]["id"])).rc == 1                 # closed stays closed
    # Scanning the same forwards again (new ids) with a higher threshold: the big one counts, the credit note never does.
    office.ok("config", "set", "scan.forward_review_above", "10000 USD")
    assert office.ok("config", "get", "scan.forward_review_above").out.strip().endswith("10000.00 USD")
    forward(office, "big2", "Your Zoom receipt", "Zoom <billing@zoom.us>",
            "Receipt\nInvoice number: INV-ZM-5000\nZoom Enterprise (Monthly)\nTotal $4,999.00\n")
    forward(office, "credit2", "Your Slack refund receipt", "Slack <feedback@slack.com>",
            "Receipt for your refund (credit note CN-2)\nAmount refunded: $20.00\n")
    run = office.ok("scan", office.home / "inbox", "--json").json()
    assert run["charges"] == 1 and [f["amount"] for f in run["findings"] if f["kind"] == "review"] == [-20.0], run


def test_forward_review_threshold_defaults_to_500_in_the_base_currency(office):
    assert office.run("config", "set", "scan.forward_review_above", "-5").rc == 64
    assert office.run("config", "set", "scan.forward_review_above", "lots").rc == 64
    forward(office, "a", "Your Zoom receipt", "Zoom <billing@zoom.us>", "Receipt\nInvoice number: INV-A1\nTotal €499.00\n")
    forward(office, "b", "Your Zoom receipt", "Zoom <billing@zoom.us>", "Receipt\nInvoice number: INV-B2\nTotal €501.00\n")
    run = office.ok("scan", office.home / "inbox", "--json").json()
    assert run["charges"] == 1 and [(f["kind"], f["amount"]) for f in run["findings"] if f["kind"] == "review"] == [("review", 501.0)], run
    # --fail-on-findings: a held forward is news for cron.
    forward(office, "c", "Your Zoom receipt", "Zoom <billing@zoom.us>", "Receipt\nInvoice number: INV-C3\nTotal €900.00\n")
    assert office.run("scan", office.home / "inbox", "--fail-on-findings").rc == 1
