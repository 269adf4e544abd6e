#!/usr/bin/env python3
"""Deterministic benchmark data (seeded: every run is byte for byte the same).
`gen.py licenses N` prints a license CSV; `gen.py mbox N FILE` writes an inbox of N messages;
`gen.py charges N FILE` writes SQL inserting N charges over three years."""
import base64
import random
import sys

VENDORS = ["slack", "zoom", "figma", "notion", "github", "gitlab", "atlassian", "miro", "asana", "dropbox", "1password",
           "datadog", "sentry", "hubspot", "zendesk", "canva", "adobe", "m365", "jetbrains", "docker"]
PERIODS = ["monthly", "yearly", "quarterly", "24m", "weekly", "3y"]


def licenses(n, users):
    rng = random.Random(42)
    out = ["name,vendor,seats,cost,currency,period,renews_on,owner,assigned,notes"]
    for i in range(n):
        seats = rng.randint(1, 50)
        holders = ";".join(sorted({f"user{rng.randrange(users)}" for _ in range(rng.randint(0, min(3, seats)))}))
        renews = f"20{rng.randint(27, 29)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append(f"License {i:06d},{rng.choice(VENDORS)},{seats},{rng.randint(100, 999999) / 100:.2f},EUR,"
                   f"{rng.choice(PERIODS)},{renews},,{holders},\"note {i}, generated\"")
    return "\n".join(out) + "\n"


SENDERS = [("Slack", "feedback@slack.com"), ("Zoom", "billing@zoom.us"), ("Figma", "billing@figma.com"), ("Notion", "team@makenotion.com"),
           ("GitHub", "noreply@github.com"), ("Atlassian", "billing@atlassian.com"), ("Miro", "billing@miro.com"),
           ("Dropbox", "no-reply@dropbox.com"), ("Adobe", "message@adobe.com"), ("Canva", "billing@canva.com"), ("Linear", "billing@linear.app"),
           ("Airtable", "billing@airtable.com"), ("1Password", "billing@1password.com"), ("Asana", "billing@asana.com")]
PEOPLE = ["anna@acme.example", "ben@acme.example", "chris@partner.example", "dora@news.example"]
FILLER = ("We are writing to let you know about the latest changes to our product and services. "
          "Nothing in this paragraph is an amount, a date or an invoice number; it is here to make messages as long as real ones. ")


def message(rng, i):
    """One message of a realistic inbox: about one in four is a receipt, in one of several shapes."""
    day = 1 + i % 28
    date = f"{['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][i % 7]}, {day:02d} {['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'][i % 6]} 2026 10:{i % 60:02d}:00 +0000"
    head = f"From bench {date}\nDate: {date}\nMessage-ID: <bench-{i}@owatch.example>\nTo: accounts@acme.example\n"
    kind = rng.random()
    if kind < 0.25:
        name, addr = rng.choice(SENDERS)
        amount = f"{rng.randint(5, 900)}.{rng.randint(0, 99):02d}"
        body = (f"Thanks for your payment.\nInvoice number: INV-{i:07d}\n{name} plan, billed monthly\n"
                f"Subtotal: ${amount}\nTax: $0.00\nTotal: ${amount}\n\n" + FILLER * rng.randint(1, 4))
        shape = rng.random()
        if shape < 0.4:
            return head + f"From: {name} <{addr}>\nSubject: Your {name} receipt\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
        if shape < 0.7:
            html = "<html><body><table>" + "".join(f"<tr><td>{line}</td></tr>" for line in body.splitlines()) + "</table></body></html>"
            return (head + f"From: {name} <{addr}>\nSubject: Your {name} receipt\nMIME-Version: 1.0\n"
                    f"Content-Type: multipart/alternative; boundary=\"b{i}\"\n\n--b{i}\nContent-Type: text/plain; charset=utf-8\n"
                    f"Content-Transfer-Encoding: quoted-printable\n\n{body}\n--b{i}\nContent-Type: text/html; charset=utf-8\n\n{html}\n--b{i}--\n\n")
        encoded = base64.encodebytes(body.encode()).decode()
        return (head + f"From: {name} <{addr}>\nSubject: =?UTF-8?B?{base64.b64encode(f'Rechnung von {name}'.encode()).decode()}?=\n"
                f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n{encoded}\n")
    if kind < 0.45:
        name, addr = rng.choice(SENDERS)
        return head + f"From: {name} <{addr}>\nSubject: What's new at {name} this month\n\n" + FILLER * rng.randint(2, 8) + "\n"
    sender = rng.choice(PEOPLE)
    if kind < 0.55:
        attachment = base64.encodebytes(bytes(rng.getrandbits(8) for _ in range(rng.randint(2000, 20000)))).decode()
        return (head + f"From: {sender}\nSubject: Photos from the offsite\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"m{i}\"\n\n"
                f"--m{i}\nContent-Type: text/plain\n\nSee attached.\n--m{i}\nContent-Type: image/jpeg\nContent-Transfer-Encoding: base64\n\n"
                f"{attachment}--m{i}--\n\n")
    return head + f"From: {sender}\nSubject: Re: lunch on {day}?\n\n" + FILLER * rng.randint(1, 3) + "\n"


def mbox(n, path):
    rng = random.Random(7)
    with open(path, "w") as f:
        for i in range(n):
            f.write(message(rng, i))


def charges(n, path, vendors=60):
    """SQL for `n` statement charges spread over 2024-01..2026-12 among `vendors` vendor ids
    (1..vendors), none linked to a license: one transaction, so the triggers build the aggregate."""
    rng = random.Random(11)
    with open(path, "w") as f:
        f.write("BEGIN;\n")
        for start in range(0, n, 500):
            rows = []
            for i in range(start, min(n, start + 500)):
                v = rng.randint(1, vendors)
                day = f"{2024 + rng.randrange(3)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                cur = "EUR" if v % 4 else "USD"
                rows.append(f"('bench:{i}','statement',{v},'V{v}',{rng.randint(100, 50000)},'{cur}','{day}',NULL,'2026-01-01T00:00:00Z')")
            f.write("INSERT INTO charges(item_key, origin, vendor_id, vendor, amount_minor, currency, charged_on, license_id, created_at) VALUES\n"
                    + ",\n".join(rows) + ";\n")
        f.write("COMMIT;\n")


# Card-statement descriptions: catalog vendors (some behind processors) and the everyday rest.
STATEMENT_PAYEES = ["SLACK T0123 DUBLIN", "ZOOM.US 888-799-9666", "FIGMA INC SAN FRANCISCO", "AWS EMEA aws.amazon.com",
                    "ATLASSIAN SYDNEY", "NOTION LABS INC SAN FRANCISCO", "DROPBOX SAN FRANCISCO", "GITHUB INC",
                    "REWE MARKT BERLIN", "DB BAHN FERNVERKEHR", "UBER TRIP HELP.UBER.COM", "HOTEL ADLON KEMPINSKI",
                    "SHELL TANKSTELLE 0412", "AMAZON MKTPLACE PMTS", "LIEFERANDO.DE", "PAYPAL *QUILLPAD"]


def statement(n, path, extra=0):
    """A card statement CSV of `n` lines over 2024-2026 (the same lines for the same n), plus
    `extra` new lines after them: the overlapping re-export a bank gives a week later."""
    rng = random.Random(31)
    with open(path, "w") as f:
        f.write("Date,Description,Amount,Currency\n")
        for i in range(n + extra):
            if i == n:
                rng = random.Random(32)  # the re-export's new lines
            day = f"{2024 + rng.randrange(3)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            cents = rng.randint(100, 50_000)
            cur = "USD" if rng.random() < 0.2 else "EUR"
            f.write(f"{day},{rng.choice(STATEMENT_PAYEES)} {i % 97},-{cents // 100}.{cents % 100:02d},{cur}\n")


if __name__ == "__main__":
    kind, n = sys.argv[1], int(sys.argv[2])
    if kind == "licenses":
        sys.stdout.write(licenses(n, int(sys.argv[3]) if len(sys.argv) > 3 else 50))
    elif kind == "mbox":
        mbox(n, sys.argv[3])
    elif kind == "charges":
        charges(n, sys.argv[3])
    else:
        sys.exit(f"unknown kind {kind}")
