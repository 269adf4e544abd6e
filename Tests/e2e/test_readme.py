"""The README runs as written (issue 33): every ```sh block is either an example, run here in order
in one scratch office with the expected exit code of each command, or names the test that runs it.

A block is an example when the line before it is `<!-- doctest -->`; a command's expected exit code,
when it is not 0, is its comment: `owatch login bob.token   # exit 1: …`. Lines ending in `\\` go on
to the next; comment lines are skipped. The files a reader would have (a mailbox, a card statement,
a directory export) are put where the README names them before the examples run."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, ROOT, trapped

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

README = ROOT / "README.md"
EXAMPLE = "<!-- doctest -->"
RUN_ELSEWHERE = re.compile(r"<!-- not a doctest: (.+?) -->")
EXIT = re.compile(r"\s#\s*exit (\d+)\b")


def blocks(text):
    """(line number, marker line, body) of every ```sh block, in order."""
    lines = text.split("\n")
    found, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```sh":
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            end = lines.index("```", i + 1)
            found.append((i + 2, lines[j].strip() if j >= 0 else "", lines[i + 1:end]))
            i = end
        i += 1
    return found


def commands(start, body):
    """(line number, command, expected exit code) of a block's commands."""
    out, pending, first = [], "", None
    for n, line in enumerate(body, start):
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if first is None:
            first = n
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        full = pending + line
        m = EXIT.search(full)
        out.append((first, full, int(m.group(1)) if m else 0))
        pending, first = "", None
    return out


def test_every_sh_block_is_an_example_or_names_the_test_that_runs_it():
    for line, marker, _ in blocks(README.read_text()):
        assert marker == EXAMPLE or RUN_ELSEWHERE.fullmatch(marker), \
            f"README.md:{line}: a ```sh block needs {EXAMPLE} before it, or <!-- not a doctest: WHAT RUNS IT -->"
    for line, marker, _ in blocks(README.read_text()):
        m = RUN_ELSEWHERE.fullmatch(marker)
        for name in re.findall(r"Tests/e2e/test_\w+\.py", m.group(1) if m else ""):
            assert (ROOT / name).exists(), f"README.md:{line} names {name}, which does not exist"


def scratch_office(home: Path):
    """What a reader has at hand when they follow the README: the example mailbox and card
    statement, a Google Workspace download, Slack's member export and the ECB's rate history
    (the layouts; examples/ has them), and an ssh that reaches the office server (here a stand-in
    that runs the request on this machine, as this account)."""
    ex = ROOT / "examples"
    (home / "Mail").mkdir(parents=True)
    shutil.copy(ex / "mail/receipts.mbox", home / "Mail/receipts.mbox")
    first = (ex / "mail/receipts.mbox").read_text().split("\nFrom ", 1)[0]
    (home / "receipt.eml").write_text(first.split("\n", 1)[1])          # one message, as a mail client saves it
    (home / "statements").mkdir()
    card = (ex / "statements/card.csv").read_text().split("\n", 1)
    (home / "statements/company-card.csv").write_text("Booked,Payee,Amount,Currency\n" + card[1])
    for name in ("people/google-users.csv", "people/slack-members.csv", "rates/eurofxref-hist.csv"):
        shutil.copy(ex / name, home / Path(name).name)
    (home / "from-excel.csv").write_bytes(                   # what Excel saves: ; 1.234,56 Windows-1252
        "name;vendor;plan;seats;cost;period;renews_on\r\nMiro;miro;Büro;5;1.234,56;yearly;01/03/2027\r\n".encode("cp1252"))
    (home / "licenses.csv").write_text("name,vendor,seats,cost,period,renews_on\nLinear,linear,8,64.00,monthly,2027-02-01\n")
    bin_dir = home / ".bin"
    bin_dir.mkdir()
    os.symlink(BIN, bin_dir / "owatch")
    ssh = bin_dir / "ssh"
    ssh.write_text('#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done\nshift 2\nexec "$@"\n')
    ssh.chmod(0o755)
    return {"HOME": str(home), "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}", "LANG": "C.UTF-8", "TZ": "UTC"}


@pytest.mark.skipif(not shutil.which("jq"), reason="the README pipes into jq")
def test_the_readme_runs_as_written(tmp_path):
    env = scratch_office(tmp_path)
    ran = 0
    for start, marker, body in blocks(README.read_text()):
        if marker != EXAMPLE:
            continue
        for line, command, expected in commands(start, body):
            proc = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=120)
            with open(tmp_path / "transcript.txt", "a") as t:     # what a reader would see, for a failing run
                t.write(f"$ {command}\n{proc.stdout}{proc.stderr}[exit {proc.returncode}]\n\n")
            assert not trapped(proc.stderr), proc.stderr
            assert proc.returncode == expected, (
                f"README.md:{line}: `{command}` exited {proc.returncode}, the README says {expected}\n"
                f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}")
            ran += 1
    assert ran >= 40, f"only {ran} README commands ran"
