"""Completion that knows the data (issue 14), in real bash, zsh and fish: the scripts ask
`owatch __complete`, which answers with license and user names, ids and option values."""
import shutil
import subprocess

import pytest

from conftest import BIN

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent


@pytest.fixture
def shop(office):
    bindir = office.home / "bin"
    bindir.mkdir()
    (bindir / "owatch").symlink_to(BIN)
    office.env["PATH"] = f"{bindir}:{office.env['PATH']}"
    office.ok("license", "add", "Adobe CC", "--vendor", "adobe", "--seats", "2", "--cost", "50")
    office.ok("license", "add", "Slack", "--vendor", "slack", "--seats", "5", "--cost", "40")
    office.bob = office.add_user("bob")
    office.ok("request", "new", "purchase", "Dock", "--cost", "99", token=office.bob)
    (office.home / "invoice.eml").write_text("Subject: x\n\nhi\n")
    return office


def complete(office, shell, line):
    """What SHELL offers for the command line LINE (the cursor at its end)."""
    words = line.split(" ")
    if shell == "bash":
        quoted = " ".join(f"'{w}'" for w in words)
        script = (f"source /etc/profile.d/bash_completion.sh 2>/dev/null; source {office.root}/completions/owatch.bash; "
                  f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; _owatch; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
        cmd = ["bash", "-c", script]
    elif shell == "zsh":
        quoted = " ".join(f"'{w}'" for w in words)
        # compadd filters by the word typed, as zsh's own does; _files lists the directory.
        script = ("compdef() { : }; compadd() { local c; for c in ${(P)2}; do [[ $c == ${words[CURRENT]}* ]] && print -r -- $c; done }; "
                  "_files() { print -l -- ${words[CURRENT]}*(N) }; "
                  f"source {office.root}/completions/_owatch; words=({quoted}); CURRENT={len(words)}; _owatch")
        cmd = ["zsh", "-f", "-c", script]
    else:
        cmd = ["fish", "--no-config", "-c", f"source {office.root}/completions/owatch.fish; complete -C '{line}'"]
    r = subprocess.run(cmd, cwd=office.home, env=office.env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return [l.split("\t")[0].replace("\\ ", " ") for l in r.stdout.splitlines() if l]


SHELLS = [s for s in ("bash", "zsh", "fish") if shutil.which(s)]


@pytest.fixture(autouse=True)
def root(shop):
    from conftest import ROOT
    shop.root = ROOT


@pytest.mark.parametrize("shell", SHELLS)
def test_license_and_user_names_and_ids(shop, shell):
    assert {"Adobe CC", "Slack"} <= set(complete(shop, shell, "owatch license show "))
    assert complete(shop, shell, "owatch license grow Sl") == ["Slack"]
    assert "bob" in complete(shop, shell, "owatch user role ")
    assert complete(shop, shell, "owatch user role bob ") == ["admin", "employee", "scanner"]
    assert "1" in complete(shop, shell, "owatch approve ")                       # the pending request
    assert "--wide" in complete(shop, shell, "owatch license list --")


@pytest.mark.parametrize("shell", SHELLS)
def test_option_values_and_a_leading_global_option(shop, shell):
    assert set(complete(shop, shell, "owatch report burn --by ")) == {"month", "vendor", "category", "dept", "user"}
    assert set(complete(shop, shell, "owatch --format ")) == {"table", "json", "jsonl", "csv"}
    # A global option first does not stop completion, and the token it names is the one used.
    assert {"Adobe CC", "Slack"} <= set(complete(shop, shell, f"owatch --token {shop.token} license show "))
    assert complete(shop, shell, f"owatch --token {shop.bob} user role ") in ([], ["admin", "employee", "scanner"])


@pytest.mark.parametrize("shell", SHELLS)
def test_paths_complete_file_names(shop, shell):
    for line in ("owatch login inv", "owatch license import inv", "owatch scan inspect inv", "owatch --token inv"):
        assert any(c.startswith("invoice.eml") for c in complete(shop, shell, line)), (shell, line)


def test_employees_are_offered_nothing_they_may_not_see(shop):
    out = subprocess.run([BIN, "__complete", "--token", str(shop.bob), "user", "role", ""], cwd=shop.home, env=shop.env,
                         capture_output=True, text=True).stdout
    assert out == ""                                                               # no people list for employees
    out = subprocess.run([BIN, "__complete", "--token", str(shop.bob), "request", "cancel", ""], cwd=shop.home, env=shop.env,
                         capture_output=True, text=True).stdout
    assert out.split() == ["1"]                                                    # their own pending request
