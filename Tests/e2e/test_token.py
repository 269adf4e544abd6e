"""Tokens: interop with joserfc both ways, and forged or malformed tokens all rejected with 77."""
import base64
import hashlib
import hmac
import json
import time
import warnings

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jwt
from joserfc.jwk import OKPKey
from conftest import BIN, faketime, trapped
import subprocess
from datetime import datetime, timedelta, timezone
import shutil

warnings.filterwarnings("ignore")  # joserfc warns that "EdDSA" is deprecated by RFC 9864


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def enc(obj) -> str:
    return b64(obj if isinstance(obj, bytes) else json.dumps(obj).encode())


class Forge:
    def __init__(self, office):
        self.office = office
        self.key = serialization.load_pem_private_key(office.key.read_bytes(), password=None)
        self.jwk = office.ok("token", "jwk").json()
        self.kid = self.jwk["kid"]
        self.ledger_id = office.ok("whoami", "--json").json()["ledger_id"]
        office.add_user("bob")

    def claims(self, **over):
        now = int(time.time())
        c = {"iss": self.ledger_id, "sub": "bob", "role": "employee", "iat": now, "nbf": now, "exp": now + 3600,
             "jti": b64(bytes(16) + str(time.time_ns()).encode())}
        c.update(over)
        return {k: v for k, v in c.items() if v is not None}

    def header(self, **over):
        h = {"alg": "Ed25519", "typ": "JWT", "kid": self.kid}
        h.update(over)
        return {k: v for k, v in h.items() if v is not None}

    def sign(self, header=None, claims=None, key=None, raw_header=None, raw_claims=None):
        h = raw_header if raw_header is not None else enc(header if header is not None else self.header())
        c = raw_claims if raw_claims is not None else enc(claims if claims is not None else self.claims())
        sig = (key or self.key).sign(f"{h}.{c}".encode())
        return f"{h}.{c}.{b64(sig)}"

    def check(self, token, name):
        path = self.office.home / f"forged-{name}.token"
        path.write_bytes(token if isinstance(token, bytes) else token.encode())
        path.chmod(0o600)
        r = self.office.run("whoami", token=path)
        assert r.rc == 77, (name, r)
        assert r.err.startswith("owatch: error: token rejected: "), (name, r.err)
        assert r.out == ""
        return r.err


@pytest.fixture
def forge(office):
    return Forge(office)


def test_owatch_tokens_verify_with_joserfc(office):
    jwk = office.ok("token", "jwk").json()
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk
    key = OKPKey.import_key(jwk)
    tok = office.token.read_text().strip()
    decoded = jwt.decode(tok, key, algorithms=["Ed25519"])
    assert decoded.header["alg"] == "Ed25519" and decoded.header["kid"] == jwk["kid"]
    c = decoded.claims
    assert c["sub"] == "alice" and c["role"] == "admin" and c["iss"] == office.ok("whoami", "--json").json()["ledger_id"]
    assert c["exp"] > c["iat"] and c["nbf"] == c["iat"]
    assert len(base64.urlsafe_b64decode(c["jti"] + "==")) >= 16
    jwks = office.ok("token", "jwk", "--set").json()
    assert jwks["keys"][0]["x"] == jwk["x"]


# Run once, on SQLite (make test): token signatures (joserfc interop), read before the ledger.
@pytest.mark.backend_independent
@pytest.mark.parametrize("alg", ["Ed25519", "EdDSA"])
def test_joserfc_tokens_signed_with_issuer_key_are_accepted(forge, alg):
    office = forge.office
    key = OKPKey.import_key(office.key.read_bytes())
    tok = jwt.encode({"alg": alg, "typ": "JWT", "kid": forge.kid}, forge.claims(), key, algorithms=[alg])
    path = office.home / "joserfc.token"
    path.write_text(tok)
    path.chmod(0o600)
    who = office.ok("whoami", "--json", token=path).json()
    assert who["user"] == "bob" and who["role"] == "employee"


def forged_cases(f: Forge):
    now = int(time.time())
    good = f.sign()
    h, c, s = good.split(".")
    other = Ed25519PrivateKey.generate()
    other_pub = other.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pub = base64.urlsafe_b64decode(f.jwk["x"] + "==")
    hs_input = f"{enc(f.header(alg='HS256'))}.{c}"
    sig = bytearray(base64.urlsafe_b64decode(s + "=="))
    sig[5] ^= 0x01
    nested = "[" * 5000 + "]" * 5000
    return {
        "alg-none": f"{enc(f.header(alg='none'))}.{c}.",
        "alg-none-with-sig": f.sign(header=f.header(alg="none")),
        "alg-None-case": f.sign(header=f.header(alg="NONE")),
        "hs256-public-key": f"{hs_input}.{b64(hmac.new(pub, hs_input.encode(), hashlib.sha256).digest())}",
        "hs256-jwk-text": f"{hs_input}.{b64(hmac.new(json.dumps(f.jwk).encode(), hs_input.encode(), hashlib.sha256).digest())}",
        "rs256-header": f.sign(header=f.header(alg="RS256")),
        "es256-header": f.sign(header=f.header(alg="ES256")),
        "alg-lowercase": f.sign(header=f.header(alg="ed25519")),
        "no-alg": f.sign(header=f.header(alg=None)),
        "tampered-role": f"{h}.{enc(f.claims(role='admin'))}.{s}",
        "tampered-sub": f"{h}.{enc(f.claims(sub='alice', role='admin'))}.{s}",
        "flipped-sig-bit": f"{h}.{c}.{b64(bytes(sig))}",
        "short-sig": f"{h}.{c}.{s[:40]}",
        "expired": f.sign(claims=f.claims(iat=now - 7200, nbf=now - 7200, exp=now - 3600)),
        "not-yet-valid": f.sign(claims=f.claims(nbf=now + 3600, exp=now + 7200)),
        "no-exp": f.sign(claims=f.claims(exp=None)),
        "exp-as-string": f.sign(claims=f.claims(exp=str(now + 3600))),
        "no-nbf": f.sign(claims=f.claims(nbf=None)),
        "no-jti": f.sign(claims=f.claims(jti=None)),
        "wrong-iss": f.sign(claims=f.claims(iss="00000000-0000-0000-0000-000000000000")),
        "unknown-kid": f.sign(header=f.header(kid="not-a-key-of-this-ledger")),
        "missing-kid": f.sign(header=f.header(kid=None)),
        "foreign-key": f.sign(key=other),
        "embedded-jwk-attacker": f.sign(header=f.header(jwk={"kty": "OKP", "crv": "Ed25519", "x": b64(other_pub)}), key=other),
        "embedded-jwk-real": f.sign(header=f.header(jwk=f.jwk)),
        "jku-header": f.sign(header=f.header(jku="https://attacker.example/jwks")),
        "crit-header": f.sign(header=f.header(crit=["exp"], exp=1)),
        "typ-not-jwt": f.sign(header=f.header(typ="JWE")),
        "unknown-user": f.sign(claims=f.claims(sub="mallory")),
        # Signed by the issuer key: the ledger's lookups must not read "bob\0x" as bob.
        "nul-in-sub": f.sign(claims=f.claims(sub="bob\0x")),
        "unknown-role": f.sign(claims=f.claims(role="superadmin")),
        "role-mismatch": f.sign(claims=f.claims(role="admin")),
        "two-segments": f"{h}.{c}",
        "four-segments": f"{good}.{s}",
        "non-base64url": f"{h}.{c}+/=.{s}",
        "padded-base64": f"{h}==.{c}.{s}",
        "non-json-header": f.sign(raw_header=b64(b"{alg: Ed25519}")),
        "header-array": f.sign(raw_header=enc([1, 2])),
        "claims-array": f.sign(raw_claims=enc(["bob"])),
        "duplicate-alg": f.sign(raw_header=b64(b'{"alg":"none","alg":"Ed25519","kid":"' + f.kid.encode() + b'"}')),
        "deeply-nested": f.sign(raw_claims=b64(('{"sub":' + nested + "}").encode())),
        "nested-within-size": f.sign(raw_claims=b64(('{"sub":' + "[" * 300 + "]" * 300 + "}").encode())),
        "empty": "",
        "whitespace": "   \n",
        "four-megabytes": "A" * (4 * 1024 * 1024),
        "binary-junk": bytes(range(256)) * 4,
        "nul-in-token": good[:10] + "\x00" + good[10:],
        "utf8-garbage": h + "." + b64(b"\xff\xfe\xfd") + "." + s,
    }


# Run once, on SQLite (make test): the token reader rejects before any ledger query.
@pytest.mark.backend_independent
def test_forged_and_malformed_tokens_rejected(forge):
    cases = forged_cases(forge)
    assert len(cases) >= 25
    for name, token in cases.items():
        forge.check(token, name)


def test_revoked_and_demoted_tokens_rejected(forge):
    office = forge.office
    bob = office.home / "bob.token"
    jti = office.ok("token", "list", "--user", "bob", "--json").json()[0]["jti"]
    office.ok("token", "revoke", jti)
    assert "revoked" in forge.check(bob.read_text(), "revoked")
    office.add_user("dan", role="admin")
    office.ok("user", "role", "dan", "employee")
    assert "is now employee" in forge.check((office.home / "dan.token").read_text(), "demoted")


def test_valid_forge_control(forge):
    """The forge itself makes good tokens: proves the rejections above are for the right reasons."""
    path = forge.office.home / "control.token"
    path.write_text(forge.sign())
    path.chmod(0o600)
    assert forge.office.ok("whoami", "--json", token=path).json()["user"] == "bob"


def test_token_list_and_revoke(office):
    bob = office.add_user("bob")
    toks = office.ok("token", "list", "--user", "bob", "--json").json()
    assert len(toks) == 1 and toks[0]["revoked_at"] is None
    office.ok("token", "revoke", toks[0]["jti"])
    r = office.run("whoami", token=bob)
    assert r.rc == 77 and "revoked" in r.err
    assert office.run("token", "revoke", toks[0]["jti"]).rc == 1
    listed = office.ok("token", "list", "--json").json()
    assert [t["user"] for t in listed] == ["alice", "bob"]   # in issue order
    assert listed[1]["revoked_at"] and listed[0]["revoked_at"] is None


needs_faketime = pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime (Debian faketime) is not installed")


def later(office, days, *args, token=None, input=None):
    """Runs owatch `days` from now, as a user coming back after a holiday would."""
    cmd = faketime(days) + [BIN] + (["--token", str(token)] if token else []) + [str(a) for a in args]
    p = subprocess.run(cmd, cwd=office.home, env=office.env, capture_output=True, text=True, input=input, timeout=60)
    assert not trapped(p.stderr), p.stderr
    return p


@needs_faketime
def test_an_expired_admin_token_is_recovered_with_the_issuer_key(office):
    r = later(office, 100, "user", "list")
    assert r.returncode == 77 and "expired" in r.stderr
    assert "--key PATH" in r.stderr                                   # the hint says how to get back in
    fresh = office.home / "alice-new.token"
    r = later(office, 100, "--key", office.key, "user", "token", "alice", "--out", fresh)
    assert r.returncode == 0, r.stderr
    assert oct(fresh.stat().st_mode & 0o777) == "0o600"
    r = later(office, 100, "whoami", "--json", token=fresh)
    assert r.returncode == 0 and json.loads(r.stdout)["user"] == "alice"
    issued = [e for e in json.loads(later(office, 100, "audit", "log", "--json", token=fresh).stdout) if e["action"] == "token.issue"]
    assert issued[-1]["actor"] == "issuer"
    later(office, 100, "audit", "verify", "--state", token=fresh).check_returncode()


def test_a_foreign_or_missing_key_mints_nothing(office, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    o2 = type(office)(other)
    assert o2.run("init", "--org", "Other", "--admin", "mallory").rc == 0
    r = office.run("--key", o2.key, "user", "token", "alice", "--out", office.home / "x.token")
    assert r.rc == 77 and "does not belong to this ledger" in r.err
    r = office.run("--key", office.home / "nope.key", "user", "token", "alice")
    assert r.rc == 66
    assert not (office.home / "x.token").exists()


@needs_faketime
def test_tokens_near_expiry_warn_once_a_day_and_renew(office):
    r = later(office, 80, "whoami")
    assert r.returncode == 0 and "expires in 10 day(s)" in r.stderr and "owatch token renew" in r.stderr
    assert "expires in" not in later(office, 80, "whoami").stderr           # once a day
    old = later(office, 80, "whoami", "--json").stdout
    r = later(office, 80, "token", "renew", "--json")
    assert r.returncode == 0, r.stderr
    renewed = json.loads(r.stdout)
    assert renewed["user"] == "alice" and renewed["role"] == "admin"
    assert renewed["jti"] != json.loads(old)["token_id"]
    assert oct(office.token.stat().st_mode & 0o777) == "0o600"
    r = later(office, 80, "whoami")
    assert r.returncode == 0 and "expires in" not in r.stderr               # a fresh 90 days
    revoked = [t for t in json.loads(later(office, 80, "token", "list", "--json").stdout) if t["revoked_at"]]
    assert [t["jti"] for t in revoked] == [json.loads(old)["token_id"]]


def test_days_left_are_counted_to_the_nearest_day(office):
    """A 10-day token read a second after it was issued has 10 days left (not 9, as counting
    whole days down said); under a day is said so."""
    office.ok("user", "token", "alice", "--expires", "10d", "--out", office.home / "t10")
    office.ok("user", "token", "alice", "--expires", "12h", "--out", office.home / "t12")
    time.sleep(1.1)
    assert "expires in 10 day(s)" in office.ok("whoami", token=office.home / "t10").err
    assert "expires in less than a day" in office.ok("whoami", token=office.home / "t12").err


def test_renewing_without_the_issuer_key_says_who_can(office):
    bob = office.add_user("bob")
    office.key.rename(office.home / "elsewhere.key")
    r = office.run("token", "renew", "--out", office.home / "bob2.token", token=bob)
    assert r.rc == 66 and "needs the issuer key" in r.err
    assert office.run("whoami", token=bob).rc == 0                          # nothing was revoked


def test_everyone_reissued_into_a_directory(office):
    office.add_user("bob")
    office.add_user("carol")
    office.add_user("cron", role="scanner")
    out = office.home / "tokens"
    out.mkdir()
    rows = office.ok("user", "token", "--all", "--role", "employee", "--out-dir", out, "--json").json()
    assert sorted(r["user"] for r in rows) == ["bob", "carol"]
    for name in ("bob", "carol"):
        f = out / f"{name}.token"
        assert oct(f.stat().st_mode & 0o777) == "0o600"
        assert office.ok("whoami", "--json", token=f).json()["user"] == name
    r = office.run("user", "token", "--all", "--out-dir", out)
    assert r.rc == 1 and "does not overwrite" in r.err                    # bob.token exists: nothing issued
    assert len(office.ok("token", "list", "--json").json()) == 6
    r = office.ok("user", "token", "--all", "--out-dir", office.home / "missing")       # created, 0700, and said (issue 33)
    assert "Created" in r.err and oct((office.home / "missing").stat().st_mode & 0o777) == "0o700"
    (office.home / "a-file").write_text("")
    assert office.run("user", "token", "--all", "--out-dir", office.home / "a-file").rc == 64
    assert office.run("user", "token").rc == 64


def test_token_lifetime_setting(office):
    office.ok("config", "set", "token.lifetime", "180d")
    rows = office.ok("user", "token", "alice", "--json").json()
    expires = datetime.fromisoformat(rows["expires_at"].replace("Z", "+00:00"))
    assert timedelta(days=179) < expires - datetime.now(timezone.utc) < timedelta(days=181)


def test_only_an_admin_renews_past_the_token_lifetime_and_that_is_audited(office):
    bob = office.add_user("bob")
    cron = office.add_user("cron", role="scanner")
    for who in (bob, cron):
        r = office.run("token", "renew", "--expires", "100y", token=who)
        assert r.rc == 77 and "token.lifetime" in r.err, r  # was 0: a token valid until 2126
        office.ok("whoami", token=who)                      # the token in use is untouched
    r = office.ok("token", "renew", "--expires", "30d", token=bob)   # shorter than the lifetime: anyone
    expires = office.ok("whoami", "--json", token=bob).json()["expires_at"]
    assert time.strptime(expires, "%Y-%m-%dT%H:%M:%SZ") <= time.gmtime(time.time() + 31 * 86400)
    office.ok("config", "set", "token.lifetime", "180d")
    office.ok("token", "renew", "--expires", "170d", token=bob)     # within the configured lifetime
    assert office.run("token", "renew", "--expires", "181d", token=bob).rc == 77
    # An admin may, for themselves or anyone, and the event says it went past the lifetime.
    office.ok("token", "renew", "--expires", "2y")
    office.ok("user", "token", "bob", "--expires", "5y", "--out", office.home / "bob5y.token")
    events = [e for e in office.ok("audit", "log", "--json").json() if e["action"] in ("token.renew", "token.issue")]
    overrides = [e for e in events if e["details"].get("beyond_lifetime")]
    assert [(e["action"], e["details"]["lifetime"], e["details"]["beyond_lifetime"]) for e in overrides] == [
        ("token.renew", "2y", "180d"), ("token.issue", "5y", "180d")]
