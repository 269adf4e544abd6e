"""Issue 29: what anyone who can mail the inbox or sync the directory may not do — forged forwards
moving totals, data writing raw controls to a terminal through CSV or JSON, and absurd exchange
rates that make conversions overflow."""
import json
import os
import pty
import subprocess

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

def test_an_absurd_rate_is_refused_unless_forced(office):
    r = office.run("rate", "set", "JPY", "EUR", "1000000", "--on", "2026-01-01")      # no JPY rate known: outside 1e-6…1e6
    assert r.rc == 1 and "1 JPY = 1000000 EUR" in r.err and "--force" in r.err, r
    assert office.ok("rate", "list", "--json").json() == []
    office.ok("rate", "set", "JPY", "EUR", "0.0064", "--on", "2026-01-01")
    # Against the pair's latest rate: 100x off, either direction, and through the inverse pair.
    for args in (["JPY", "EUR", "0.64"], ["JPY", "EUR", "0.00006"], ["EUR", "JPY", "1.56"], ["EUR", "JPY", "15600"]):
        r = office.run("rate", "set", *args, "--on", "2026-02-01")
        assert r.rc == 1 and "2026-01-01" in r.err and "10x" in r.err, (args, r)
    office.ok("rate", "set", "EUR", "JPY", "158.5", "--on", "2026-02-01")               # a real move is fine
    office.ok("rate", "set", "JPY", "EUR", "0.0065", "--on", "2026-01-01")              # a same-day correction too
    # A typo corrected on the same day: the typo is not its own reference.
    office.ok("rate", "set", "GBP", "EUR", "11.7", "--on", "2026-03-01", "--force")
    office.ok("rate", "set", "GBP", "EUR", "1.17", "--on", "2026-03-01")
    forced = office.ok("rate", "set", "CHF", "EUR", "1000000", "--on", "2026-03-01", "--force")
    assert forced.rc == 0
    events = [e for e in office.ok("audit", "log", "--action", "rate", "--json").json() if e["object"] == "rate:CHF/EUR"]
    assert len(events) == 1 and "forced" in json.dumps(events[0]), events                  # a forced rate is audited as such


def test_rate_import_refuses_an_implausible_rate_with_its_line(office):
    office.ok("rate", "set", "USD", "EUR", "0.92", "--on", "2026-01-01")
    plain = office.home / "rates.csv"
    plain.write_text("date,from,to,rate\n2026-01-02,USD,EUR,0.93\n2026-01-03,EUR,USD,1.07\n2026-01-04,USD,EUR,92\n")
    r = office.run("rate", "import", plain)
    assert r.rc == 1 and "line 4" in r.err and "1 USD = 92 EUR" in r.err and "--force" in r.err, r
    assert len(office.ok("rate", "list", "--all", "--json").json()) == 1                 # nothing was written
    ecb = office.home / "eurofxref.csv"
    ecb.write_text("Date, USD, JPY, \n05 January 2026, 1.09, 1600000, \n")
    r = office.run("rate", "import", ecb)
    assert r.rc == 1 and "EUR = 1600000 JPY" in r.err, r
    office.ok("rate", "import", plain, "--force")
    assert len(office.ok("rate", "list", "--all", "--json").json()) == 4


def test_a_conversion_too_large_is_an_error_not_a_missing_rate(office):
    office.ok("config", "set", "base_currency", "EUR")
    office.ok("license", "add", "Bar", "--vendor", "zoom", "--seats", "1", "--cost", "JPY 999999999999")
    office.ok("rate", "set", "JPY", "EUR", "1000000", "--on", "2026-01-01", "--force")
    for args in (["report", "burn"], ["report", "summary"]):
        r = office.run(*args)
        assert r.rc == 65, (args, r)
        assert "too large to convert" in r.err and "JPY" in r.err and "no JPY→EUR rate" not in r.err, (args, r)
