"""owatch --remote over a real sshd on 127.0.0.1 (no mocks): the same bytes, exit codes and files as
a local run, nothing reaching a shell, the forced command refusing everything else."""
import json
import os
import shutil
import struct
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import BIN, Office
from sshd_harness import SSHServer, available

pytestmark = [pytest.mark.skipif(not available(), reason="needs openssh-server and openssh-client (.ci/deps --test installs them)"),
              # Every scenario runs on both backends here (the `office` fixture's params), so once is enough.
              pytest.mark.backend_independent]

if os.environ.get("CI") and not available():
    raise RuntimeError("CI must run the remote tests: install openssh-server and openssh-client")


@pytest.fixture(scope="module")
def cluster():
    import pg
    yield from pg.throwaway_cluster()


def serve_postgres(request, server):
    """The server's ledger on PostgreSQL (issue 35): a fresh database (the one OWATCH_TEST_LEDGER
    gave, else one on a throw-away cluster), named in the account's server.conf as the ledger it
    serves by default, as an administrator would set it up (sshd passes no OWATCH_LEDGER)."""
    if not server.ledger_url:
        import pg
        server.ledger_url = pg.fresh_database(request.getfixturevalue("cluster").url(password="s3cret-pw"))
        server.env["OWATCH_LEDGER"] = server.ledger_url
    conf = server.home / ".config/owatch/server.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(f"# the office ledger\ndefault = {server.ledger_url}\n")
    os.chmod(conf, 0o600)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    """The office server (an owatch ledger in its own HOME, a file or a PostgreSQL database)
    behind sshd, and a laptop (another HOME) holding a copy of the admin's token and nothing else."""
    root = tmp_path_factory.mktemp("remote")
    server = Office(root / "server")
    server.home.mkdir()
    if request.param == "postgresql" or server.ledger_url:
        serve_postgres(request, server)
    assert server.run("init", "--org", "Acme GmbH", "--admin", "alice", "--currency", "EUR").rc == 0
    server.ok("license", "add", "Slack", "--vendor", "Slack", "--seats", "10", "--cost", "80.00", "--period", "monthly")
    server.ok("license", "add", "GitHub", "--vendor", "GitHub", "--seats", "5", "--cost", "1200 USD", "--period", "yearly")
    server.add_user("bob")
    sshd = SSHServer(root, BIN, server.home)
    laptop = Office(root / "laptop")
    laptop.home.mkdir()
    laptop.token.parent.mkdir(parents=True)
    shutil.copy(server.token, laptop.token)
    os.chmod(laptop.token, 0o600)
    shutil.copy(server.home / "bob.token", laptop.home / "bob.token")
    laptop.env.update({"OWATCH_REMOTE": sshd.url, "OWATCH_SSH_OPTS": sshd.options()})
    yield server, laptop, sshd
    sshd.stop()


def as_sent_back(server, text):
    """What a local run's output looks like from a laptop: the server's paths are never sent, nor
    a PostgreSQL ledger's URL (as written or with its password hidden) or socket folder."""
    if server.ledger_url:
        for form in (server.ledger_url, redacted(server.ledger_url)):
            text = text.replace(form, "the office ledger")
        text = text.replace(socket_folder(server.ledger_url), "the office ledger's server")
    return text.replace(str(server.ledger), "the office ledger").replace(str(server.ledger.parent), "the office ledger's folder") \
        .replace(str(server.home), "~")


def redacted(url):
    head, at, tail = url.partition("@")
    scheme, _, auth = head.partition("://")
    return f"{scheme}://{auth.split(':')[0]}:***@{tail}" if at and ":" in auth else url


def socket_folder(url):
    from urllib.parse import unquote
    return unquote(url.partition("host=")[2].partition("&")[0]) or "\0"


def leaks(server, text):
    """Whatever of the server's ledger a client must never see, found in `text`."""
    secrets = [str(server.home)]
    if server.ledger_url:
        secrets += [server.ledger_url, redacted(server.ledger_url), socket_folder(server.ledger_url), "s3cret-pw", "postgresql://"]
    return [s for s in secrets if s in text]


def test_every_format_is_byte_identical(served):
    server, laptop, _ = served
    for command in (["whoami"], ["license", "list"], ["user", "list"], ["license", "show", "Slack"], ["report", "burn"],
                    ["config", "list"], ["audit", "log"]):
        for fmt in ("table", "json", "jsonl", "csv"):
            local = server.run(*command, "--format", fmt)
            remote = laptop.run(*command, "--format", fmt)
            assert (remote.rc, remote.out, remote.err) == (local.rc, as_sent_back(server, local.out), as_sent_back(server, local.err)), \
                (command, fmt, remote)
            assert not leaks(server, remote.out + remote.err), (command, fmt)
    # OWATCH_FORMAT travels too
    assert laptop.run("license", "list", env={"OWATCH_FORMAT": "csv"}).out == server.run("license", "list", env={"OWATCH_FORMAT": "csv"}).out


def test_exit_codes_and_messages_match(served):
    server, laptop, _ = served
    for command in (["license", "show", "Nope"], ["license", "add"], ["user", "add", "x", "--role", "wizard"], ["licence", "list"]):
        local, remote = server.run(*command), laptop.run(*command)
        assert (remote.rc, remote.out, remote.err) == (local.rc, local.out, local.err), command
        assert remote.rc != 0


def test_employee_is_refused_remotely(served):
    server, laptop, _ = served
    r = laptop.run("--token", laptop.home / "bob.token", "user", "list")
    assert r.rc == 77 and "needs admin" in r.err
    assert laptop.run("--token", laptop.home / "bob.token", "whoami", "--json").json()["user"] == "bob"


def test_input_files_are_read_on_the_client(served):
    server, laptop, _ = served
    csv = laptop.home / "more.csv"
    csv.write_text("name,vendor,seats,cost,period\nFigma,Figma,3,45.00,monthly\n")
    assert not (server.home / "more.csv").exists()
    r = laptop.ok("license", "import", "more.csv")
    assert "Imported 1 license" in r.err
    assert any(l["name"] == "Figma" for l in laptop.ok("license", "list", "--json").json())
    missing = laptop.run("license", "import", "nope.csv")
    assert missing.rc == 66 and "nope.csv" in missing.err


def test_standard_input_streams_through(served):
    _, laptop, _ = served
    r = laptop.run("license", "import", "-", input="name,vendor,seats,cost,period\nNotion,Notion,4,32.00,monthly\n")
    assert r.rc == 0, r
    assert any(l["name"] == "Notion" for l in laptop.ok("license", "list", "--json").json())


def test_output_files_are_written_on_the_client_with_their_modes(served):
    server, laptop, sshd = served
    r = laptop.ok("user", "add", "carol", "--role", "employee", "--token-out", "carol.token")
    token = laptop.home / "carol.token"
    assert token.exists() and (token.stat().st_mode & 0o777) == 0o600
    assert "carol.token" in r.err and "owatch-remote" not in r.err            # the user's name for it, not the server's
    again = laptop.run("user", "add", "dave", "--role", "employee", "--token-out", "carol.token")
    local = server.run("user", "add", "dave", "--role", "employee", "--token-out", server.home / "bob.token")
    assert again.rc == local.rc != 0 and "does not overwrite token files" in again.err
    laptop.ok("report", "html", "--out", "dash.html")
    html = (laptop.home / "dash.html").read_text()
    assert html.lower().startswith("<!doctype html") and "Slack" in html
    if not server.ledger_url:     # a PostgreSQL ledger's backup is pg_dump's (issue 35), not a file copy
        laptop.ok("backup", "copy.db")
        assert subprocess.run(["sqlite3", str(laptop.home / "copy.db"), "SELECT count(*) FROM licenses"], capture_output=True, text=True).stdout.strip()
        assert laptop.run("backup", "copy.db").rc == server.run("backup", server.home / "bob.token").rc != 0   # exists: refused, as locally
    assert not any(sshd.tmp.iterdir()), "the server's working directories are removed"


def test_token_renew_replaces_the_clients_token(served):
    server, laptop, _ = served
    before = laptop.token.read_text()
    laptop.ok("token", "renew")
    after = laptop.token.read_text()
    assert after != before and (laptop.token.stat().st_mode & 0o777) == 0o600
    assert laptop.ok("whoami", "--json").json()["user"] == "alice"
    shutil.copy(laptop.token, server.token)             # the old one is revoked: the server's own runs need the new one
    # logout removes the laptop's token; login checks a token file against the office ledger and installs it here
    saved = laptop.home / "saved.token"
    shutil.copy(laptop.token, saved)
    laptop.ok("logout")
    assert not laptop.token.exists()
    assert laptop.run("login", "saved.token").rc == 0
    assert laptop.token.read_text() == after and (laptop.token.stat().st_mode & 0o777) == 0o600
    assert laptop.ok("whoami", "--json").json()["user"] == "alice"


def test_arguments_full_of_shell_metacharacters_arrive_intact(served):
    server, laptop, _ = served
    canary = Path(f"/tmp/owatch-pwned-{os.getpid()}")
    name = f"x; touch {canary}; $(touch {canary}) `touch {canary}` ' \" \\ | & > <"
    r = laptop.run("license", "add", name, "--vendor", "Acme Tools", "--seats", "1", "--cost", "1.00", "--period", "monthly")
    assert r.rc == 0, r
    names = [l["name"] for l in laptop.ok("license", "list", "--json").json()]
    assert name in names and not canary.exists()
    # A new line in an argument reaches the command as it is: the same refusal as locally.
    for args in (["license", "add", "two\nlines", "--vendor", "V", "--seats", "1", "--cost", "1.00", "--period", "monthly"],
                 ["license", "show", "a\nb; rm -rf /"]):
        local, remote = server.run(*args), laptop.run(*args)
        assert (remote.rc, remote.out, remote.err) == (local.rc, local.out, local.err), args
    assert not canary.exists()


def test_a_dropped_connection_exits_74(served, tmp_path):
    _, laptop, sshd = served
    dropper = tmp_path / "dropping-ssh"
    dropper.write_text('#!/bin/sh\nssh "$@" | head -c 12\n')         # the link dies a few bytes in
    dropper.chmod(0o755)
    r = laptop.run("license", "list", env={"OWATCH_SSH": str(dropper)})
    assert r.rc == 74 and "lost the connection" in r.err
    nowhere = laptop.run("whoami", env={"OWATCH_REMOTE": "ssh://127.0.0.1:1", "OWATCH_SSH_OPTS": sshd.options() + " -o ConnectTimeout=5"})
    assert nowhere.rc == 74 and "could not reach 127.0.0.1:1" in nowhere.err


def test_a_postgresql_ledger_is_chosen_by_its_database_and_never_named(served):
    server, laptop, sshd = served
    if not server.ledger_url:
        pytest.skip("the server's ledger is a file here")
    database = server.ledger_url.partition("://")[2].partition("/")[2].partition("?")[0]
    assert laptop.ok("whoami", "--json", env={"OWATCH_REMOTE": f"{sshd.url}/{database}"}).json()["user"] == "alice"
    # A served database the server cannot reach: the failure is told, never where the server is.
    conf = server.home / ".config/owatch/server.conf"
    before = conf.read_text()
    gone = server.ledger_url.replace(f"/{database}", "/owt_not_there")
    try:
        conf.write_text(before + f"ledger = {gone}\n")
        r = laptop.run("whoami", env={"OWATCH_REMOTE": f"{sshd.url}/owt_not_there"})
        assert r.rc == 69 and "cannot connect to the PostgreSQL ledger /owt_not_there" in r.err, r
        assert not leaks(server, r.out + r.err) and "owt_not_there?" not in r.err, r.err
        other = laptop.run("whoami", env={"OWATCH_REMOTE": f"{sshd.url}/postgres"})
        assert other.rc == 77 and "does not serve a ledger at '/postgres'" in other.err
    finally:
        conf.write_text(before)


def test_the_forced_command_refuses_anything_else(served):
    _, _, sshd = served
    r = sshd.ssh("ls", "/", key="forced", capture_output=True, text=True, timeout=30)
    assert r.returncode == 77 and "runs only owatch requests, not 'ls /'" in r.stderr and r.stdout == ""
    r = sshd.ssh(key="forced", capture_output=True, timeout=30, input=b"")
    assert r.returncode != 0 and b"not an owatch remote request" in r.stdout    # a hello, then the refusal, framed


def test_two_remote_writers_at_once(served):
    _, laptop, _ = served
    results = {}

    def add(name):
        results[name] = laptop.run("license", "add", name, "--vendor", "Acme Tools", "--seats", "2", "--cost", "2.00", "--period", "monthly")

    threads = [threading.Thread(target=add, args=(f"Parallel {i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.rc == 0 for r in results.values()), results
    names = {l["name"] for l in laptop.ok("license", "list", "--json").json()}
    assert {f"Parallel {i}" for i in range(4)} <= names
    laptop.ok("audit", "verify")


def raw_request(sshd, header: dict, protocol=1):
    """A request as a hostile or foreign client would send it, straight through ssh."""
    body = json.dumps(header).encode()
    data = f"OWATCH-REMOTE {protocol}\n".encode() + struct.pack(">I", len(body)) + body
    r = sshd.ssh("owatch", "remote-exec", key="forced", input=data, capture_output=True, timeout=30)
    frames, out = [], r.stdout
    while len(out) >= 5:
        kind, n = out[0:1].decode(), struct.unpack(">I", out[1:5])[0]
        frames.append((kind, out[5:5 + n]))
        out = out[5 + n:]
    return frames


def test_a_request_cannot_name_the_servers_files(served):
    server, laptop, sshd = served
    token = laptop.token.read_text()
    # The issuer key stands in for an admin with --key PATH: a path on the server must not be accepted.
    header = {"protocol": 1, "client": "evil", "token": None, "slots": [],
              "arguments": ["user", "add", "mallory", "--role=admin", f"--key={server.key}", "--"]}
    frames = raw_request(sshd, header)
    assert frames[0][0] == "h" and frames[-1] == ("x", struct.pack(">I", 1))
    assert b"not one an owatch client sends" in b"".join(p for k, p in frames if k == "e")
    assert "mallory" not in server.ok("user", "list").out
    # --ledger and init are refused the same way
    for args in (["whoami", "--ledger=/etc/passwd", "--"], ["init", "--org=X", "--admin=y", "--"]):
        frames = raw_request(sshd, {"protocol": 1, "client": "evil", "token": token, "slots": [], "arguments": args})
        assert frames[-1][0] == "x" and frames[-1][1] != struct.pack(">I", 0), args


def test_protocol_versions_say_which_end_to_upgrade(served, tmp_path):
    _, laptop, sshd = served
    frames = raw_request(sshd, {}, protocol=2)
    hello = json.loads(frames[0][1])
    assert hello["protocol"] == 1 and "version" in hello
    assert b"upgrade owatch on the server" in frames[1][1]
    # A server that is not owatch (or too old to know remote-exec): the client says so.
    fake = tmp_path / "old-server"
    fake.write_text("#!/bin/sh\ncat >/dev/null; echo \"owatch: error: unknown command 'remote-exec'\" >&2; exit 64\n")
    fake.chmod(0o755)
    r = laptop.run("whoami", env={"OWATCH_REMOTE": "sudo://nobody", "OWATCH_SUDO": str(fake)})
    assert r.rc != 0 and "unknown command 'remote-exec'" in r.err


def test_owatch_shell_as_a_login_shell(served, tmp_path):
    server, _, _ = served
    link = tmp_path / "owatch-shell"
    link.symlink_to(BIN)
    r = subprocess.run([str(link)], capture_output=True, text=True, env=server.env)
    assert r.returncode == 77 and "no interactive shell" in r.stderr
    r = subprocess.run([str(link), "-c", "cat /etc/shadow"], capture_output=True, text=True, env=server.env)
    assert r.returncode == 77 and "not 'cat /etc/shadow'" in r.stderr
    r = subprocess.run([BIN, "shell", "-c", "rm -rf /"], capture_output=True, text=True, env=server.env)
    assert r.returncode == 77
    r = subprocess.run([str(link), "-c", "owatch remote-exec"], capture_output=True, env=server.env, input=b"hello\n")
    assert r.stdout[:1] == b"h" and b"not an owatch remote request" in r.stdout


def test_config_local_remote_is_the_clients_setting(served):
    server, laptop, sshd = served
    e = dict(laptop.env)
    del e["OWATCH_REMOTE"]
    plain = Office(laptop.home)
    plain.env = e
    assert plain.run("whoami").rc != 0                                      # no ledger on the laptop
    plain.ok("config", "set", "--local", "remote", sshd.url)
    conf = laptop.home / ".config/owatch/client.conf"
    assert conf.exists() and (conf.stat().st_mode & 0o777) == 0o600
    assert plain.ok("config", "get", "--local", "remote").out.strip() == sshd.url
    assert plain.ok("whoami", "--json").json()["user"] == "alice"
    assert plain.run("config", "set", "--local", "remote", "ftp://x").rc == 64
    assert plain.run("whoami", env={"OWATCH_REMOTE": ""}).rc != 0           # set but empty: this machine
    plain.ok("config", "unset", "--local", "remote")


@pytest.mark.skipif(os.getuid() != 0 or not shutil.which("sudo") or not shutil.which("useradd"), reason="needs root, sudo and useradd")
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sudo_transport_reaches_the_service_account(request, backend):
    import tempfile
    account = f"owt{os.getpid() % 100000}"
    base = Path(tempfile.mkdtemp(prefix="owatch-sudo-"))        # outside pytest's 0700 tree: the account must reach it
    os.chmod(base, 0o755)
    home = base / account
    subprocess.run(["useradd", "-m", "-d", str(home), "-s", "/bin/sh", account], check=True)
    try:
        exe = base / "owatch"
        shutil.copy(BIN, exe)
        os.chmod(exe, 0o755)
        sudo = ["sudo", "-n", "-u", account, "-H", "--"]
        url = None
        if backend == "postgresql":
            import pg
            url = pg.fresh_database(os.environ.get("OWATCH_TEST_LEDGER") or request.getfixturevalue("cluster").url())
        r = subprocess.run(sudo + [str(exe), "init", "--org", "Acme", "--admin", "root", "-q"] + (["--ledger", url] if url else []),
                           capture_output=True, text=True, cwd=home)
        assert r.returncode == 0, r.stderr
        ledger = home / ".local/share/owatch/ledger.db"
        if url:
            # sudo drops the caller's OWATCH_LEDGER: the account's server.conf names its ledger.
            assert not ledger.exists()
            conf = home / ".config/owatch/server.conf"
            subprocess.run(sudo + ["sh", "-c", f"umask 077 && printf 'default = %s\\n' '{url}' > {conf}"], check=True, cwd=home)
        else:
            assert (ledger.stat().st_mode & 0o777) == 0o600 and ledger.stat().st_uid != 0
        laptop = Office(base / "me")
        laptop.home.mkdir()
        laptop.token.parent.mkdir(parents=True)
        laptop.token.write_bytes((home / ".config/owatch/token").read_bytes())
        os.chmod(laptop.token, 0o600)
        laptop.env.update({"OWATCH_REMOTE": f"sudo://{account}", "OWATCH_REMOTE_EXEC": str(exe)})
        assert laptop.ok("whoami", "--json").json()["user"] == "root"
        laptop.ok("license", "add", "Slack", "--vendor", "Slack", "--seats", "1", "--cost", "8.00", "--period", "monthly")
        if url:
            assert subprocess.run(["psql", "-X", "-qAt", "-d", url, "-c", "SELECT name FROM licenses"],
                                  capture_output=True, text=True, check=True).stdout.strip() == "Slack"
            listed = laptop.ok("license", "list", "--format", "csv")
            assert "Slack" in listed.out and url not in listed.out + listed.err
            assert not ledger.exists()
        else:
            assert ledger.stat().st_uid != 0                                 # still the service account's
    finally:
        subprocess.run(["userdel", "-r", account], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
