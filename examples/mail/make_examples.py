#!/usr/bin/env python3
"""Writes the example mailbox owatch ships (receipts.mbox) and the Maildir and .eml copies the
tests use. Deterministic: run it again and the files are byte for byte the same.

Usage: make_examples.py [OUTDIR]   (default: this folder; writes receipts.mbox)
       make_examples.py --maildir DIR | --eml DIR   (the same messages in those layouts)
"""
import base64
import quopri
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def qp(text, charset):
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def b64(text, charset):
    raw = base64.b64encode(text.encode(charset)).decode("ascii")
    return "\n".join(raw[i:i + 76] for i in range(0, len(raw), 76))


def ew(text, charset="utf-8", enc="B"):
    """An RFC 2047 encoded word."""
    if enc == "B":
        return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="
    q = "".join(ch if (ch.isascii() and ch.isalnum()) else "_" if ch == " " else "".join("=%02X" % b for b in ch.encode(charset))
                for ch in text)
    return f"=?{charset}?Q?{q}?="


MESSAGES = []


def msg(n, sender, subject, date, body, ctype="text/plain", charset="utf-8", cte="7bit", extra=""):
    """A single-part message; body encoded per cte."""
    if cte == "base64":
        payload = b64(body, charset).encode("ascii")
    elif cte == "quoted-printable":
        payload = qp(body, charset).encode("ascii")
    else:
        payload = body.encode(charset)      # 7bit or 8bit: the bytes as the charset writes them
    MESSAGES.append(f"""From: {sender}
To: accounts@acme.example
Subject: {subject}
Date: {date}
Message-ID: <ex{n:03d}@owatch.example>
MIME-Version: 1.0
Content-Type: {ctype}; charset="{charset}"
Content-Transfer-Encoding: {cte}
{extra}
""".encode("ascii") + payload + b"\n")


def alt(n, sender, subject, date, text, html, charset="utf-8", cte_text="7bit", cte_html="quoted-printable", boundary=None):
    """multipart/alternative with a plain and an HTML part."""
    b = boundary or f"alt-{n:03d}"
    def enc(body, cte):
        return b64(body, charset) if cte == "base64" else qp(body, charset) if cte == "quoted-printable" else body
    MESSAGES.append(f"""From: {sender}
To: accounts@acme.example
Subject: {subject}
Date: {date}
Message-ID: <ex{n:03d}@owatch.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="{b}"

This is a multi-part message in MIME format.
--{b}
Content-Type: text/plain; charset={charset}
Content-Transfer-Encoding: {cte_text}

{enc(text, cte_text)}
--{b}
Content-Type: text/html; charset={charset}
Content-Transfer-Encoding: {cte_html}

{enc(html, cte_html)}
--{b}--
""".encode("utf-8"))


def receipt_html(vendor, lines, total_label, total, extra=""):
    rows = "".join(f"<tr><td>{a}</td><td style='text-align:right'>{b}</td></tr>" for a, b in lines)
    return (f"<html><head><style>td {{ padding: 4px }} .x {{ color: red }}</style><script>var t = 'Total: $999.00';</script></head>"
            f"<body><h1>{vendor}</h1><p>Thanks for your business!</p><table>{rows}"
            f"<tr><td><b>{total_label}</b></td><td style='text-align:right'><b>{total}</b></td></tr></table>{extra}"
            f"<p>Questions? Reply to this email &mdash; we&#39;re happy to help. &copy; {vendor}</p></body></html>")


# --- Receipts (charges) ----------------------------------------------------------------------------
msg(1, "Slack <feedback@slack.com>", "Your Slack receipt for October 2026", "Sun, 01 Nov 2026 09:12:44 +0000",
    "Slack Pro - Acme GmbH\nReceipt #SLK-2026-10-4471\n\n3 active members x EUR 8.75   26.25 EUR\nSubtotal: 26.25 EUR\nVAT (0%): 0.00 EUR\nTotal: 26.25 EUR\nAmount paid: 26.25 EUR\n\nBilled monthly.\n")
alt(2, "Zoom <billing@zoom.us>", "Zoom Payment Receipt", "Mon, 02 Nov 2026 14:03:10 -0800",
    "Thank you for your payment.\nInvoice number: INV-ZM-882211\nZoom Workplace Pro (Monthly)\nSubtotal $15.99\nTax $0.00\nTotal $15.99\nCharged to Visa ending 4242\n",
    receipt_html("Zoom", [("Zoom Workplace Pro (Monthly)", "$15.99"), ("Tax", "$0.00")], "Total", "$15.99", "<p>Invoice number: INV-ZM-882211</p>"))
MESSAGES.append("""From: Figma <billing@figma.com>
To: accounts@acme.example
Subject: =?utf-8?Q?Your_Figma_receipt_=E2=80=93_Professional_plan?=
Date: Tue, 03 Nov 2026 08:00:00 +0000
Message-ID: <ex003@owatch.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

""".encode() + b64(receipt_html("Figma", [("Professional plan, 2 editors, annual", "€540.00")], "Amount paid", "€540.00",
                                "<p>Receipt number 2211-0933</p><p>Billed yearly</p>"), "utf-8").encode() + b"\n")
msg(4, "Notion Team <team@makenotion.com>", "Your receipt from Notion Labs, Inc. #2044-1102", "Wed, 04 Nov 2026 17:44:01 +0000",
    "Receipt from Notion Labs, Inc.\nReceipt number 2044-1102\nDate paid November 4, 2026\n\nNotion Plus (monthly)   $20.00\n\nAmount paid $20.00\n")
msg(5, "GitHub <noreply@github.com>", "[GitHub] Payment Receipt for acme-gmbh", "Thu, 05 Nov 2026 10:10:10 +0000",
    "We received payment for your GitHub.com subscription.\n\nGitHub Team (monthly) for 5 seats\nTransaction ID: GH-7782910\nDate: 2026-11-05\nTotal: $20.00 USD\n\nCharged to: Mastercard (4 4 4 4)\n",
    cte="quoted-printable")
msg(6, "Atlassian <noreply@am.atlassian.com>", "Atlassian invoice AT-400128 paid", "Fri, 06 Nov 2026 03:30:00 +1100",
    "Invoice AT-400128\nJira Software Standard - monthly\nUsers: 10\nSubtotal (excl. tax) USD 81.50\nTax USD 0.00\nTotal paid USD 81.50\n")
msg(7, "Dropbox <no-reply@dropbox.com>", "Your Dropbox receipt", "Sat, 07 Nov 2026 12:00:00 +0000",
    "Hi Acme,\n\nThanks for your payment.\n\nDropbox Standard (yearly)\nOrder number: DBX-99120033\nTotal: €1.236,00\n", charset="iso-8859-15", cte="quoted-printable")
msg(8, "1Password <billing@1password.com>", "1Password receipt / invoice 1P-55512", "Sun, 08 Nov 2026 18:20:00 +0000",
    "Receipt\nInvoice 1P-55512\n1Password Teams Starter Pack (monthly)\nAmount charged: US$19.95\n")
msg(9, "DeepL <billing@deepl.com>", ew("Ihre Rechnung von DeepL – November 2026", "utf-8", "Q"), "Mon, 09 Nov 2026 07:05:00 +0100",
    "Guten Tag,\n\nvielen Dank für Ihre Zahlung.\n\nRechnungsnummer: DL-2026-110977\nDeepL Pro Advanced (monatlich)\nZwischensumme: 28,74 €\nMwSt. 19 %: 5,46 €\nGesamtbetrag: 34,20 €\n\nMit freundlichen Grüßen\nIhr DeepL-Team\n",
    charset="windows-1252", cte="quoted-printable")
msg(10, "Hetzner Online GmbH <billing@hetzner.com>", "Hetzner Rechnung R0012345678", "Tue, 10 Nov 2026 06:00:00 +0100",
    "Sehr geehrter Kunde,\n\nanbei erhalten Sie Ihre Rechnung.\n\nRechnungsnummer: R0012345678\nCloud Server CX32 (monatlich)\nSumme netto: 11,90 EUR\nUSt. 19 %: 2,26 EUR\nRechnungsbetrag: 14,16 EUR\n\nDer Betrag wird per Lastschrift eingezogen.\n",
    charset="windows-1252", cte="8bit")
msg(11, "OVHcloud <noreply@ovh.com>", ew("Votre facture OVHcloud FR5678123 est disponible", "iso-8859-1", "Q"), "Wed, 11 Nov 2026 11:11:11 +0100",
    "Bonjour,\n\nVotre facture n° FR5678123 est disponible.\nMontant HT : 5,99 €\nTVA : 1,20 €\nMontant total TTC : 7,19 €\n\nPaiement reçu, merci.\nRenouvellement mensuel.\n",
    charset="iso-8859-15", cte="quoted-printable")
msg(12, "Miro <billing@miro.com>", "Miro: payment receipt", "Thu, 12 Nov 2026 13:00:00 +0000",
    "Receipt\nMiro Starter, billed monthly, 4 members\nInvoice number: MIRO-20261112-01\nTotal: €32.00\n", cte="base64")
alt(13, "Canva <no-reply@canva.com>", "Your Canva Pro receipt", "Fri, 13 Nov 2026 09:30:00 +1000",
    "Receipt for Canva Pro\nInvoice #CNV-0098812\nCanva Pro (Yearly)\nAmount paid: A$164.99\n",
    receipt_html("Canva", [("Canva Pro (Yearly)", "A$164.99")], "Amount paid", "A$164.99", "<p>Invoice #CNV-0098812</p>"), cte_text="base64")
msg(14, "Adobe <mail@mail.adobe.com>", "Adobe Invoice: your payment was received", "Sat, 14 Nov 2026 15:00:00 -0700",
    "Your payment has been received.\nInvoice number: IEU2026000441\nCreative Cloud All Apps - monthly plan\nSubtotal 62.99 EUR\nTax 0.00 EUR\nGrand total 62.99 EUR\n")
msg(15, "JetBrains Sales <sales@jetbrains.com>", "JetBrains order A-9081123 - payment confirmation", "Sun, 15 Nov 2026 10:00:00 +0100",
    "Thank you for your order.\nOrder A-9081123\nAll Products Pack, 2 users, annual subscription\nSubtotal: EUR 1,378.00\nVAT: EUR 0.00\nTotal: EUR 1,378.00\nPaid by credit card.\n")
# Linear bills through Stripe: the vendor is named in the body.
msg(16, "Linear <invoice+statements@stripe.com>", "Your receipt from Linear Orbit, Inc. #1833-9921", "Mon, 16 Nov 2026 08:08:08 +0000",
    "Receipt from Linear Orbit, Inc.\nReceipt #1833-9921\nLinear Standard (monthly), 6 seats\nAmount paid $48.00\nDate paid Nov 16, 2026\n")
msg(17, "OpenAI <noreply@tm.openai.com>", "Your ChatGPT Team receipt", "Tue, 17 Nov 2026 02:00:00 +0000",
    "OpenAI\nReceipt number 2290-5521\nChatGPT Team, 3 seats, monthly\nSubtotal $90.00\nTax $0.00\nTotal $90.00\nAmount paid $90.00\n")
msg(18, "Datadog <billing@datadoghq.com>", "Datadog Invoice INV-DD-77123", "Wed, 18 Nov 2026 19:00:00 -0500",
    "Invoice INV-DD-77123\nInfrastructure Pro, 5 hosts (monthly)\nAmount due: $115.00\nThis invoice has been paid by card on file.\n")
# Japanese: Shift_JIS and ISO-2022-JP.
msg(19, "Zoom Japan <billing@zoom.us>", ew("Zoom 領収書 / お支払いありがとうございます", "utf-8", "B"), "Thu, 19 Nov 2026 10:00:00 +0900",
    "お支払いありがとうございます。\n請求書番号: INV-ZMJP-5521\nZoom Workplace Pro (月額)\n小計: ¥2,125\n消費税: ¥0\nご請求金額: ¥2,125\n", charset="shift_jis", cte="base64")
msg(20, "Canva Japan <no-reply@canva.com>", ew("Canva 領収書", "iso-2022-jp", "B"), "Fri, 20 Nov 2026 11:00:00 +0900",
    "領収書\n請求書番号 CNV-JP-0091\nCanva Pro (月額)\nお支払い金額: ¥1,180\n", charset="iso-2022-jp")
# Spanish and Italian.
msg(21, "Typeform <billing@typeform.com>", "Tu recibo de Typeform - factura TF-2026-3344", "Sat, 21 Nov 2026 09:00:00 +0100",
    "Hola,\n\nGracias por tu pago.\nNúmero de factura: TF-2026-3344\nPlan Basic (mensual)\nSubtotal: 25,00 €\nIVA: 0,00 €\nImporte total: 25,00 €\n", charset="utf-8", cte="quoted-printable")
msg(22, "Calendly <billing@calendly.com>", "Ricevuta di pagamento Calendly", "Sun, 22 Nov 2026 16:40:00 +0100",
    "Grazie per il pagamento.\nFattura numero CAL-77120\nPiano Standard (mensile)\nTotale: 12,00 €\n")
# A price change: Slack charged more than the contract says (the demo registers Slack at 26.25 EUR).
msg(23, "Slack <feedback@slack.com>", "Your Slack receipt for November 2026", "Tue, 24 Nov 2026 09:12:44 +0000",
    "Slack Pro - Acme GmbH\nReceipt #SLK-2026-11-5190\n\n4 active members x EUR 8.75   35.00 EUR\nTotal: 35.00 EUR\nAmount paid: 35.00 EUR\nBilled monthly.\n")
# Paid twice: two Miro receipts for the same amount a day apart.
msg(24, "Miro <billing@miro.com>", "Miro: payment receipt", "Fri, 13 Nov 2026 08:00:00 +0000",
    "Receipt\nMiro Starter, billed monthly, 4 members\nInvoice number: MIRO-20261113-02\nTotal: €32.00\n")
# The same Zoom receipt delivered twice (same invoice number, another Message-ID): one charge.
alt(25, "Zoom <billing@zoom.us>", "Fwd: Zoom Payment Receipt", "Mon, 02 Nov 2026 15:00:00 -0800",
    "Thank you for your payment.\nInvoice number: INV-ZM-882211\nZoom Workplace Pro (Monthly)\nTotal $15.99\n",
    receipt_html("Zoom", [("Zoom Workplace Pro (Monthly)", "$15.99")], "Total", "$15.99"), boundary="alt-025-boundary-alt-025")
msg(26, "Personio <billing@personio.de>", "Personio Rechnung PER-88123", "Mon, 02 Nov 2026 07:00:00 +0100",
    "Rechnung PER-88123\nPersonio Core (monatlich), 25 Mitarbeitende\nGesamtbetrag: 299,00 €\nBezahlt per SEPA-Lastschrift.\n", charset="utf-8", cte="base64")
msg(27, "Loom <billing@loom.com>", "Your Loom receipt", "Tue, 03 Nov 2026 20:00:00 +0000",
    "Receipt #LOOM-44120\nLoom Business, 3 creators, billed monthly\nTotal paid: $45.00\n")
msg(28, "Grammarly <billing@grammarly.com>", "Grammarly Business - invoice GRM-100022", "Wed, 04 Nov 2026 20:00:00 +0000",
    "Invoice GRM-100022\nGrammarly Business, 3 members, annual\nTotal: $540.00\nStatus: Paid\n")
# Nested multipart: mixed(alternative(plain, html), text attachment) with tricky boundaries.
MESSAGES.append("""From: Calendly <billing@calendly.com>
To: accounts@acme.example
Subject: Calendly invoice CAL-77301
Date: Thu, 05 Nov 2026 12:00:00 +0000
Message-ID: <ex029@owatch.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: multipart/alternative; boundary="b1-inner"

--b1-inner
Content-Type: text/plain; charset=us-ascii

Calendly invoice CAL-77301
Teams plan, billed yearly
Total: $192.00
--b1-inner
Content-Type: text/html; charset=us-ascii

<p>Calendly invoice CAL-77301</p><p>Teams plan, billed yearly</p><p>Total: <b>$192.00</b></p>
--b1-inner--

--b1
Content-Type: text/plain; name="invoice.txt"
Content-Disposition: attachment; filename="invoice.txt"

--b1-inner is not a boundary here
Invoice CAL-77301 line items attached.
--b1--
""".encode())
msg(30, "Sentry <noreply@sentry.io>", "Sentry receipt for Acme", "Fri, 06 Nov 2026 05:00:00 +0000",
    "Thanks for your payment to Sentry.\nReceipt number: SNT-0092231\nTeam plan (monthly)\nSubtotal: $26.00\nTotal: $26.00\n")
msg(31, "HubSpot <billing@hubspot.com>", "Your HubSpot invoice HS-2026-8812 has been paid", "Sat, 07 Nov 2026 05:00:00 +0000",
    "Invoice HS-2026-8812\nStarter Customer Platform (monthly)\nAmount paid: $50.00\n")
msg(32, "Webflow <billing@webflow.com>", "Webflow receipt", "Sun, 08 Nov 2026 05:00:00 +0000",
    "Receipt #WF-7712\nCMS site plan (annual)\nCharged: $276.00\n")

# An invoice that is only a PDF attachment (a FlateDecode content stream, as PDF writers make them).
def pdf_document(content, compress=True):
    """A minimal one-page PDF whose page shows `content` (a content stream), FlateDecode by default.
    The tests build their PDFs with it too."""
    import zlib
    data = zlib.compress(content, 9) if compress else content
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< %s/Length %d >>\nstream\n" % (b"/Filter /FlateDecode " if compress else b"", len(data)) + data + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out = b"%PDF-1.4\n"
    for n, o in enumerate(objs, 1):
        out += b"%d 0 obj\n" % n + o + b"\nendobj\n"
    return out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf(lines):
    return pdf_document(b"".join(b"BT /F1 11 Tf 72 %d Td (%s) Tj ET\n" % (760 - 20 * i, l.encode("latin-1")) for i, l in enumerate(lines)))


attachment = base64.encodebytes(pdf(["Asana, Inc.", "Invoice number: ASN-2026-1107", "Asana Starter, 1 seat, billed annually",
                                     "Subtotal: $131.88", "Tax: $0.00", "Total: $131.88", "Paid with Visa ending 4242"])).decode("ascii")
MESSAGES.append(f"""From: Asana <billing@asana.com>
To: accounts@acme.example
Subject: Your Asana invoice
Date: Mon, 09 Nov 2026 09:00:00 +0000
Message-ID: <ex033@owatch.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="pdf-033"

--pdf-033
Content-Type: text/plain; charset="utf-8"

Hello, your invoice is attached. Thank you for using Asana.
--pdf-033
Content-Type: application/pdf; name="ASN-2026-1107.pdf"
Content-Disposition: attachment; filename="ASN-2026-1107.pdf"
Content-Transfer-Encoding: base64

{attachment}--pdf-033--
""".encode("ascii"))

# --- Look-alikes from the same vendors: not charges ------------------------------------------------
msg(101, "Slack <feedback@slack.com>", "What's new in Slack: huddles, canvases and more", "Mon, 02 Nov 2026 16:00:00 +0000",
    "Hi there,\nCheck out what's new this month. Upgrade to Business+ for just $12.50 per user.\nTotal productivity awaits!\nUnsubscribe\n")
alt(102, "Zoom <webinars@zoom.us>", "You're invited: Zoom webinar on hybrid work", "Tue, 03 Nov 2026 16:00:00 +0000",
    "Join our webinar. Tickets: free. Total seats: 500.\n", "<p>Join our <b>webinar</b>. Total seats: 500.</p>")
msg(103, "Figma <billing@figma.com>", "Your Figma trial ends in 3 days", "Wed, 04 Nov 2026 16:00:00 +0000",
    "Your Professional trial ends soon. After the trial you will be charged $15.00 per editor per month.\nAmount due after trial: $15.00\n")
msg(104, "Notion Team <team@makenotion.com>", "Payment failed: update your card", "Thu, 05 Nov 2026 16:00:00 +0000",
    "We couldn't process your payment of $20.00 for Notion Plus. Invoice 2044-1203 remains unpaid.\nAmount due: $20.00\n")
msg(105, "GitHub <noreply@github.com>", "[GitHub] A new sign-in to your account", "Fri, 06 Nov 2026 16:00:00 +0000",
    "A new sign-in from Berlin. If this was you, no action is needed. Receipt of this email confirms nothing.\n")
alt(106, "Dropbox <no-reply@dropbox.com>", "Get 50% off Dropbox Advanced — special offer", "Sat, 07 Nov 2026 16:00:00 +0000",
    "Special offer! Total storage 15 TB. Now €9.99 instead of €19.98.\n", "<p>Special offer! <b>Total</b> storage 15 TB. Now €9.99</p>")
msg(107, "Atlassian <noreply@am.atlassian.com>", "Introducing Rovo: new features for your team", "Sun, 08 Nov 2026 16:00:00 +0000",
    "Introducing new features. Invoice automation, receipts and more. Total: 3 new apps.\n")
msg(108, "Canva <no-reply@canva.com>", "Your payment was declined", "Mon, 09 Nov 2026 16:00:00 +0000",
    "We tried to charge A$164.99 but your card was declined.\nAmount: A$164.99\n")
msg(109, "Miro <billing@miro.com>", "Miro newsletter: November tips", "Tue, 10 Nov 2026 16:00:00 +0000",
    "Tips and tricks for better boards. Our receipt for success: total focus.\n")
msg(110, "DeepL <billing@deepl.com>", "Ihre Testphase endet bald", "Wed, 11 Nov 2026 16:00:00 +0100",
    "Ihre kostenlose Testphase von DeepL Pro endet in 2 Tagen. Danach: 8,74 € monatlich.\nGesamtbetrag nach der Testphase: 8,74 €\n")
# Not from a vendor at all.
msg(111, "Friend <friend@example.org>", "Lunch receipt", "Thu, 12 Nov 2026 13:00:00 +0000", "Lunch was EUR 23.50 total.\n")


def mbox_bytes():
    out = b""
    for m in MESSAGES:
        lines = m.split(b"\n")
        # mboxrd quoting: body lines that start with "From " (or >From) gain a ">".
        quoted = [b">" + l if l.lstrip(b">").startswith(b"From ") and (l.startswith(b">") or l.startswith(b"From ")) else l for l in lines[1:]]
        out += b"From owatch-example  Thu Nov 19 10:00:00 2026\n" + lines[0] + b"\n" + b"\n".join(quoted).rstrip(b"\n") + b"\n\n"
    return out


def raw_messages():
    return list(MESSAGES)


def main(argv):
    if len(argv) >= 2 and argv[0] == "--maildir":
        d = Path(argv[1])
        for sub in ("cur", "new", "tmp"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        for i, m in enumerate(raw_messages()):
            (d / ("cur" if i % 2 else "new") / f"{1700000000 + i}.M{i}P1.example{':2,S' if i % 2 else ''}").write_bytes(m)
        return
    if len(argv) >= 2 and argv[0] == "--eml":
        d = Path(argv[1])
        d.mkdir(parents=True, exist_ok=True)
        for i, m in enumerate(raw_messages()):
            (d / f"message-{i:03d}.eml").write_bytes(m)
        return
    out = Path(argv[0]) if argv else HERE
    (out / "receipts.mbox").write_bytes(mbox_bytes())


if __name__ == "__main__":
    main(sys.argv[1:])
