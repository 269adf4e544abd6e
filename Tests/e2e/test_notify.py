"""Notifications that are never lost and never doubled (issue 34): the outbox, delivery to local
HTTP receivers on 127.0.0.1 that record payloads and fail on purpose, e-mail through a fake
sendmail, and the weekly digest."""
import base64
import datetime
import json
import os
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import BIN, at

TODAY = datetime.date.today()
EVIL = 'Evil "quoted" \\ back\x07bell\x1b[31m ünïcødé 🚀 <!channel> & </script>'
REASON = 'line one\nline two\r\n"quoted" \\ ünï\x1b]0;title\x07'


def ahead(days):
    return (TODAY + datetime.timedelta(days=days)).isoformat()


class Receiver:
    """A webhook endpoint on 127.0.0.1 recording every POST (path, headers, body). `fail` answers
    500 to that many requests first (-1: always); `delay` holds the first request that long."""

    def __init__(self, fail=0, delay=0.0, each_delay=0.0):
        self.posts = []
        self.fail = fail
        self.delay = delay
        self.each_delay = each_delay
        self.lock = threading.Lock()
        self.first_seen = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.posts.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    n = len(receiver.posts)
                    failing = receiver.fail < 0 or n <= receiver.fail
                receiver.first_seen.set()
                if n == 1 and receiver.delay:
                    time.sleep(receiver.delay)
                if receiver.each_delay:
                    time.sleep(receiver.each_delay)
                self.send_response(500 if failing else 200)
                self.end_headers()
                self.wfile.write(b"no" if failing else b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/hook/SECRET-T0KEN-xyz"):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def bodies(self):
        return [json.loads(p["body"]) for p in self.posts]

    def keys(self):
        return [p["headers"].get("Idempotency-Key") for p in self.posts]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(**kw):
        r = Receiver(**kw)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def channel(o, kind, name, url, events="all"):
    f = o.home / f"{name}.url"
    f.write_text(url + "\n")
    f.chmod(0o600)
    return o.run("notify", "add", kind, name, "--url-file", f, "--events", events)


def log(o, *args):
    return o.ok("notify", "log", "--json", *args).json()


def deliver(o, days=0):
    return at(o, days, "notify", "deliver", "--json").json() if days else o.ok("notify", "deliver", "--json").json()


def reminding(o, r, leads, name, renews, *terms, events="renewal,cancel-by"):
    """A webhook channel for reminders, the lead times, and a yearly license renewing on `renews`."""
    if r is not None:
        channel(o, "webhook", "w", r.url(), events=events)
    if leads:
        o.ok("config", "set", "renewals.notify", leads)
    o.ok("license", "add", name, "--vendor", "zoom", "--seats", "1", "--cost", "100", "--period", "yearly", "--renews", renews, *terms)


def request(o, bob, name, reason="work"):
    return o.ok("request", "new", "software", name, "--reason", reason, "--json", token=bob).json()


# --- channels, secrets, permissions ------------------------------------------------------------------

def test_channels_are_listed_masked_and_the_url_is_never_printed(office, receiver):
    r = receiver(fail=-1)
    secret = "SECRET-T0KEN-xyz"
    add = channel(office, "slack", "office", r.url())
    assert add.rc == 0, add
    outputs = [add.out + add.err]
    for fmt in ("table", "json", "csv"):
        res = office.ok("notify", "list", "--format", fmt)
        outputs.append(res.out + res.err)
    listed = office.ok("notify", "list", "--json").json()
    assert listed == [{"name": "office", "kind": "slack", "target": f"http://127.0.0.1:{r.server.server_address[1]}/…",
                       "events": ["renewal", "cancel-by", "finding", "request", "approval", "rejection", "digest"],
                       "created_at": listed[0]["created_at"]}]
    # A failing delivery, a failing test and the log name the host at most, never the URL.
    t = office.run("notify", "test", "office")
    assert t.rc == 1 and "HTTP status 500" in t.err, t
    outputs.append(t.out + t.err)
    office.ok("charge", "add", "notion", "12.00", "--on", TODAY.isoformat())
    for args in (("notify", "deliver"), ("notify", "log"), ("notify", "log", "--json"), ("audit", "log", "--json")):
        res = office.run(*args)
        outputs.append(res.out + res.err)
    assert all(secret not in text for text in outputs)
    assert secret in r.posts[0]["path"]                         # it was used, just never shown
    # A URL file others may read is refused, as a token file is.
    f = office.home / "open.url"
    f.write_text(r.url())
    f.chmod(0o644)
    bad = office.run("notify", "add", "webhook", "x", "--url-file", f, "--events", "all")
    assert bad.rc == 77 and "chmod 600" in bad.err and secret not in bad.err
    # Not a URL, an unknown event, a bad name.
    f2 = office.home / "ftp.url"
    f2.write_text("file:///etc/passwd")
    f2.chmod(0o600)
    assert office.run("notify", "add", "webhook", "y", "--url-file", f2, "--events", "all").rc == 65
    assert office.run("notify", "add", "webhook", "y", "--url-file", f, "--events", "renewals").rc == 64
    assert channel(office, "webhook", "bad name", r.url()).rc == 64


def test_only_admins_manage_channels_and_the_scanner_may_deliver(office):
    bob = office.add_user("bob")
    scanner = office.add_user("cron", role="scanner")
    for args in (("notify", "list"), ("notify", "log"), ("notify", "deliver"), ("report", "digest")):
        assert office.run(*args, token=bob).rc == 77
    assert office.run("notify", "list", token=scanner).rc == 77
    assert office.run("notify", "deliver", token=scanner).rc == 0


# --- bodies ---------------------------------------------------------------------------------------------

def test_bodies_are_json_with_hostile_text_escaped_for_each_channel(office, receiver):
    r = receiver()
    for kind, path in (("slack", "/slack"), ("teams", "/teams"), ("ntfy", "/mytopic"), ("webhook", "/hook")):
        assert channel(office, kind, kind, r.url(path), events="request,approval").rc == 0
    bob = office.add_user("bob")
    req = request(office, bob, EVIL, REASON)
    office.ok("approve", req["id"])                             # the admin's write delivers the queue
    assert len(r.posts) == 8                                    # 2 events x 4 channels, each once
    assert len(set(r.keys())) == 8 and all(k.startswith("owatch-") for k in r.keys())
    by_path = {}
    for p in r.posts:
        by_path.setdefault(p["path"], []).append(json.loads(p["body"]))   # each body parses as JSON
    slack = by_path["/slack"][0]
    assert set(slack) == {"text"} and "&lt;!channel&gt; &amp; &lt;/script&gt;" in slack["text"] and "<!channel>" not in slack["text"]
    assert 'Evil "quoted" \\ back\x07bell\x1b[31m ünïcødé 🚀' in slack["text"] and REASON.replace("&", "&amp;") in slack["text"]
    teams = by_path["/teams"][0]
    assert teams["type"] == "message"
    card = teams["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive" and card["content"]["type"] == "AdaptiveCard"
    assert EVIL in card["content"]["body"][1]["text"]
    ntfy = by_path["/"][0]                                      # ntfy's JSON publishing goes to the root
    assert ntfy["topic"] == "mytopic" and EVIL in ntfy["message"]
    hooks = by_path["/hook"]
    assert [h["event"] for h in hooks] == ["request", "approval"]
    assert hooks[0]["data"]["summary"] == "software: " + EVIL and hooks[0]["data"]["reason"] == REASON and hooks[0]["idempotency_key"].startswith("owatch-")
    assert [h["data"]["status"] for h in hooks] == ["pending", "approved"]
    # The raw bytes hold no control character: JSON escaped them.
    assert all(not any(b < 0x20 for b in p["body"]) for p in r.posts)
    assert all(i["status"] == "delivered" and i["http_status"] == 200 for i in log(office))


def test_email_goes_through_sendmail_with_safe_headers(office):
    out = office.home / "mail.txt"
    fake = office.home / "sendmail"
    fake.write_text(f'#!/bin/sh\necho "ARGS: $*" > "{out}"\ncat >> "{out}"\n')
    fake.chmod(0o755)
    office.ok("config", "set", "notify.sendmail", fake)
    office.ok("notify", "add", "email", "it", "--to", "it@example.com", "--events", "request")
    bob = office.add_user("bob")
    request(office, bob, "Figma ünï\x1b[2J", "need it\nBcc: victim@example.com\n.\n")
    office.ok("notify", "deliver")
    text = out.read_text()
    head, _, body = text.partition("\n\n")
    lines = head.splitlines()
    assert lines[0] == "ARGS: -t -i"
    assert "To: it@example.com" in lines and not any(l.startswith("Bcc:") for l in text.splitlines())
    subject = next(l for l in lines if l.startswith("Subject: "))
    assert subject.startswith("Subject: =?UTF-8?B?")
    assert "Figma ünï\x1b[2J" in base64.b64decode(subject[len("Subject: =?UTF-8?B?"):-2]).decode()
    assert "Reason: need it\nBcc: victim@example.com\n.\n" in base64.b64decode(body).decode()
    assert any(l.startswith("Message-ID: <owatch-") for l in lines)
    assert log(office)[0]["status"] == "delivered"
    # A sendmail that fails is a failed try, reported with what it said.
    fake.write_text("#!/bin/sh\necho 'relay refused' >&2\nexit 75\n")
    t = office.run("notify", "test", "it")
    assert t.rc == 1 and "sendmail exited 75: relay refused" in t.err


def test_notify_test_reports_honestly_and_names_curl_when_missing(office, receiver):
    ok = receiver()
    channel(office, "webhook", "good", ok.url())
    t = office.ok("notify", "test", "good", "--json").json()
    assert t == {"name": "good", "kind": "webhook", "delivered": True, "http_status": 200, "error": None}
    assert ok.bodies()[0]["event"] == "test"
    bad = receiver(fail=-1)
    channel(office, "webhook", "bad", bad.url())
    r = office.run("notify", "test", "bad", "--json")
    assert r.rc == 1 and r.json()["delivered"] is False and r.json()["http_status"] == 500
    r = office.run("notify", "test", "good", env={"PATH": "/nonexistent"})
    assert r.rc == 1 and "curl" in r.err and "Debian package curl" in r.err
    # The test message never enters the outbox.
    assert log(office) == []


# --- exactly once under failure -------------------------------------------------------------------------

def test_a_failing_endpoint_is_retried_then_succeeds_once(office, receiver):
    r = receiver(fail=2)
    channel(office, "webhook", "w", r.url(), events="finding")
    # The write that caused it tries at once; its failure is a warning, never the command's exit status.
    added = office.run("charge", "add", "notion", "12.00", "--on", TODAY.isoformat())
    assert added.rc == 0 and "not delivered (HTTP status 500)" in added.err and "retried" in added.err
    assert deliver(office) == []                                # not due again yet: backoff
    assert [a["outcome"] for a in deliver(office, 1)] == ["retrying"]
    assert [a["outcome"] for a in deliver(office, 2)] == ["delivered"]
    assert deliver(office, 3) == []
    assert len(r.posts) == 3 and len(set(r.keys())) == 1
    item = log(office)[0]
    assert item["status"] == "delivered" and item["attempts"] == 3 and item["http_status"] == 200


def test_a_permanently_failing_endpoint_ends_failed_and_can_be_retried(office, receiver):
    r = receiver(fail=-1)
    channel(office, "webhook", "w", r.url(), events="finding")
    office.ok("config", "set", "notify.retry", "3/1d")
    office.ok("charge", "add", "notion", "12.00", "--on", TODAY.isoformat())    # try 1
    assert [a["outcome"] for a in deliver(office, 1)] == ["retrying"]          # try 2
    last = at(office, 2, "notify", "deliver", "-q")                            # try 3: no tries left
    assert "failed for good: HTTP status 500" in last.err and "notify log --failed" in last.err
    assert deliver(office, 5) == []
    failed = log(office, "--failed")
    assert len(failed) == 1 and failed[0]["attempts"] == 3 and failed[0]["error"] == "HTTP status 500"
    assert "failed" in office.ok("notify", "log", "--failed").out
    r.fail = 0
    retried = office.ok("notify", "retry", failed[0]["id"], "--json").json()
    assert retried["status"] == "pending" and retried["attempts"] == 0
    assert [a["outcome"] for a in deliver(office, 5)] == ["delivered"]
    assert office.run("notify", "retry", failed[0]["id"]).rc == 1              # delivered: never again
    assert len(set(r.keys())) == 1 and log(office, "--failed") == []
    assert office.run("config", "set", "notify.retry", "0/1d").rc == 64


def test_kill_9_mid_delivery_sends_each_key_once_per_idempotency_key(office, receiver):
    r = receiver(delay=3)
    channel(office, "webhook", "w", r.url(), events="request")
    bob = office.add_user("bob")
    for i in range(3):
        request(office, bob, f"Tool {i}")                     # employees' writes leave delivery to cron
    proc = subprocess.Popen([BIN, "notify", "deliver"], cwd=office.home, env=office.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert r.first_seen.wait(20)
    os.kill(proc.pid, signal.SIGKILL)                          # the receiver holds the first item
    proc.wait()
    time.sleep(3.5)                                            # the orphaned request finishes
    statuses = sorted(i["status"] for i in log(office))
    assert statuses == ["delivering", "pending", "pending"]    # leased, not lost
    # Another run now does not touch the leased item; the other two go.
    assert sorted(a["outcome"] for a in deliver(office)) == ["delivered", "delivered"]
    # After the lease ends, the item is sent again, with the same key.
    assert [a["outcome"] for a in deliver(office, 1)] == ["delivered"]
    assert deliver(office, 2) == []
    keys = r.keys()
    assert len(set(keys)) == 3 and all(s == "delivered" for s in (i["status"] for i in log(office)))
    # At most the one key in flight at the kill arrives twice, and a receiver keeping keys drops it.
    assert len(keys) - len(set(keys)) <= 1
    dupes = [k for k in set(keys) if keys.count(k) > 1]
    assert all(keys[0] == k for k in dupes)


def test_two_concurrent_delivery_runs_never_send_one_key_twice(office, receiver):
    r = receiver(each_delay=0.05)
    channel(office, "webhook", "w", r.url(), events="request")
    bob = office.add_user("bob")
    for i in range(24):
        request(office, bob, f"Tool {i}")
    procs = [subprocess.Popen([BIN, "notify", "deliver", "--json"], cwd=office.home, env=office.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    delivered = [a["id"] for out, _ in outs for a in json.loads(out)]
    assert len(delivered) == 24 and len(set(delivered)) == 24
    assert len(r.posts) == 24 and len(set(r.keys())) == 24


def test_a_missed_week_of_cron_catches_up_each_reminder_once(office, receiver):
    r = receiver()
    reminding(office, r, "14d,7d", "CRM", ahead(20))
    assert deliver(office) == [] and r.posts == []            # the 14-day reminder is 6 days off
    # No cron from day 1 to day 15: the first run after sees both reminders' days passed.
    sent = deliver(office, 15)
    assert sorted(p["lead"] for p in r.bodies()) == ["14d", "7d"]
    assert len(sent) == 2
    for day in (15, 16, 17):
        assert deliver(office, day) == []
    at(office, 18, "license", "list")
    assert len(r.posts) == 2
    assert {b["data"]["renews_on"] for b in r.bodies()} == {ahead(20)}


def test_a_moved_renewal_rearms_and_a_renewed_license_does_not_send_the_stale_reminder(office, receiver):
    r = receiver(fail=1)
    # Queued by the add (the 30-day lead has passed) and tried at once: the receiver refuses it.
    reminding(office, r, "30d", "CRM", ahead(20))
    pending = log(office)
    assert [(i["event"], i["day"], i["status"]) for i in pending] == [("renewal", ahead(20), "pending")]
    # Renewed before the retry: the pending reminder is for a date that no longer comes.
    office.ok("license", "edit", "CRM", "--renews", ahead(385))
    assert [a["outcome"] for a in deliver(office, 1)] == ["stale"]
    assert len(r.posts) == 1                                    # only the refused first try
    # Moved to a nearer date: a new key, so the reminder re-arms, and the edit delivers it once.
    office.ok("license", "edit", "CRM", "--renews", ahead(25))
    assert len(r.posts) == 2 and r.bodies()[-1]["day"] == ahead(25) and r.bodies()[-1]["lead"] == "30d"
    assert deliver(office, 2) == []
    assert [i["status"] for i in log(office)] == ["delivered", "stale"]
    # With a notice period the reminder is for the cancel-by date.
    reminding(office, None, None, "HR", ahead(50), "--notice", "30d")
    assert r.bodies()[-1]["event"] == "cancel-by" and r.bodies()[-1]["day"] == ahead(20)
    assert r.bodies()[-1]["data"]["cancel_by"] == ahead(20)


# --- the weekly digest ------------------------------------------------------------------------------------

def test_the_digest_lists_the_week_and_is_sent_once_a_week(office, receiver):
    r = receiver()
    office.ok("license", "add", "Figma", "--vendor", "figma", "--seats", "3", "--cost", "100", "--period", "yearly",
              "--renews", ahead(10), "--notice", "5d")
    office.ok("charge", "add", "notion", "12.00", "--on", TODAY.isoformat())
    bob = office.add_user("bob")
    request(office, bob, "Miro")
    rows = office.ok("report", "digest", "--json").json()
    sections = {(x["section"], x["subject"]) for x in rows}
    assert {("renewal", "Figma"), ("decision", "Figma"), ("request", "#1 bob"), ("reclaimable", "Figma")} <= sections
    assert any(x["section"] == "finding" and "Notion" in x["subject"] for x in rows)
    renewal = next(x for x in rows if x["section"] == "renewal")
    assert renewal["date"] == ahead(10) and f"cancel by {ahead(5)}" in renewal["detail"] and renewal["amount_minor"] == 10000
    table = office.ok("report", "digest").out
    assert "SECTION" in table and "Figma" in table
    # Findings older than --since are not new.
    assert not any(x["section"] == "finding" for x in at(office, 10, "report", "digest", "--since", "7d", "--json").json())
    nowhere = office.run("report", "digest", "--send")
    assert nowhere.rc == 1 and "no channel takes the digest" in nowhere.err
    channel(office, "slack", "s", r.url("/slack"), events="digest")
    office.ok("report", "digest", "--send")
    assert len(r.posts) == 1
    text = r.bodies()[0]["text"]
    assert "weekly digest" in text and "Renewals and cancel-by dates coming (1):" in text and "Requests waiting (1):" in text
    # The same week again, by hand or by cron: not sent twice.
    assert "queued already" in office.ok("report", "digest", "--send").err
    deliver(office)
    assert len(r.posts) == 1
    # Next week's first delivery run queues and sends the next one.
    deliver(office, 7)
    assert len(r.posts) == 2 and len(set(r.keys())) == 2
    # A write command's delivery never queues the week's digest: cron's (or --send) does.
    at(office, 14, "charge", "add", "notion", "5.00", "--on", ahead(14))
    assert len(r.posts) == 2
    assert deliver(office, 14)[0]["event"] == "digest" and len(r.posts) == 3


def test_a_read_only_command_queues_a_due_reminder_but_never_waits_on_a_receiver(office, receiver):
    r = receiver()
    reminding(office, r, "30d", "CRM", ahead(40), events="renewal")
    at(office, 12, "license", "list")                           # sees the reminder's day: queues it only
    assert r.posts == [] and [i["status"] for i in log(office)] == ["pending"]
    assert [a["outcome"] for a in deliver(office, 12)] == ["delivered"]
    assert len(r.posts) == 1


# Run once, on SQLite (make test): how curl is run (process handling).
@pytest.mark.backend_independent
def test_curl_gets_the_url_and_headers_on_stdin_never_in_its_arguments(office):
    """What `ps` shows of a delivery: a stand-in curl records its arguments and its standard input."""
    bin_dir = office.home / "bin"
    bin_dir.mkdir()
    seen = office.home / "curl-seen"
    fake = bin_dir / "curl"
    fake.write_text(f'#!/bin/sh\necho "ARGV: $*" > "{seen}"\ncat >> "{seen}"\nprintf 200\n')
    fake.chmod(0o755)
    secret = "https://hooks.example.com/services/T1/B2/SECRET-T0KEN-xyz"
    assert channel(office, "slack", "s", secret).rc == 0
    env = {"PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    t = office.run("notify", "test", "s", "--json", env=env)
    assert t.rc == 0 and t.json()["http_status"] == 200, t
    lines = seen.read_text().splitlines()
    assert lines[0] == "ARGV: --config -"
    assert f'url = "{secret}"' in lines and 'proto = "=http,https"' in lines
    assert any(l.startswith('header = "Idempotency-Key: owatch-') for l in lines)
    body_file = next(l for l in lines if l.startswith("data-binary"))
    assert not os.path.exists(body_file.split('"@', 1)[1].rstrip('"'))     # the body's file is gone after


def test_a_channel_edited_behind_owatch_is_found_by_audit_verify(office, receiver):
    r = receiver()
    channel(office, "webhook", "w", r.url(), events="all")
    office.ok("audit", "verify", "--state")
    office.sql("UPDATE notify_channels SET target = 'https://attacker.example/collect'")
    assert office.run("audit", "verify", "--state").rc == 65


def test_doctor_checks_what_delivery_needs_and_what_failed(office, receiver):
    assert "notifications" not in office.ok("doctor").out          # no channel: nothing to say
    r = receiver(fail=-1)
    channel(office, "webhook", "w", r.url(), events="finding")
    office.ok("notify", "add", "email", "it", "--to", "it@example.com", "--events", "finding")
    office.ok("config", "set", "notify.retry", "1/1h")
    office.ok("config", "set", "notify.sendmail", "/nonexistent/sendmail")
    office.ok("charge", "add", "notion", "12.00", "--on", TODAY.isoformat())   # both fail, no retry left
    checks = [c for c in office.run("doctor", "--json").json() if c["check"] == "notifications"]
    details = {c["detail"]: c["status"] for c in checks}
    assert any(d.startswith("webhooks go through /") and s == "ok" for d, s in details.items())
    assert details["no sendmail at /nonexistent/sendmail (config notify.sendmail)"] == "fail"
    assert details["2 item(s) failed; see `owatch notify log --failed`"] == "warn"
