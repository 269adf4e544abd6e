#!/usr/bin/env python3
"""Seed corpora for the fuzz targets (Tests/Fuzz/Fuzz.swift), written under the directory given:
one directory per target, from the real files in this repository (the PDF corpus, the example
mailbox, statements and exports) plus each target's regression inputs (Tests/Fuzz/regressions)."""
import base64
import json
import re
import shutil
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ["pdf", "pdf-content", "pdf-filter", "mime", "header", "charset", "html", "statement", "license-import", "directory", "token", "json", "csv",
           "snipe-it", "wallos"]


def messages():
    text = (ROOT / "examples" / "mail" / "receipts.mbox").read_bytes()
    return [m if m.startswith(b"From ") else b"From " + m for m in re.split(rb"\n(?=From )", text) if m.strip()]


def pdf_streams(limit=300):
    out = []
    for pdf in sorted((ROOT / "Tests" / "corpus" / "pdf").glob("*.pdf")):
        data = pdf.read_bytes()
        for m in re.finditer(rb"stream\r?\n", data):
            end = data.find(b"endstream", m.end())
            if end < 0:
                continue
            raw = data[m.end():end]
            try:
                inflated = zlib.decompressobj().decompress(raw, 65536)
            except zlib.error:
                continue
            if b"Tj" in inflated or b"TJ" in inflated or b"beginbfchar" in inflated or b"beginbfrange" in inflated:
                out.append(inflated)
            if len(out) >= limit:
                return out
    return out


def token():
    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
    header = {"alg": "Ed25519", "typ": "JWT", "kid": "k1"}
    claims = {"iss": "ledger", "sub": "bob", "role": "employee", "iat": 1700000000, "nbf": 1700000000, "exp": 1900000000,
              "jti": "AAAAAAAAAAAAAAAAAAAAAA"}
    return f"{b64(header)}.{b64(claims)}.{base64.urlsafe_b64encode(bytes(64)).rstrip(b'=').decode()}".encode()


LICENSES_CSV = (b"name,vendor,plan,seats,cost,currency,period,renews_on,owner,assigned,category,per_seat,notes,order,purchased_on\n"
                b"Slack,slack,Pro,10,8.75,EUR,monthly,2027-01-01,alice,bob;carol,chat,true,,PO-1,2026-01-01\n"
                b"Figma,figma,,unlimited,\"1.234,56\",USD,yearly,,,,,false,\"a \"\"note\"\"\",,\n")
LICENSES_JSON = json.dumps([{"name": "Zoom", "vendor": "zoom", "seats": 5, "cost": "14.99", "currency": "EUR", "period": "monthly",
                             "status": "active", "ends_on": None, "lines": [{"seats": 5, "cost": "74.95", "purchased_on": "2026-02-01"}],
                             "assigned_to": ["bob"]}]).encode()
SCIM = json.dumps({"Resources": [{"userName": "bob@acme.example", "name": {"givenName": "Bob", "familyName": "Becker"}, "active": True,
                                  "emails": [{"value": "bob@acme.example", "primary": True}],
                                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales"}}]}).encode()


def seeds():
    mails = messages()
    headers = [line for m in mails for line in m.split(b"\n\n", 1)[0].split(b"\n")
               if line[:1] not in (b" ", b"\t") and b":" in line]
    bodies = [m.split(b"\n\n", 1)[-1] for m in mails]
    out = {t: [] for t in TARGETS}
    out["pdf"] = [p.read_bytes() for p in sorted((ROOT / "Tests" / "corpus" / "pdf").glob("*.pdf"))]
    out["pdf-content"] = pdf_streams()
    out["mime"] = mails
    # Each text filter's encoding of content streams (first byte: filter, second: parameters), by Python's encoders.
    streams = out["pdf-content"][:20]
    out["pdf-filter"] = ([bytes([0, 0]) + base64.a85encode(s) + b"~>" for s in streams]
                         + [bytes([1, 0]) + base64.b16encode(s) + b">" for s in streams]
                         + [bytes([4, 0]) + zlib.compress(s) for s in streams]
                         + [bytes([3, 0, 0x80]), bytes([2, 0, 0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01])])
    out["header"] = [h.split(b":", 1)[1].strip() for h in headers][:400]
    out["charset"] = [bytes([i]) + b for i, b in enumerate(bodies[:48])]
    out["html"] = [b for b in bodies if b"<" in b and b">" in b][:100] or [b"<html><body><p>Total&nbsp;&euro;9</p></body></html>"]
    card = (ROOT / "examples" / "statements" / "card.csv").read_bytes()
    mt940 = sorted((ROOT / "Tests" / "corpus" / "statements" / "mt940").glob("*.sta"))
    out["statement"] = [card, card.replace(b",", b";"), card.replace(b",", b"\t")] + [p.read_bytes() for p in mt940[:4]]
    out["license-import"] = [LICENSES_CSV, LICENSES_CSV.replace(b",", b";"), LICENSES_JSON,
                             b"\n".join(json.dumps(x).encode() for x in json.loads(LICENSES_JSON))]
    people = [p.read_bytes() for p in sorted((ROOT / "examples" / "people").glob("*.csv"))]
    out["directory"] = people + [SCIM, b"name,email,department,status\nBob Becker,bob@acme.example,Sales,active\n"]
    # The header rows of Snipe-IT's sample_csvs/licenses-sample.csv and users-sample.csv (AGPL-3.0), rows made up;
    # Wallos's export keys (endpoints/subscriptions/export.php, GPL-3.0).
    snipe = (b"Full Name,Email,Username,Item name,serial number,Category,manufacturer,purchase date,purchase cost,purchase order,"
             b"order number,Licensed To Name,Licensed to Email,expiration date,maintained,reassignable,seats,company,supplier,notes\n"
             b"Bob B,bob@acme.example,bob,Office 365,4c27,Productivity,Microsoft,11/24/2026,$12.50,PO-1,7493,,,02/26/2027,false,yes,5,"
             b"Acme,Reseller,\"E3, yearly\"\n,,,WinZip,,Utilities,Corel,01.02.2026,30,,,Acme,it@acme.example,,false,yes,1,,,\n")
    out["snipe-it"] = [snipe, snipe.replace(b",", b";")]
    wallos = [{"Name": "Netflix", "Payment Cycle": "Every 3 Months", "Next Payment": "2030-01-15", "Renewal": "Automatic",
               "Category": "Video", "Payment Method": "PayPal", "Paid By": "bob", "Price": "\u20ac15.99", "Notes": "x",
               "URL": "https://www.netflix.com", "State": "Enabled", "Notifications": "Enabled", "Cancellation Date": "",
               "Active": "Yes"}]
    out["wallos"] = [json.dumps(wallos).encode(), json.dumps({"success": True, "subscriptions": wallos}).encode(),
                     (",".join(wallos[0]) + "\n" + ",".join(wallos[0].values()) + "\n").encode()]
    out["token"] = [token()]
    out["json"] = [LICENSES_JSON, SCIM, b'{"a":[1,2.5e-3,"\\u00e9\\ud83d\\ude00",true,null]}']
    out["csv"] = [card, LICENSES_CSV] + people
    return out


def main():
    dest = Path(sys.argv[1])
    for target, items in seeds().items():
        d = dest / target
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        for i, data in enumerate(items):
            (d / f"seed-{i:04d}").write_bytes(data)
        regressions = ROOT / "Tests" / "Fuzz" / "regressions" / target
        for f in sorted(regressions.glob("*")) if regressions.is_dir() else []:
            shutil.copy(f, d / f"regression-{f.name}")
        print(f"{target}: {len(list(d.iterdir()))} seeds")


if __name__ == "__main__":
    main()
