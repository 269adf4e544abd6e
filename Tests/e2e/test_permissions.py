"""Roles: employees and scanners are refused every admin command with exit 77."""
import pytest

ADMIN_COMMANDS = [
    ["user", "add", "zed", "--role", "employee"], ["user", "list"], ["user", "show", "alice"],
    ["user", "role", "alice", "employee"], ["user", "token", "alice"], ["user", "offboard", "alice"],
    ["token", "list"], ["token", "revoke", "abcdefghijklmnopqrstuv"], ["config", "get", "token.ttl"],
    ["config", "set", "token.ttl", "1d"], ["config", "unset", "token.ttl"], ["config", "list"],
    ["audit", "log"], ["audit", "verify"], ["audit", "seal"], ["doctor"], ["backup", "x.db"],
]


@pytest.fixture
def tokens(office):
    return {"employee": office.add_user("bob"), "scanner": office.add_user("cron", role="scanner")}


@pytest.mark.parametrize("role", ["employee", "scanner"])
def test_non_admins_denied_every_admin_command(office, tokens, role):
    before = office.sql("SELECT count(*) FROM events")
    for argv in ADMIN_COMMANDS:
        r = office.run(*argv, token=tokens[role])
        assert r.rc == 77, (argv, r)
        assert f"is {role}" in r.err and "needs admin" in r.err
        assert r.out == ""
    assert office.sql("SELECT count(*) FROM events") == before
    assert not (office.home / "x.db").exists()


@pytest.mark.parametrize("role", ["employee", "scanner"])
def test_everyone_may_ask_who_they_are(office, tokens, role):
    assert office.ok("whoami", "--json", token=tokens[role]).json()["role"] == role
    assert office.ok("token", "jwk", token=tokens[role]).json()["kty"] == "OKP"
