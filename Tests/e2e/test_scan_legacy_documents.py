"""Mail in legacy charsets and PDFs with no text layer, end to end through `scan inspect` and
`scan`: text parts and encoded-word subjects in EUC-JP, Shift_JIS, ISO-2022-JP, GB18030, GBK,
Big5, EUC-KR, KOI8-R, Windows-125x and ISO-8859-x decode as Python's codecs do (the reference),
and a scanned invoice (one image per page) is said to have no text layer and waits for a person
as a review finding instead of being dismissed."""
import base64
import io

import pytest

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

SAMPLES = {
    "euc-jp": ("euc_jp", "ご請求金額: ¥6,600（税込）\nお支払い期限: 2026年12月31日"),
    "shift_jis": ("cp932", "ご請求金額：６，６００円\n株式会社テスト ①②"),
    "iso-2022-jp": ("iso2022_jp", "請求書番号 INV-77\nご請求金額 6,600円"),
    "gb18030": ("gb18030", "发票金额：人民币 1,280.00 元\n€ 𠀀"),
    "gb2312": ("gbk", "发票号码 12345 合计 ￥88.00"),
    "big5": ("cp950", "發票金額：新台幣 1,280 元"),
    "ks_c_5601-1987": ("cp949", "청구 금액: ￦55,000 똠방각하"),
    "koi8-r": ("koi8_r", "Счёт на оплату: 4 500,00 руб."),
    "windows-1251": ("cp1251", "Рахунок: 1 200,00 грн — сплачено"),
    "windows-1250": ("cp1250", "Faktura: 1 234,50 Kč — zaplaceno"),
    "iso-8859-7": ("iso8859_7", "Τιμολόγιο: 99,00 €"),
    "iso-8859-9": ("iso8859_9", "Fatura tutarı: 150,00 ₺"[:-1] + "TL, ğüşıöç"),
    "windows-1256": ("cp1256", "فاتورة: 100 ريال"),
    "iso-8859-8": ("iso8859_8", "חשבונית: 50 ₪"[:-1] + "ש\"ח"),
}


def inspect(office, raw, name="m.eml"):
    eml = office.home / name
    eml.write_bytes(raw)
    r = office.run("scan", "inspect", eml, "--json")
    assert r.rc == 0, r
    return r.json()


@pytest.mark.parametrize("label", sorted(SAMPLES))
def test_text_parts_and_subjects_in_legacy_charsets(office, label):
    codec, text = SAMPLES[label]
    body = text.encode(codec)
    subject = "=?%s?B?%s?=" % (label, base64.b64encode(text.split("\n")[0].encode(codec)).decode())
    raw = (f"From: Billing <billing@example.org>\nSubject: {subject}\nMessage-ID: <cs@x>\nMIME-Version: 1.0\n"
           f"Content-Type: text/plain; charset={label}\nContent-Transfer-Encoding: base64\n\n").encode() + base64.encodebytes(body)
    got = inspect(office, raw)
    # Japanese mail writes the yen sign as the byte 0x5C (JIS X 0201); owatch reads it so before digits.
    expected = text if codec in ("euc_jp", "cp932", "iso2022_jp") else body.decode(codec)
    assert got["texts"] == [expected], (label, got["texts"])
    assert got["subject"] == expected.split("\n")[0], label
    assert "\ufffd" not in got["texts"][0]


def test_a_damaged_byte_costs_itself_only(office):
    body = "ご請求金額".encode("euc_jp") + b"\xa9\xa1" + " 6,600円".encode("euc_jp")
    raw = (b"From: Billing <billing@example.org>\nSubject: x\nMessage-ID: <d@x>\nMIME-Version: 1.0\n"
           b"Content-Type: text/plain; charset=EUC-JP\n\n" + body)
    text = inspect(office, raw)["texts"][0]
    assert text.startswith("ご請求金額\ufffd") and text.endswith(" 6,600円"), text


def scanned_pdf(path, lines=("INVOICE 2041", "Total due: EUR 1,234.50")):
    """A PDF whose page is one image of printed text (what a scanner makes): Pillow draws, ReportLab places it."""
    image_mod = pytest.importorskip("PIL.Image")
    draw_mod = pytest.importorskip("PIL.ImageDraw")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    utils = pytest.importorskip("reportlab.lib.utils")
    img = image_mod.new("L", (600, 200), 255)
    d = draw_mod.Draw(img)
    for i, line in enumerate(lines):
        d.text((20, 20 + 40 * i), line, fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    c = canvas.Canvas(str(path))
    c.drawImage(utils.ImageReader(io.BytesIO(buf.getvalue())), 50, 500, width=500, height=166)
    c.showPage()
    c.save()
    return path.read_bytes()


def mail_with_pdf(pdf, sender="Slack <billing@slack.com>", subject="Your invoice", name="scan.pdf", mid="scan@x"):
    return (f"From: {sender}\nSubject: {subject}\nMessage-ID: <{mid}>\nDate: Mon, 2 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
            f"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nPlease find your invoice attached.\n"
            f"--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename={name}\n"
            f"Content-Transfer-Encoding: base64\n\n").encode() + base64.encodebytes(pdf) + b"--b--\n"


def test_inspect_says_a_scanned_pdf_has_no_text_layer(office):
    pdf = scanned_pdf(office.home / "scan.pdf")
    alone = office.run("scan", "inspect", office.home / "scan.pdf", "--json")
    assert alone.rc == 0, alone
    got = alone.json()
    assert got["no_text_layer"] == ["scan.pdf"] and got["texts"] == []
    assert "no text layer" in got["not_a_charge"], got
    mailed = inspect(office, mail_with_pdf(pdf))
    assert mailed["no_text_layer"] == ["scan.pdf"] and mailed["is_charge"] is False
    assert "scan.pdf has no text layer" in mailed["not_a_charge"]
    table = office.run("scan", "inspect", office.home / "m.eml")
    assert table.rc == 0 and "scan.pdf" in table.out


def test_a_scanned_invoice_waits_for_a_person_as_a_review_finding(office):
    pdf = scanned_pdf(office.home / "scan.pdf")
    mbox = office.home / "inbox.mbox"
    text_pdf = office.home / "text.pdf"
    canvas = pytest.importorskip("reportlab.pdfgen.canvas").Canvas(str(text_pdf))
    canvas.drawString(72, 700, "Invoice total: USD 8.75")
    canvas.showPage()
    canvas.save()
    messages = [
        mail_with_pdf(pdf, mid="scan1@x"),
        # A newsletter with a scanned flyer is dismissed on its wording, as before.
        mail_with_pdf(pdf, subject="Slack newsletter: what's new", mid="news@x", name="flyer.pdf"),
        # A PDF with text is read as before: no review.
        mail_with_pdf(text_pdf.read_bytes(), mid="text@x", name="text.pdf"),
    ]
    mbox.write_bytes(b"".join(b"From x Mon Nov  2 10:00:00 2026\n" + m + b"\n" for m in messages))
    r = office.run("scan", mbox, "--json")
    assert r.rc == 0, r
    findings = office.ok("scan", "findings", "--json").json()
    reviews = [f for f in findings if f["kind"] == "review"]
    assert len(reviews) == 1, findings
    assert "scan.pdf has no text layer" in reviews[0]["summary"] and reviews[0]["vendor"] == "Slack"
    assert reviews[0]["amount"] is None
    # The charge from the text PDF is recorded; the scan moved no total.
    assert office.sql("SELECT count(*) FROM charges").strip() == "1"
    # Scanning again records nothing twice.
    office.ok("scan", mbox)
    assert len([f for f in office.ok("scan", "findings", "--json").json() if f["kind"] == "review"]) == 1
    # Nothing to adopt: the person records the charge by hand and closes the finding.
    adopt = office.run("scan", "adopt", str(reviews[0]["id"]))
    assert adopt.rc != 0 and "charge add" in adopt.err, adopt
    office.ok("scan", "ignore", str(reviews[0]["id"]), "-m", "entered by hand")
