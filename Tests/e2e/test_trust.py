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
