import Foundation
import XCTest

@testable import OWChannel
@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWReaders
@testable import OWReports
@testable import OWRequests
@testable import OWScan

/// The MIME reader, the receipt amount reader and the matcher, below the command line.
final class MIMETests: XCTestCase {
    func parse(_ text: String) throws -> MailMessage { try MIME.parse(Array(text.utf8)) }

    func testFoldedAndEncodedHeaders() throws {
        let m = try parse(
            "Subject: =?UTF-8?B?UmVjaG51bmcgZsO8cg==?=\n =?ISO-8859-1?Q?_M=E4rz?=\nFrom: =?utf-8?q?Caf=C3=A9?= <billing@example.com>\n\nbody\n"
        )
        XCTAssertEqual(m.subject, "Rechnung für März")  // adjacent encoded words join without the folding space
        XCTAssertEqual(m.fromAddress, "billing@example.com")
    }

    func testMalformedEncodedWordsStayAsWritten() {
        XCTAssertEqual(MIME.decodeHeader("=?a?b"), "=?a?b")
        XCTAssertEqual(MIME.decodeHeader("x =?utf-8?x?abc?= y"), "x =?utf-8?x?abc?= y")
        XCTAssertEqual(MIME.decodeHeader("=?utf-8?q?a b?= =?utf-8?q?c?="), "=?utf-8?q?a b?= c")
        XCTAssertEqual(MIME.decodeHeader("=?=?utf-8?q?ok?="), "=?ok")
        XCTAssertEqual(MIME.decodeHeader("a =?utf-8?q?1?= \t =?utf-8?q?2?= b =?utf-8?q?3?="), "a 12 b 3")
        // Hostile repetitions decode to what they are, in one pass (the old search restarted at each `=?`).
        let hostile = String(repeating: "=?a?b", count: 40_000)
        XCTAssertEqual(MIME.decodeHeader(hostile), hostile)
        let noClose = String(repeating: "=?a?b?X", count: 40_000)
        XCTAssertEqual(MIME.decodeHeader(noClose), noClose)
    }

    func testNestedMultipartWithTrickyBoundaries() throws {
        // The inner boundary starts with the outer one: a naive prefix match splits it wrongly.
        let text = """
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: multipart/alternative; boundary="b-inner"

            --b-inner
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Total: 12,00 =E2=82=AC
            --b-inner
            Content-Type: text/html

            <p>Total: <b>12,00&nbsp;&euro;</b></p><script>alert(1)</script>
            --b-inner--
            --b
            Content-Type: text/plain; name="invoice.txt"
            Content-Disposition: attachment
            Content-Transfer-Encoding: base64

            SW52b2ljZSBJTlYtMQ==
            --b--

            """
        let m = try parse(text)
        XCTAssertEqual(m.root.children.map(\.contentType), ["multipart/alternative", "text/plain"])
        XCTAssertEqual(m.root.children[0].children.map(\.contentType), ["text/plain", "text/html"])
        XCTAssertEqual(m.root.children[0].children[0].text?.trimmingCharacters(in: .whitespacesAndNewlines), "Total: 12,00 €")
        XCTAssertEqual(m.root.children[1].text, "Invoice INV-1")
        XCTAssertTrue(m.readableText.contains("Total: 12,00 €") && m.readableText.contains("Invoice INV-1"))
    }

    func testHTMLToText() {
        let text = HTMLText.text("<style>p{color:red}</style><p>Amount&nbsp;paid:</p><td>&#36;5&#x2E;00</td><script>x()</script>")
        XCTAssertFalse(text.contains("color") || text.contains("x()"))
        XCTAssertTrue(text.contains("Amount\u{a0}paid:") || text.contains("Amount paid:"))
        XCTAssertTrue(text.contains("$5.00"))
    }

    func testHostileInputNeverCrashes() throws {
        let nested = (0..<200).map { "Content-Type: multipart/mixed; boundary=\"n\($0)\"\n\n--n\($0)\n" }.joined()
        for text in [
            "", "\0\0\0", "Content-Transfer-Encoding: base64\n\n!!!@@@", "Content-Type: multipart/mixed\n\n--x\n", nested,
            "Content-Type: text/plain; charset=x-unknown\n\nhello \u{ff}\n",
        ] {
            _ = try? parse(text)  // an error or a best effort, never a trap
        }
    }
}

final class MboxTests: XCTestCase {
    func entries(_ bytes: [UInt8], maxMessageBytes: Int = ScanLimits.standard.maxMessageBytes) throws -> (entries: [MboxEntry], junk: Int) {
        let path = NSTemporaryDirectory() + "owkit-\(UUID().uuidString).mbox"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try MboxReader(path: path, offset: 0, maxMessageBytes: maxMessageBytes)
        var out: [MboxEntry] = []
        while let entry = reader.next() { out.append(entry) }
        return (out, reader.junkBytes)
    }

    func messages(_ text: String, maxMessageBytes: Int = ScanLimits.standard.maxMessageBytes) throws -> [String] {
        try entries(Array(text.utf8), maxMessageBytes: maxMessageBytes).entries.map { entry in
            guard case .message(let item, _, _) = entry else { return "<oversized>" }
            return String(decoding: item.bytes, as: UTF8.self)
        }
    }

    func testAMessagePastTheLimitIsPassedOverAcrossChunks() throws {
        let big = "From a@b Thu Nov 26 10:00:00 2026\nSubject: big\n\n" + String(repeating: "y", count: 3 * MboxReader.chunk) + "\n"
        let small = "From a@b Thu Nov 26 10:00:01 2026\nSubject: small\n\nhi\n"
        XCTAssertEqual(
            try messages(small + big + small, maxMessageBytes: MboxReader.chunk),
            ["Subject: small\n\nhi\n", "<oversized>", "Subject: small\n\nhi\n"])
        let (list, _) = try entries(Array((small + big).utf8), maxMessageBytes: MboxReader.chunk)
        guard case .oversized(let start, let size, let end) = list[1] else { return XCTFail("not oversized") }
        XCTAssertEqual(start, small.utf8.count)
        XCTAssertEqual(size, big.utf8.count)
        XCTAssertEqual(end, small.utf8.count + big.utf8.count)
    }

    func testJunkWithoutLineFeedsIsCountedOnce() throws {
        let nuls = [UInt8](repeating: 0, count: 3 * MboxReader.chunk + 17)
        let (list, junk) = try entries(nuls + Array("\nFrom a@b Thu Nov 26 10:00:00 2026\nSubject: x\n\nbody\n".utf8))
        XCTAssertEqual(junk, nuls.count + 1)
        XCTAssertEqual(list.count, 1)
        // A message whose one line never ends stays one message.
        XCTAssertEqual(
            try messages("From a@b Thu Nov 26 10:00:00 2026\nSubject: x\n\n" + String(repeating: "z", count: 2 * MboxReader.chunk)).count, 1
        )
    }

    func testFromLinesUnquotedAndSeparated() throws {
        let got = try messages(
            "junk before\nFrom a@b Thu Nov 26 10:00:00 2026\nSubject: 1\n\n>From here\n>>From there\n> From not\n"
                + "From a@b Thu Nov 26 10:00:01 2026\nSubject: 2\n\nFromage is not a separator\n")
        XCTAssertEqual(got, ["Subject: 1\n\nFrom here\n>From there\n> From not\n", "Subject: 2\n\nFromage is not a separator\n"])
    }

    func testCRLFAndMessagesAcrossChunks() throws {
        let body = String(repeating: "x", count: MboxReader.chunk / 3) + "\r\n"
        let text = (0..<7).map { "From a@b Thu Nov 26 10:00:00 2026\r\nSubject: \($0)\r\n\r\n" + body }.joined()
        let got = try messages(text)
        XCTAssertEqual(got.count, 7)
        XCTAssertTrue(got.allSatisfy { $0.hasSuffix(body) })
    }
}

final class ReceiptTests: XCTestCase {
    let eur = try! Currency.parse("EUR")

    func total(_ text: String) -> String? {
        ReceiptReader.total(in: text, defaultCurrency: eur).map { "\($0.money.decimal) \($0.money.currency.code)" }
    }

    func testEveryAmountFormat() {
        let cases = [
            "Total: $1,234.56": "1234.56 USD", "Total: 1.234,56 €": "1234.56 EUR", "Total EUR 12.00": "12.00 EUR",
            "Total: 12,00 EUR": "12.00 EUR", "Total: £9": "9.00 GBP", "Total: ¥12,000": "12000 JPY", "Total: ₹ 999": "999.00 INR",
            "Amount paid: US$5": "5.00 USD", "お支払い金額: ¥1,180": "1180 JPY", "Gesamtbetrag: 299,00 €": "299.00 EUR",
        ]
        for (text, want) in cases { XCTAssertEqual(total(text), want, text) }
    }

    func testTotalWinsOverLineItemsTaxAndSubtotal() {
        let text = """
            Pro plan x 3          30.00 EUR
            Subtotal              30.00 EUR
            VAT (19%)              5.70 EUR
            Total                 35.70 EUR
            Balance                0.00 EUR
            """
        XCTAssertEqual(total(text), "35.70 EUR")
        XCTAssertEqual(total("Total\n€ 42.00\n"), "42.00 EUR")  // the amount on the next line
        XCTAssertEqual(total("Total due: 10.00 EUR\nAmount paid: 9.00 EUR"), "9.00 EUR")  // paid ranks above due
        XCTAssertNil(total("Your plan renews soon. Upgrade now!"))
    }

    func testAmbiguousNumbersAreNotAmounts() {
        // A bare integer without currency or decimals (an order number, a year) is not an amount.
        XCTAssertTrue(ReceiptReader.amounts(in: "Order 2026 for 3 seats", defaultCurrency: eur).isEmpty)
        XCTAssertEqual(ReceiptReader.amounts(in: "1,234 EUR", defaultCurrency: eur).map(\.money.minor), [123400])
        XCTAssertEqual(ReceiptReader.amounts(in: "1.234,5 EUR", defaultCurrency: eur).map(\.money.minor), [123450])
    }

    func testACurrencyNothingNamesIsAssumed() {
        // Written with the amount, on the label's line, in the document, or by the sender's country: not assumed.
        XCTAssertEqual(ReceiptReader.amounts(in: "19.00 USD and 5.00", defaultCurrency: eur).map(\.ownCurrency), [true, false])
        XCTAssertNil(ReceiptReader.total(in: "Total EUR\n19,00", defaultCurrency: eur)?.currencyAssumed)
        XCTAssertNil(ReceiptReader.total(in: "Prices in CHF\nTotal: 19.00", defaultCurrency: eur)?.currencyAssumed)
        let german = ReceiptReader.total(
            in: "Gesamtbetrag: 19,00", sender: "rechnung.example.de", defaultCurrency: try! Currency.parse("USD"))
        XCTAssertEqual(german?.money.currency.code, "EUR")
        XCTAssertNil(german?.currencyAssumed)
        let bare = ReceiptReader.total(in: "Amount paid: 19.00", sender: "billing.example.com", defaultCurrency: eur)
        XCTAssertEqual(bare?.money.minor, 1900)
        XCTAssertEqual(bare?.currencyAssumed?.contains("EUR"), true)
        XCTAssertNil(CountryCurrency.of("example.io"))
        XCTAssertEqual(CountryCurrency.of("ovh.co.uk")?.code, "GBP")
    }

    func testATotalSaysHowItWasReadAndItsRivals() {
        let checked = ReceiptReader.total(in: "Subtotal 100.00 EUR\nVAT 19.00 EUR\nTotal 119.00 EUR", defaultCurrency: eur)
        XCTAssertEqual(checked?.how, "arithmetic")
        XCTAssertEqual(checked?.rivals, [])
        let lone = ReceiptReader.total(in: "Total: 12.00 EUR", defaultCurrency: eur)
        XCTAssertEqual(lone?.how, "labelled")
        let two = ReceiptReader.total(in: "Total: 10.00 EUR\nThanks\nTotal: 12.00 EUR", defaultCurrency: eur)
        XCTAssertEqual(two?.money.minor, 1200)
        XCTAssertEqual(two?.rivals.map(\.minor), [1000])
    }

    func testInvoiceNumberAndPeriod() {
        XCTAssertEqual(ReceiptReader.invoiceNumber(in: "Invoice number: INV-2026-0042"), "INV-2026-0042")
        XCTAssertEqual(ReceiptReader.invoiceNumber(in: "Rechnungsnummer: R0012345678"), "R0012345678")
        XCTAssertEqual(ReceiptReader.period(in: "billed annually"), Period(count: 1, unit: .year))
        XCTAssertEqual(ReceiptReader.period(in: "plan (monatlich)"), .monthly)
        XCTAssertNil(ReceiptReader.period(in: "thanks"))
    }
}

final class MatcherTests: XCTestCase {
    func charge(_ s: Session, _ vendor: String, _ minor: Int64, _ day: String, invoice: String? = nil) throws -> Bool {
        let index = try VendorIndex(s.db)
        var m = try Matcher(session: s, index: index)
        let v = try XCTUnwrap(index.vendor(namedIn: vendor))
        return try s.write {
            let written = try m.record(
                ObservedCharge(
                    key: "k:\(vendor):\(minor):\(day):\(invoice ?? "")", origin: "mail", vendor: v,
                    amount: Money(minor: minor, currency: try Currency.parse("EUR")), on: Time.parseDay(day)!,
                    invoiceNo: invoice, period: nil, description: "test"))
            try s.audit("scan.write", "test")  // every write is in the audit chain (its state digest)
            return written == .new
        }
    }

    func kinds(_ s: Session) throws -> [String] { try Findings.list(s.db, includeClosed: false, kind: nil).map(\.kind.rawValue).sorted() }

    func testMatchedPriceChangeUnmanagedAndDuplicate() throws {
        let office = try TempOffice()
        let s = office.admin
        let d = LicenseDraft(name: "Slack", vendor: "slack", seats: 3, price: Money(minor: 2625, currency: try Currency.parse("EUR")))
        _ = try Licenses.add(s, d)
        XCTAssertTrue(try charge(s, "Slack", 2625, "2026-10-01", invoice: "S-1"))
        XCTAssertEqual(try kinds(s), [])  // matched at the contract price
        XCTAssertTrue(try charge(s, "Slack", 3500, "2026-11-01", invoice: "S-2"))
        XCTAssertEqual(try kinds(s), ["price_change"])
        XCTAssertFalse(try charge(s, "Slack", 3500, "2026-11-01", invoice: "S-2"))  // the same invoice re-sent
        XCTAssertTrue(try charge(s, "Notion", 2000, "2026-11-04"))
        XCTAssertTrue(try charge(s, "Notion", 2000, "2026-11-05"))  // paid twice within three days
        XCTAssertEqual(try kinds(s), ["duplicate", "price_change", "unmanaged"])
        XCTAssertEqual(try SpendAggregate.mismatches(s.db), [])
        let unmanaged = try s.db.scalar("SELECT sum(unmanaged_minor) FROM spend_monthly")
        XCTAssertEqual(unmanaged, 4000)
    }
}

final class PDFTextTests: XCTestCase {
    func testStringsAndOperators() {
        let content = Array(
            """
            BT /F1 12 Tf 72 700 Td (Nested \\(paren\\) and (inner) \\061\\062) Tj ET
            BT 72 680 Td [(Kern)20(ed)-400(words)] TJ 100 0 Td <48656C6C6F> Tj ET
            % a comment (not text) Tj
            BT 72 660 Td (\\200 9,00) Tj ET
            """.utf8)
        XCTAssertEqual(PDFText.showText(content), "Nested (paren) and (inner) 12\nKerned words Hello\n€ 9,00")
    }

    func testInflateStopsAtTheLimitAndRejectsJunk() {
        XCTAssertNil(PDFText.inflate(Array("not zlib at all".utf8), limit: 1000))
        XCTAssertNil(try PDFText.text(Array("no header".utf8), budget: .standard()))
    }
}

/// The PDF reader's features, each on a small PDF built here: objects found without an xref,
/// incremental updates, object streams, ToUnicode CMaps (bfchar, bfrange with arrays, 2-byte
/// codes, surrogate pairs, ligatures), simple-font encodings with /Differences, Form XObjects,
/// inherited resources and line layout.
final class PDFDocumentTests: XCTestCase {
    /// A PDF of numbered objects (no xref table: owatch scans for `N 0 obj`).
    func pdf(_ objects: [String], trailer: String = "") -> [UInt8] {
        var out = "%PDF-1.5\n"
        for (i, o) in objects.enumerated() { out += "\(i + 1) 0 obj\n\(o)\nendobj\n" }
        return Array((out + trailer + "%%EOF\n").utf8)
    }

    func stream(_ content: String, _ extra: String = "") -> String {
        "<< /Length \(content.utf8.count) \(extra)>>\nstream\n\(content)\nendstream"
    }

    func text(_ bytes: [UInt8]) throws -> String? { try PDFText.layoutText(PDFDocument(bytes, budget: .standard())) }

    func page(content: Int, resources: String) -> [String] {
        [
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 \(resources) >>",
            "<< /Type /Page /Parent 2 0 R /Contents \(content) 0 R >>",
        ]
    }

    func testType0FontWithToUnicodeRangesArraysAndSurrogates() throws {
        let cmap = """
            /CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0001> <0054> <0002> <D83DDE00> endbfchar
            2 beginbfrange <0003> <0005> <006F> <0010> <0011> [<0061006C> <FB01>] endbfrange
            endcmap end end
            """
        // Codes: 1 T, 3 o, 4 p, 5 q, 16 "al", 17 "ﬁ" (a ligature), 2 😀.
        let content = "BT /F1 12 Tf 72 700 Td <0001000300040005> Tj ( ) Tj <00100011> Tj <0002> Tj ET"
        let doc = pdf(
            page(content: 4, resources: "/Resources << /Font << /F1 5 0 R >> >>") + [
                stream(content),
                "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Inter /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 6 0 R >>",
                stream(cmap), "<< /Type /Font /Subtype /CIDFontType2 /DW 500 >>",
            ])
        let t = try text(doc) ?? ""
        XCTAssertTrue(t.hasPrefix("Topq"), t)
        XCTAssertTrue(t.contains("alfi") && t.contains("😀"), t)  // the ligature ﬁ is read as its letters
    }

    func testSimpleFontDifferencesAndMacRoman() throws {
        let content = "BT /F1 12 Tf 72 700 Td (\\201\\202 \\203) Tj /F2 12 Tf 0 -20 Td (\\237ber \\216) Tj ET"
        let doc = pdf(
            page(content: 4, resources: "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >>") + [
                stream(content),
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [129 /Euro /uni20B9 /eacute] >> >>",
                "<< /Type /Font /Subtype /TrueType /BaseFont /Arial /Encoding /MacRomanEncoding >>",
            ])
        XCTAssertEqual(try text(doc), "€₹ é\nüber é")
    }

    func testObjectStreamsAndIncrementalUpdates() throws {
        // Objects 4 (the page) and 5 (the font) live in object stream 6; object 3's content is
        // replaced by an update appended later in the file.
        let inner =
            "<< /Type /Page /Parent 2 0 R /Contents 3 0 R /Resources << /Font << /F1 5 0 R >> >> >> << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
        let header = "4 0 5 "
        let offset2 = inner.range(of: "<< /Type /Font")!.lowerBound.utf16Offset(in: inner)
        let index = header + "\(offset2) "
        let objstm = stream(index + inner, "/Type /ObjStm /N 2 /First \(index.utf8.count)")
        let bytes = Array(
            ("%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [4 0 R] /Count 1 >>\nendobj\n"
                + "3 0 obj\n\(stream("BT /F1 12 Tf 72 700 Td (Old text) Tj ET"))\nendobj\n6 0 obj\n\(objstm)\nendobj\n%%EOF\n"
                + "3 0 obj\n\(stream("BT /F1 12 Tf 72 700 Td (Total) Tj 60 0 Td (EUR 42.00) Tj ET"))\nendobj\n%%EOF\n").utf8)
        XCTAssertEqual(try text(bytes), "Total EUR 42.00")
    }

    func testFormXObjectsInheritedResourcesAndLines() throws {
        // A label and its amount placed apart on one baseline are one line; a Form XObject's
        // text is placed by its matrix; resources come from the page tree.
        let content = "BT /F1 10 Tf 1 0 0 1 72 700 Tm (Amount due) Tj 1 0 0 1 300 700 Tm ($19.00) Tj ET q 1 0 0 1 0 -100 cm /X1 Do Q"
        let form = stream("BT /F1 10 Tf 72 700 Td (Thank you) Tj ET", "/Type /XObject /Subtype /Form /BBox [0 0 600 800]")
        let doc = pdf(
            page(content: 4, resources: "/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>") + [
                stream(content),
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", form,
            ])
        XCTAssertEqual(try text(doc), "Amount due $19.00\nThank you")
    }

    func testHostilePDFsAreBounded() throws {
        // A page tree that points at itself, a reference loop and a huge /Length: no hang, no crash.
        let doc = pdf([
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R 3 0 R] >>",
            "<< /Type /Page /Contents 4 0 R /Resources 5 0 R >>", "<< /Length 999999999 >>\nstream\nBT (x) Tj ET\nendstream", "6 0 R",
            "5 0 R",
        ])
        XCTAssertNoThrow(try text(doc))
        XCTAssertNil(try text(Array("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj".utf8)))
    }
}

/// What a document on its own, or a forwarded receipt, says of its sender and date.
final class DocumentTests: XCTestCase {
    func testDatesAsDocumentsWriteThem() {
        let cases: [(String, Bool, String?)] = [
            ("Invoice Date: August 3 , 2014", true, "2014-08-03"),
            ("Rechnungsdatum 7. Mai 2014", false, "2014-05-07"),
            ("Factuurdatum: 19 april 2014", false, "2014-04-19"),
            ("Date de facture 13/11/2017", false, "2017-11-13"),
            ("Invoice Date:\n03/20/2023", true, "2023-03-20"),
            ("Stylesheet-Version 2.5 vom 10.01.2023\nHandelsrechnung (380) Nr. 471102 vom 15.11.2024", false, "2024-11-15"),
            ("DATE DE FACTURE ASSOCIÉE : 01/01/2026\nDate : 31/01/2026", false, "2026-01-31"),
            ("発行日 2026年11月3日", false, "2026-11-03"),
            ("no date here, only 31/02/2026", false, nil),
        ]
        for (text, monthFirst, day) in cases {
            XCTAssertEqual(DocumentDate.of(text, monthFirst: monthFirst), day, text)
        }
    }

    func testHostsAndTheIssuersDomain() {
        let text = "Hetzner Online GmbH\ninfo@hetzner.de www.hetzner.de\nKunde: jochen@example.org\nRechnung.pdf 1.000,00 ca.500ml"
        let hosts = DocumentHosts.of(text)
        XCTAssertEqual(hosts, ["hetzner.de", "example.org"])
        XCTAssertEqual(DocumentHosts.issuer(hosts, in: text), "hetzner.de")
        // Tax-id labels before their ids are no hosts; an address, or a host before words, is.
        let swedish = "Org.nr: 559123-4567\nMomsreg.nr SE559123456701\nAmazon.com: Order\nfaktura@kontor.se 0771-12 34 56"
        XCTAssertEqual(DocumentHosts.of(swedish), ["amazon.com", "kontor.se"])
    }

    func testForwardedHeaderBlocks() {
        let gmail =
            "see below\n---------- Forwarded message ---------\nFrom: **Slack** <feedback@slack.com>\nDate: Tue, 3 Nov 2026\nSubject: Your receipt\n"
        let o = Forwarded.original(in: gmail)
        XCTAssertEqual(o?.address, "feedback@slack.com")
        XCTAssertEqual(o?.displayName, "Slack")
        XCTAssertEqual(o?.subject, "Your receipt")
        XCTAssertEqual(o.flatMap(\.sentAt).map(Time.day), "2026-11-03")
        XCTAssertEqual(Forwarded.original(in: "Von: Hetzner [mailto:billing@hetzner.de]\n")?.address, "billing@hetzner.de")
        XCTAssertNil(Forwarded.original(in: "From the team: thanks!\n"))
        XCTAssertEqual(Forwarded.stripped("Fwd: FW: Your receipt"), "Your receipt")
        XCTAssertTrue(Forwarded.isForward("WG: Ihre Rechnung"))
        XCTAssertFalse(Forwarded.isForward("Your receipt"))
    }
}

final class MailHeaderTests: XCTestCase {
    /// The sender's address read on its own is the address the full mailbox parse finds.
    func testAddressAloneAgreesWithTheMailbox() {
        let values = [
            "Slack <feedback@slack.com>", "\"Doe, Jane\" <jane@x.example>", "jane@x.example (Jane)", "<a@b.example>", "  a@b  ",
            "Name <>", "(only a comment)", "", "\"quoted <not@this>\" <real@one.example>", "x <a@b> <c@d>", "Jöhn <j@ö.example>",
            "a\\(b <c@d>", "\"esc\\\" <q@q>\" <r@r>", "<unterminated@x", "Bob (the <boss>) <bob@x>",
            "Notion Labs, Inc. <billing@notion.so>", "Smith, John <j@x.example>, Doe, Jane <d@x.example>",
            "Acme, Inc. billing@acme.example",
            "only, phrases",
        ]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab@.<>\"(),\\ \t")
        let random = (0..<500).map { _ in String((0..<Int.random(in: 0...16, using: &generator)).map { _ in alphabet.randomElement()! }) }
        for value in values + random {
            XCTAssertEqual(MailHeader.firstAddress(value), MailHeader.mailboxes(value).first?.address, "for \(value.debugDescription)")
        }
    }

    /// An unquoted comma in a display name (common in real mail) keeps the sender, as mail clients read it.
    func testAnUnquotedCommaIsPartOfTheName() {
        XCTAssertEqual(
            MailHeader.mailboxes("Notion Labs, Inc. <billing@notion.so>"), [.init(name: "Notion Labs, Inc.", address: "billing@notion.so")])
        XCTAssertEqual(
            MailHeader.mailboxes("Smith, John <j@x.example>, Doe, Jane <d@x.example>"),
            [.init(name: "Smith, John", address: "j@x.example"), .init(name: "Doe, Jane", address: "d@x.example")])
        XCTAssertEqual(MailHeader.firstAddress("Notion Labs, Inc. <billing@notion.so>"), "billing@notion.so")
    }
}

/// The arithmetic check parses its lines only when asked, and never a line of zeros: the answers
/// are those of parsing every line as it is met.
final class TotalArithmeticTests: XCTestCase {
    func lines(_ text: String) -> [ArraySlice<UInt8>] { Array(text.utf8).split(separator: 10) }

    func testNetPlusTaxAndSumOfLinesAfterLazyParsing() throws {
        let eur = try Currency.parse("EUR")
        var a = TotalArithmetic(currency: eur)
        for line in lines("Widget 10.00\nDiscount 2.00\nSubtotal 8.00\nVAT 0.00\nVAT 1.52") {
            let kind = TotalArithmetic.kind(LowerText(utf8: line))
            a.note(kind, line: line)
            if kind == .other { a.noteItem(line: line) }
        }
        XCTAssertTrue(a.isNetPlusTax(Money(minor: 952, currency: eur)))
        XCTAssertFalse(a.isNetPlusTax(Money(minor: 800, currency: eur)), "the zero VAT line is no tax")
        XCTAssertTrue(a.isSumOfLines(Money(minor: 800, currency: eur)), "the discount is taken off")
        XCTAssertTrue(a.isSumOfLines(Money(minor: 952, currency: eur)), "with the printed tax")
        XCTAssertFalse(a.isSumOfLines(Money(minor: 1200, currency: eur)))
        XCTAssertEqual(TotalArithmetic.kind(LowerText(utf8: lines("Total incl. VAT 9.52")[0])), .other, "gross wins over tax")
    }

    func testByteMaskRulesOutOnlyWhatCannotMatch() {
        let line = ByteMask(Array("total: $9.52".utf8))
        XCTAssertTrue(line.covers(ByteMask(Array("total".utf8))))
        XCTAssertFalse(line.covers(ByteMask(Array("amount due".utf8))))
        XCTAssertFalse(line.covers(ByteMask(Array("合計".utf8))))
        XCTAssertTrue("a receipt".includes("receipt") && "a receipt"[...].includes("a r") && !"a receipt".includes("receipts"))
    }
}

final class MessageBudgetTests: XCTestCase {
    /// The per-message limit is the reading thread's processor time: waiting for a core (a loaded
    /// server) spends none of it, spinning on hostile bytes spends it.
    func testWaitingSpendsNoTimeButWorkingDoes() throws {
        var limits = ScanLimits()
        limits.secondsPerMessage = 0.2
        let budget = MessageBudget(limits)
        usleep(400_000)
        XCTAssertNoThrow(try budget.checkTime(), "0.4 s asleep is no processor time")
        let start = MessageBudget.cpuNow()
        var sink: UInt64 = 0
        while MessageBudget.cpuNow() - start < 300_000_000 { sink &+= start &* 31 }
        XCTAssertNotEqual(sink, 1)
        XCTAssertThrowsError(try budget.checkTime()) { error in
            XCTAssertEqual((error as? OverBudget)?.reason, "took longer than 0.2 s to read")
        }
    }

    /// A reader that keeps working and checks as it goes (per part, stream or line) is stopped, not
    /// before its allowance, though its first millisecond is timed on the wall clock, not its CPU clock.
    func testWorkCheckedAsItGoesIsStoppedNearTheAllowance() {
        var limits = ScanLimits()
        limits.secondsPerMessage = 0.2
        let budget = MessageBudget(limits)
        let start = MessageBudget.cpuNow()
        var sink: UInt64 = 0
        var stopped = false
        while !stopped && MessageBudget.cpuNow() - start < 1_000_000_000 {
            let step = MessageBudget.cpuNow()
            while MessageBudget.cpuNow() - step < 500_000 { sink &+= step &* 31 }
            stopped = (try? budget.checkTime()) == nil
        }
        XCTAssertNotEqual(sink, 1)
        XCTAssertTrue(stopped, "a second of work on a 0.2 s allowance")
        XCTAssertGreaterThanOrEqual(MessageBudget.cpuNow() - start, 200_000_000, "not before its 0.2 s of work")
    }
}
