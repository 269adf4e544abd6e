"""A real OpenSSH server on 127.0.0.1 for the remote tests and benchmark: a throw-away host key,
a free port, and an authorized_keys whose key is forced to `owatch remote-exec` (plus, for the
benchmark's plain `ssh host owatch …`, a second key with no forced command)."""
import getpass
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def available():
    return Path(SSHD).exists() and shutil.which("ssh") and shutil.which("ssh-keygen")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SSHServer:
    """sshd serving `server_home`'s ledger as the current Unix user."""

    def __init__(self, root: Path, owatch: str, server_home: Path):
        self.root = root
        self.port = free_port()
        self.user = getpass.getuser()
        self.tmp = root / "server-tmp"
        self.tmp.mkdir()
        for name in ("host_key", "forced", "plain"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(root / name)], check=True)
        # The forced command, as an office's authorized_keys would have it. HOME and TMPDIR are
        # set by sshd, not in the command, because the test account's home is not the office's:
        # the account's shell must start in the office's clean home for both keys alike (a
        # login shell reading a developer's ~/.bashrc costs more than owatch itself).
        home = f'environment="HOME={server_home}",environment="TMPDIR={self.tmp}"'
        keys = [f'restrict,{home},command="{owatch} remote-exec" ' + (root / "forced.pub").read_text().strip(),
                f'restrict,{home} ' + (root / "plain.pub").read_text().strip()]
        (root / "authorized_keys").write_text("\n".join(keys) + "\n")
        config = root / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}", "ListenAddress 127.0.0.1", f"HostKey {root / 'host_key'}",
            f"AuthorizedKeysFile {root / 'authorized_keys'}", "StrictModes no", "UsePAM no",
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PermitRootLogin yes",
            "PermitUserEnvironment yes", f"PidFile {root / 'sshd.pid'}", "LogLevel ERROR", "MaxStartups 50", ""]))
        if os.getuid() == 0:
            Path("/run/sshd").mkdir(exist_ok=True)              # privilege separation directory
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=open(root / "sshd.log", "w"))
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("sshd did not start: " + (root / "sshd.log").read_text())

    def options(self, key="forced"):
        return (f"-i {self.root / key} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
                "-o LogLevel=ERROR -o BatchMode=yes")

    @property
    def url(self):
        return f"ssh://{self.user}@127.0.0.1:{self.port}"

    def ssh(self, *command, key="plain", **kw):
        """Plain ssh to the test account (the benchmark's alternative; the forced key for refusals)."""
        return subprocess.run(["ssh", *self.options(key).split(), "-p", str(self.port), f"{self.user}@127.0.0.1", *command], **kw)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
