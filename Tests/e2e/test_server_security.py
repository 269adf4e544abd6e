"""The office server against someone who can reach `owatch remote-exec` but holds no office token
(issue 29): it serves only the ledgers its own configuration names, runs only hooks its account
owns, takes files only where the command reads them, holds nothing for a stalled client, leaves
no working directory behind on any way out, and never sends a server path back."""
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import BIN, Office
import stat

ROOT = Path(__file__).resolve().parents[2]


def request_bytes(header: dict, files: bytes = b"", protocol=1) -> bytes:
    body = json.dumps(header).encode()
    return f"OWATCH-REMOTE {protocol}\n".encode() + struct.pack(">I", len(body)) + body + files


def frames_of(out: bytes):
    frames = []
    while len(out) >= 5:
        kind, n = out[0:1].decode(), struct.unpack(">I", out[1:5])[0]
        frames.append((kind, out[5:5 + n]))
        out = out[5 + n:]
    return frames


def stderr_of(frames) -> str:
    return b"".join(p for k, p in frames if k == "e").decode(errors="replace")


def exit_of(frames) -> int:
    assert frames and frames[-1][0] == "x", frames
    return struct.unpack(">i", frames[-1][1])[0]


@pytest.fixture
def server(tmp_path):
    """An office ledger and a private TMPDIR, served by running `owatch remote-exec` directly
    (what sshd's forced command or sudo runs), with the office admin's token in hand."""
    office = Office(tmp_path / "office")
    office.home.mkdir()
    office.ok("init", "--org", "Acme", "--admin", "alice", "--currency", "EUR")
    work = tmp_path / "server-tmp"
    work.mkdir()
    env = dict(office.env, TMPDIR=str(work))

    def serve(data: bytes, timeout=60):
        r = subprocess.run([BIN, "remote-exec"], input=data, capture_output=True, env=env, cwd=office.home, timeout=timeout)
        return r.returncode, frames_of(r.stdout)

    office.serve, office.work, office.serve_env = serve, work, env
    return office


def client_header(office, tmp_path, *args, ledger=""):
    """The header an owatch client sends for `args`, caught by a stand-in for sudo."""
    catcher = tmp_path / "catch-request"
    caught = tmp_path / "caught"
    catcher.write_text(f"#!/bin/sh\ncat > {caught}\nexit 3\n")
    catcher.chmod(0o755)
    office.run(*args, env={"OWATCH_REMOTE": "sudo://office" + ledger, "OWATCH_SUDO": str(catcher)})
    data = caught.read_bytes()
    n = struct.unpack(">I", data[16:20])[0]
    return json.loads(data[20:20 + n])


def whoami(token, ledger=None, **extra):
    header = {"protocol": 1, "client": "test", "token": token, "slots": [], "arguments": ["whoami", "--"]}
    if ledger is not None:
        header["ledger"] = ledger
    header.update(extra)
    return header


def test_a_request_cannot_choose_a_ledger_the_server_does_not_serve(server, tmp_path):
    token = server.token.read_text()
    rc, frames = server.serve(request_bytes(whoami(token)))
    assert rc == 0 and exit_of(frames) == 0, stderr_of(frames)
    # The attacker's own ledger, with a hook beside it that would run as the service account.
    evil = Office(tmp_path / "evil")
    evil.home.mkdir()
    evil.ok("init", "--org", "Evil", "--admin", "mallory", "--currency", "EUR")
    canary = tmp_path / "hook-ran"
    evil.install_hook("post-request", f"id > {canary}\n")
    evil_token = evil.token.read_text()
    request = client_header(evil, tmp_path, "request", "new", "software", "X", "--reason", "y", ledger=str(evil.ledger))
    assert request["ledger"] == str(evil.ledger) and request["token"] == evil_token
    rc, frames = server.serve(request_bytes(request))
    assert rc == 77 and exit_of(frames) == 77, stderr_of(frames)
    assert "does not serve a ledger" in stderr_of(frames)
    assert not canary.exists(), "the attacker's hook ran as the service account"
    assert evil.ok("request", "list", "--json").json() == []            # the attacker's ledger was not written
    # Spellings of the served ledger's own path are the served ledger (a file's: a PostgreSQL
    # ledger is served by its database name, test_remote); climbing out is not.
    spellings = (str(server.ledger), str(server.ledger).replace("/", "//"), str(server.ledger.parent) + "/./ledger.db")
    for spelling in spellings if not server.ledger_url else ():
        rc, frames = server.serve(request_bytes(whoami(token, spelling)))
        assert rc == 0, (spelling, stderr_of(frames))
    for other in (str(server.ledger.parent) + "/../owatch/ledger.db", "relative.db", "/etc/passwd", str(evil.ledger)):
        rc, frames = server.serve(request_bytes(whoami(token, other)))
        assert rc == 77, (other, stderr_of(frames))
        assert str(server.home) not in stderr_of(frames)


def test_more_ledgers_only_through_the_servers_own_configuration(server, tmp_path):
    lab_ledger, lab_key = tmp_path / "lab" / "ledger.db", tmp_path / "lab" / "issuer.key"
    server.ok("init", "--org", "Lab", "--admin", "alice", "--currency", "EUR", "--ledger", lab_ledger, "--key", lab_key,
              "--token", tmp_path / "lab.token")
    token = (tmp_path / "lab.token").read_text()
    assert server.serve(request_bytes(whoami(token, str(lab_ledger))))[0] == 77
    conf = server.home / ".config/owatch/server.conf"
    conf.write_text(f"# the ledgers this account serves\nledger = {lab_ledger}\nkey = {lab_key}\n")
    os.chmod(conf, 0o600)
    rc, frames = server.serve(request_bytes(whoami(token, str(lab_ledger))))
    assert rc == 0, stderr_of(frames)
    assert b"Lab" in b"".join(p for k, p in frames if k == "o")
    doctor = server.run("doctor")
    assert "server.conf" in doctor.out and "2 ledger(s)" in doctor.out, doctor
    # A configuration others may change serves nothing, and says so without a path.
    os.chmod(conf, 0o620)
    rc, frames = server.serve(request_bytes(whoami(token)))
    assert rc == 77 and "not safe" in stderr_of(frames) and str(server.home) not in stderr_of(frames)
    doctor = server.run("doctor")
    assert doctor.rc != 0 and "server.conf" in doctor.out and "writable by its group" in doctor.out, doctor
    os.chmod(conf, 0o600)
    conf.write_text("ledger relative/path\n")
    rc, frames = server.serve(request_bytes(whoami(token)))
    assert rc == 65 and "malformed line (1)" in stderr_of(frames)


def test_a_file_slot_takes_one_file_and_uploads_are_never_executable(server):
    token = server.token.read_text()
    hook = b"#!/bin/sh\nid > /tmp/owatch-should-not-exist\n"
    # The global --key of whoami is a file: a tree sent for it (a hooks folder, executable) is refused.
    tree = {"protocol": 1, "client": "test", "token": token, "arguments": ["whoami", "--key=k", "--"],
            "slots": [{"argument": 1, "use": "input", "original": "k", "directory": True,
                       "entries": [{"path": "hooks/post-request", "size": len(hook), "mode": 0o755}]}]}
    rc, frames = server.serve(request_bytes(tree, hook))
    assert rc == 65 and "do not match what the command reads" in stderr_of(frames), stderr_of(frames)
    assert list(server.work.iterdir()) == []
    # An output slot carries no files either.
    out = {"protocol": 1, "client": "test", "token": token, "arguments": ["report", "html", "--out=d.html", "--"],
           "slots": [{"argument": 2, "use": "output", "original": "d.html",
                      "entries": [{"path": "", "size": len(hook), "mode": 0o755}]}]}
    rc, frames = server.serve(request_bytes(out, hook))
    assert rc == 65 and list(server.work.iterdir()) == []


def stalled(server, header: dict, sent: bytes):
    """remote-exec with a request that stops after `sent`: the process, still running."""
    p = subprocess.Popen([BIN, "remote-exec"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=server.serve_env, cwd=server.home)
    p.stdin.write(request_bytes(header, sent))
    p.stdin.flush()
    return p


def import_header(token, sizes):
    entries = [{"path": "", "size": n, "mode": 0o755} for n in sizes]
    return {"protocol": 1, "client": "test", "token": token, "arguments": ["license", "import", "--", "a.csv"],
            "slots": [{"argument": 3, "use": "input", "original": "a.csv", "entries": entries}]}


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def test_a_stalled_client_is_dropped_and_holds_nothing(server):
    token = server.token.read_text()
    size = 400 << 20                                      # declared: 400 MB, under the upload limit
    p = stalled(server, import_header(token, [size]), b"name,vendor\n")
    time.sleep(1.5)
    assert p.poll() is None
    # What arrived is on disk, private and not executable; the process holds little.
    files = [f for f in server.work.rglob("*") if f.is_file() and f.name != "token"]
    assert files and all((f.stat().st_mode & 0o777) == 0o600 for f in files), [(f, oct(f.stat().st_mode)) for f in files]
    assert rss_kb(p.pid) < 60_000, rss_kb(p.pid)
    p.wait(timeout=30)                                    # dropped within the idle deadline (10 s), stdin still open
    frames = frames_of(p.stdout.read())
    assert exit_of(frames) == 74 and "stalled" in stderr_of(frames)
    assert list(server.work.iterdir()) == [], "the working directory is removed"
    p.stdin.close()


def test_declared_sizes_are_checked_before_anything_is_read(server):
    token = server.token.read_text()
    rc, frames = server.serve(request_bytes(import_header(token, [600 << 20])))
    assert rc == 65 and "larger than 512 MB" in stderr_of(frames)
    huge = b"OWATCH-REMOTE 1\n" + struct.pack(">I", 0xFFFFFFF0)
    r = subprocess.run([BIN, "remote-exec"], input=huge, capture_output=True, env=server.serve_env, timeout=30)
    assert exit_of(frames_of(r.stdout)) == 65 and b"too large" in r.stdout
    assert list(server.work.iterdir()) == []


def test_a_signal_removes_the_working_directory(server):
    token = server.token.read_text()
    p = stalled(server, import_header(token, [1 << 20]), b"x" * 1000)
    for _ in range(50):
        if any(server.work.iterdir()):
            break
        time.sleep(0.1)
    assert any(server.work.iterdir())
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=10)
    assert p.returncode == 128 + signal.SIGTERM
    assert list(server.work.iterdir()) == []


def test_a_short_upload_is_removed_and_names_no_server_path(server):
    token = server.token.read_text()
    rc, frames = server.serve(request_bytes(import_header(token, [5000]), b"name,vendor\n"))
    assert rc == 65 and "ended before its files did" in stderr_of(frames)
    assert str(server.work) not in stderr_of(frames) and str(server.home) not in stderr_of(frames)
    assert list(server.work.iterdir()) == []


def test_messages_sent_back_name_no_server_path(server):
    token = server.token.read_text()
    for args in (["whoami", "--"], ["doctor", "--"], ["config", "list", "--"], ["scan", "inspect", "--", "nope.eml"]):
        rc, frames = server.serve(request_bytes({"protocol": 1, "client": "test", "token": token, "slots": [], "arguments": args}))
        sent = b"".join(p for k, p in frames if k in "oe").decode(errors="replace")
        assert str(server.home) not in sent and str(server.work) not in sent, (args, sent)


# --- Hooks ------------------------------------------------------------------------------------

def test_a_hook_others_may_write_is_not_run(tmp_path):
    office = Office(tmp_path)
    office.ok("init", "--org", "Acme", "--admin", "alice", "--currency", "EUR")
    canary = tmp_path / "ran"
    hook = office.install_hook("post-request", f"touch {canary}\n")
    os.chmod(hook, 0o775)                                   # group-writable: not run
    r = office.run("request", "new", "purchase", "Chair", "--cost", "10.00", "--reason", "x")
    assert r.rc == 0 and not canary.exists() and "not run" in r.err and "writable by its group" in r.err, r
    assert office.run("doctor").rc != 0
    os.chmod(hook, 0o755)
    os.chmod(hook.parent, 0o775)                            # its folder group-writable: not run either
    office.run("request", "new", "purchase", "Desk", "--cost", "10.00", "--reason", "x")
    assert not canary.exists()
    os.chmod(hook.parent, 0o755)
    office.ok("request", "new", "purchase", "Lamp", "--cost", "10.00", "--reason", "x")
    assert canary.exists()


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to give a hook to another user")
def test_a_hook_owned_by_someone_else_is_not_run_and_doctor_says_so(tmp_path):
    office = Office(tmp_path)
    office.ok("init", "--org", "Acme", "--admin", "alice", "--currency", "EUR")
    canary = tmp_path / "ran"
    hook = office.install_hook("post-request", f"touch {canary}\n")
    os.chown(hook, 65534, 65534)                            # nobody's
    r = office.run("request", "new", "purchase", "Chair", "--cost", "10.00", "--reason", "x")
    assert r.rc == 0 and not canary.exists() and "belongs to another user" in r.err, r
    doctor = office.run("doctor")
    assert doctor.rc != 0 and "belongs to another user" in doctor.out + doctor.err
    os.chown(hook, 0, 0)
    os.chown(hook.parent, 65534, 65534)                     # the folder someone else's
    office.run("request", "new", "purchase", "Desk", "--cost", "10.00", "--reason", "x")
    assert not canary.exists()


# --- The README's server recipe, attacked as the issue did it ----------------------------------

def readme_block(after: str, lang: str) -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index(after)
    block = text.index(f"```{lang}\n", start) + len(f"```{lang}\n")
    return text[block:text.index("```", block)]


def test_the_readme_requires_restrict_on_every_key():
    line = readme_block("with `restrict` and the", "").strip()
    assert line.startswith('restrict,command="owatch remote-exec" '), line
    assert "`restrict` is required" in (ROOT / "README.md").read_text()


@pytest.mark.skipif(os.getuid() != 0 or not shutil.which("sudo") or not shutil.which("useradd") or not shutil.which("runuser"),
                    reason="needs root, sudo, useradd and runuser")
def test_a_local_user_cannot_take_over_the_server_through_sudo():
    """Issue 29's attack, step by step, against the README's sudoers line: a local user inits a
    ledger of their own with a hook and asks the service account to serve it."""
    tag = os.getpid() % 100000
    service, attacker = f"owsv{tag}", f"owat{tag}"
    base = Path(tempfile.mkdtemp(prefix="owatch-takeover-"))
    os.chmod(base, 0o755)
    exe = base / "owatch"
    shutil.copy(BIN, exe)
    os.chmod(exe, 0o755)
    sudoers = Path(f"/etc/sudoers.d/owatch-test-{tag}")
    rule = readme_block("One sudoers line", "").strip()
    assert rule == "ALL ALL=(owatch) NOPASSWD: /usr/local/bin/owatch remote-exec", rule
    sudoers.write_text(rule.replace("(owatch)", f"({service})").replace("/usr/local/bin/owatch", str(exe)) + "\n")
    os.chmod(sudoers, 0o440)
    try:
        for account in (service, attacker):
            subprocess.run(["useradd", "-m", "-d", str(base / account), "-s", "/bin/sh", account], check=True)
        as_service = ["runuser", "-u", service, "--", "env", f"HOME={base / service}"]
        subprocess.run(as_service + [str(exe), "init", "--org", "Acme", "--admin", "alice", "-q"], check=True, cwd=base / service,
                       capture_output=True)
        key = base / service / ".config/owatch/issuer.key"
        home = base / attacker
        as_attacker = ["runuser", "-u", attacker, "--", "env", f"HOME={home}", f"OWATCH_REMOTE_EXEC={exe}"]
        r = subprocess.run(as_attacker + [str(exe), "init", "--org", "Evil", "--admin", "mallory", "-q"], cwd=home,
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        ledger_dir = home / ".local/share/owatch"
        hooks = ledger_dir / "hooks"
        hooks.mkdir()
        stolen = Path(f"/tmp/owatch-stolen-{tag}")
        (hooks / "post-request").write_text(f"#!/bin/sh\nid >&2\ncat {key} > {stolen} 2>&1\n")
        for p in (home, home / ".local", home / ".local/share", ledger_dir):
            os.chmod(p, 0o777)                                # the service account may write the ledger's folder
        os.chmod(hooks, 0o755)                                # the attacker's own, writable by nobody else
        os.chmod(hooks / "post-request", 0o755)
        os.chmod(ledger_dir / "ledger.db", 0o666)
        subprocess.run(["chown", "-R", f"{attacker}:{attacker}", str(ledger_dir)], check=True)
        token = home / ".config/owatch/token"
        r = subprocess.run(as_attacker + [str(exe), "--remote", f"sudo://{service}{ledger_dir}/ledger.db", "--token", str(token),
                                          "request", "new", "software", "X", "--reason", "y"],
                           cwd=home, capture_output=True, text=True, timeout=60)
        assert r.returncode == 77, (r.returncode, r.stderr)
        assert "does not serve a ledger" in r.stderr and "uid=" not in r.stderr
        assert not stolen.exists(), "the hook ran as the service account and read its issuer key"
        assert str(base / service) not in r.stderr
        # The attacker's environment does not reach the service account's configuration either.
        r = subprocess.run(as_attacker + ["env", f"XDG_DATA_HOME={home}/.local/share", "OWATCH_LEDGER=" + str(ledger_dir / "ledger.db"),
                                          str(exe), "--remote", f"sudo://{service}", "--token", str(token), "whoami"],
                           cwd=home, capture_output=True, text=True, timeout=60)
        assert r.returncode == 77 and "mallory" not in r.stdout, (r.returncode, r.stdout, r.stderr)
    finally:
        sudoers.unlink(missing_ok=True)
        for account in (service, attacker):
            subprocess.run(["userdel", "-r", account], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
        Path(f"/tmp/owatch-stolen-{tag}").unlink(missing_ok=True)


def system_recipe_allowed():
    """The recipe makes a real `owatch` account, /srv/owatch and /usr/local/bin/owatch: only in CI
    (or when asked) as root, and never over an installation that is already there."""
    wanted = os.environ.get("CI") or os.environ.get("OWATCH_TEST_SYSTEM")
    taken = Path("/srv/owatch").exists() or Path("/usr/local/bin/owatch").exists() or \
        subprocess.run(["id", "owatch"], capture_output=True).returncode == 0
    return bool(wanted) and os.getuid() == 0 and not taken and Path("/usr/sbin/sshd").exists()


@pytest.mark.skipif(not system_recipe_allowed(), reason="runs the README's server recipe for real: root, CI or OWATCH_TEST_SYSTEM=1, "
                                                        "and no owatch account or /usr/local/bin/owatch yet")
def test_the_readme_server_recipe_as_written(tmp_path):
    from sshd_harness import free_port
    shutil.copy(BIN, "/usr/local/bin/owatch")
    os.chmod("/usr/local/bin/owatch", 0o755)
    sshd = None
    try:
        recipe = readme_block("Set-up on the server", "sh")
        r = subprocess.run(["bash", "-euo", "pipefail", "-c", recipe], capture_output=True, text=True, cwd="/")
        assert r.returncode == 0, r.stderr
        home = Path("/srv/owatch")
        assert (home / ".local/share/owatch/ledger.db").stat().st_mode & 0o777 == 0o600
        # Bob's laptop key, in the line the README gives.
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "laptop")], check=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "host")], check=True)
        line = readme_block("with `restrict` and the", "").strip()
        (home / ".ssh/authorized_keys").write_text(line.replace("ssh-ed25519 AAAA… bob@laptop", (tmp_path / "laptop.pub").read_text().strip()) + "\n")
        port = free_port()
        config = tmp_path / "sshd_config"
        config.write_text(f"Port {port}\nListenAddress 127.0.0.1\nHostKey {tmp_path / 'host'}\nUsePAM no\nPasswordAuthentication no\n"
                          f"PidFile {tmp_path / 'sshd.pid'}\nLogLevel ERROR\n")
        Path("/run/sshd").mkdir(exist_ok=True)
        sshd = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(config)], stderr=open(tmp_path / "sshd.log", "w"))
        opts = f"-i {tmp_path / 'laptop'} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
        for _ in range(100):
            if subprocess.run(["ssh", *opts.split(), "-p", str(port), "owatch@127.0.0.1", "owatch", "remote-exec"], input=b"",
                              capture_output=True).stdout[:1] == b"h":
                break
            time.sleep(0.1)
        else:
            raise AssertionError((tmp_path / "sshd.log").read_text())
        laptop = Office(tmp_path / "alice")
        laptop.home.mkdir()
        shutil.copy(home / ".config/owatch/token", laptop.home / "alice.token")
        os.chmod(laptop.home / "alice.token", 0o600)
        laptop.env.update({"OWATCH_SSH_OPTS": opts})
        laptop.ok("config", "set", "--local", "remote", f"ssh://owatch@127.0.0.1:{port}")
        laptop.ok("login", "alice.token")
        assert laptop.ok("whoami", "--json").json()["user"] == "alice"
        laptop.ok("user", "add", "bob", "--role", "employee", "--token-out", "bob.token")
        assert (laptop.home / "bob.token").stat().st_mode & 0o777 == 0o600
        # A URL naming another ledger is refused unopened; the server's paths stay on the server.
        r = laptop.run("--remote", f"ssh://owatch@127.0.0.1:{port}/tmp/evil/ledger.db", "whoami")
        assert r.rc == 77 and "/srv/owatch" not in r.err, r
        # The key reaches owatch and nothing else: no command, no tunnel.
        r = subprocess.run(["ssh", *opts.split(), "-p", str(port), "owatch@127.0.0.1", "cat", "/etc/passwd"], capture_output=True, text=True)
        assert r.returncode == 77 and "root:" not in r.stdout
        local = free_port()
        tunnel = subprocess.Popen(["ssh", *opts.split(), "-p", str(port), "-N", "-L", f"{local}:127.0.0.1:{port}", "owatch@127.0.0.1"],
                                  stderr=subprocess.PIPE)
        try:
            banner = b""
            for _ in range(50):
                try:
                    with socket.create_connection(("127.0.0.1", local), timeout=2) as c:
                        c.settimeout(3)
                        try:
                            banner = c.recv(64)
                        except (socket.timeout, ConnectionResetError):
                            pass
                    break
                except OSError:
                    time.sleep(0.1)
            assert not banner.startswith(b"SSH-"), "the account forwards ports: restrict is missing"
        finally:
            # The refused forward's ssh may not act on SIGTERM at once under load: what is tested is
            # the banner above, not how fast ssh exits, so it is killed if it lingers.
            tunnel.terminate()
            try:
                tunnel.wait(timeout=10)
            except subprocess.TimeoutExpired:
                tunnel.kill()
                tunnel.wait(timeout=10)
    finally:
        if sshd:
            sshd.terminate()
            sshd.wait(timeout=10)
        subprocess.run(["userdel", "-r", "owatch"], capture_output=True)
        shutil.rmtree("/srv/owatch", ignore_errors=True)
        for f in ("/usr/local/bin/owatch", "/usr/local/bin/owatch-shell"):
            Path(f).unlink(missing_ok=True)


def test_a_request_cannot_name_a_path_the_server_would_open_later(server, tmp_path):
    """A scan source, the hooks folder and the sendmail notifications go to are paths the service
    account opens or runs as itself later (from cron, on the next approval): a request may not set
    them, even an admin's."""
    token = server.token.read_text()
    # leave.holidays as a file would be read on the server (its error quoted the file's first line), and
    # migrate would write its target there (a server.conf of its making took the server down).
    for args in (("scan", "source", "add", str(server.key)), ("config", "set", "hooks.dir", str(tmp_path)),
                 ("config", "unset", "hooks.dir"), ("config", "set", "notify.sendmail", "/bin/sh"),
                 ("config", "unset", "notify.sendmail"), ("config", "set", "leave.holidays", "/etc/passwd"),
                 ("migrate", "--to", f"sqlite:{tmp_path}/server.conf")):
        header = client_header(server, tmp_path, *args)
        header["token"] = token
        rc, frames = server.serve(request_bytes(header))
        assert rc == 77 and "names a path on the server" in stderr_of(frames), (args, stderr_of(frames))
    assert server.ok("scan", "source", "list", "--json").json() == []
    assert not (tmp_path / "server.conf").exists()
    for args in (("scan", "source", "list"), ("config", "set", "leave.holidays", "2026-12-25, 2026-12-24"),
                 ("config", "unset", "leave.holidays")):
        header = client_header(server, tmp_path, *args)
        header["token"] = token
        assert server.serve(request_bytes(header))[0] == 0, args
    # A slip in inline dates is a usage error, never a file's name.
    header = client_header(server, tmp_path, "config", "set", "leave.holidays", "2026-13-01")
    header["token"] = token
    rc, frames = server.serve(request_bytes(header))
    assert rc == 64 and "'2026-13-01' is not a date" in stderr_of(frames), stderr_of(frames)


def test_a_nul_byte_cannot_change_what_the_server_checked(server, tmp_path):
    """The command started for a request gets C strings, cut at a NUL: 'notify.sendmail' with a NUL
    after it passed the check for settings naming a server path and was stored as notify.sendmail."""
    token = server.token.read_text()
    header = client_header(server, tmp_path, "config", "set", "busy_timeout", "10s")
    header["token"] = token
    for field, value in (("arguments", ["config", "set", "--", "notify.sendmail\0", "/usr/bin/python3"]),
                         ("token_name", "token\0"), ("environment", {"TERM": "xterm\0"})):
        rc, frames = server.serve(request_bytes({**header, field: value}))
        assert rc == 65 and "holds a NUL byte" in stderr_of(frames), (field, stderr_of(frames))
    settings = {row["key"]: row for row in server.ok("config", "list", "--json").json()}
    assert settings["notify.sendmail"]["value"] == "/usr/sbin/sendmail", settings["notify.sendmail"]
    assert server.serve(request_bytes(header))[0] == 0


def test_out_dir_over_the_remote_protocol_prints_clean_paths(office):
    """Through remote-exec (an ssh stand-in running it on this machine, as this account)."""
    bin_dir = office.home / ".bin"
    bin_dir.mkdir()
    os.symlink(BIN, bin_dir / "owatch")
    ssh = bin_dir / "ssh"
    ssh.write_text('#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done\nshift 2\nexec "$@"\n')
    ssh.chmod(0o755)
    office.add_user("bob")
    env = {"PATH": f"{bin_dir}:{office.env['PATH']}", "OWATCH_REMOTE": "ssh://owatch@office.example"}
    r = office.ok("user", "token", "--all", "--role", "employee", "--out-dir", "laptop/", env=env)
    assert "laptop/bob.token" in r.out and "//" not in r.out + r.err and "Created laptop/" in r.err, r
    assert stat.S_IMODE((office.home / "laptop/bob.token").stat().st_mode) == 0o600
