import FoundationEssentials
import OWChannel
import OWCore
import OWIdentity
import OWOffice
import OWReaders
import OWReports

/// Every reader of outside bytes, by name, driven the way owatch drives it: what the fuzz targets
/// (Tests/Fuzz, libFuzzer) run and what their regression inputs are replayed through in the unit
/// tests. A reader may refuse its input (an error is its answer); it may never trap.
enum ReaderHarness {
    static let targets = [
        "pdf", "pdf-content", "pdf-filter", "mime", "header", "charset", "html", "statement", "license-import", "directory", "token",
        "json", "csv",
        "snipe-it", "wallos",
    ]

    /// The vendor catalog a fresh ledger has, for the readers that recognise vendors.
    nonisolated(unsafe) private static var cachedIndex: VendorIndex?
    static func index() -> VendorIndex {
        if let cachedIndex { return cachedIndex }
        do {
            let db = try Database(path: ":memory:", create: true)
            try Ledger.migrate(db, services: .office)
            let index = try VendorIndex(db)
            cachedIndex = index
            return index
        } catch {
            fatalError("the fuzz harness cannot make its in-memory ledger: \(error)")
        }
    }

    /// A fresh ledger with two people, for the readers of other tools' files (Snipe-IT, Wallos).
    nonisolated(unsafe) private static var cachedContext: InteropContext?
    static func interopContext() -> InteropContext {
        if let cachedContext { return cachedContext }
        do {
            let db = try Database(path: ":memory:", create: true)
            try Ledger.migrate(db, services: .office)
            let context = try InteropContext(db, currency: currency, dates: nil)
            cachedContext = context
            return context
        } catch {
            fatalError("the fuzz harness cannot make its in-memory ledger: \(error)")
        }
    }

    static let currency = try! Currency.parse("EUR")
    static let charsets = [
        "utf-8", "us-ascii", "iso-8859-1", "iso-8859-15", "iso-8859-2", "windows-1250", "windows-1252", "shift_jis", "iso-2022-jp",
        "euc-jp", "utf-16", "x-unknown", "gb18030", "big5", "euc-kr", "koi8-r", "windows-1251", "iso-8859-7", "windows-1256",
        "utf-16le",
    ]
    static let filters = ["ASCII85Decode", "ASCIIHexDecode", "LZWDecode", "RunLengthDecode", "FlateDecode"]

    /// Reads `bytes` with the reader `target` names; false for a name that is no reader.
    @discardableResult
    static func read(_ target: String, _ bytes: [UInt8]) -> Bool {
        let text = { String(decoding: bytes, as: UTF8.self) }
        switch target {
        case "pdf":
            _ = try? PDFText.text(bytes, budget: .standard())
        case "pdf-content":
            // A content stream and a ToUnicode map, as a page's contents and a font's map are read.
            _ = PDFText.showText(bytes)
            let doc = PDFDocument([], budget: .standard())
            var layout = PDFLayout(doc)
            try? layout.run(bytes, resources: [:], ctm: PDFLayout.identity)
            _ = layout.lines()
            var font = PDFFont()
            font.readToUnicode(bytes)
            for code in font.codes(Array(bytes.prefix(64))) { _ = font.text(code) }
        case "pdf-filter":
            // The first two bytes choose a filter and its parameters; the rest is the stream's data.
            guard bytes.count >= 2 else { return true }
            let (a, b) = (Int(bytes[0]), Int(bytes[1]))
            var parms = PDFFilters.Parms()
            parms.predictor = [1, 2, 10, 12, 15][a / 5 % 5]
            parms.colors = 1 + b % 4
            parms.bitsPerComponent = [1, 2, 4, 8, 16][b / 4 % 5]
            parms.columns = 1 + b / 20
            parms.earlyChange = a & 1
            _ = PDFFilters.decode(Array(bytes.dropFirst(2)), filter: filters[a % filters.count], parms: parms, limit: 1 << 20)
            var p = PDFParser(Array(bytes.dropFirst(2)))
            PDFInlineImage.skip(&p)
        case "mime":
            let budget = MessageBudget.standard()
            guard let message = try? MIME.parse(bytes, budget: budget) else { return true }
            _ = (message.readableText, message.from, message.date, message.fromAddress, message.messageID)
            _ = try? ReceiptReader.read(message, index: index(), defaultCurrency: currency, budget: budget)
        case "header":
            let value = text()
            _ = MailHeader.mailboxes(value).map { MailHeader.format([$0]) }
            _ = MailHeader.firstAddress(value)
            _ = MailHeader.date(value).map(MailHeader.format)
            _ = MIME.decodeHeader(value)
            _ = MIME.contentType(value, defaultType: "text/plain")
            _ = MIME.splitHeaders(bytes[...])
        case "charset":
            guard let first = bytes.first else { return true }
            _ = Charset.decode(bytes.dropFirst(), charset: charsets[Int(first) % charsets.count])
            _ = MIME.quotedPrintable(bytes, header: first & 1 == 1)
            _ = MIME.base64(bytes)
        case "html":
            _ = HTMLText.text(text())
        case "statement":
            _ = try? StatementReader.read(text(), map: nil, index: index(), defaultCurrency: currency)
        case "license-import":
            guard let (body, _) = try? CSV.text(bytes, file: "fuzz") else { return true }
            for dates in [nil, try? LicenseImport.DateFormat("DD.MM.YYYY")] {
                try? LicenseImport.forEachDraft(in: body, dates: dates, currency: currency) { _ in }
            }
        case "snipe-it":
            guard let (body, _) = try? CSV.text(bytes, file: "fuzz") else { return true }
            for cost in [nil, SnipeIT.CostBasis.perSeat] {
                _ = try? SnipeIT.rows(body, options: SnipeIT.Options(cost: cost), context: interopContext())
            }
        case "wallos":
            guard let (body, _) = try? CSV.text(bytes, file: "fuzz") else { return true }
            _ = try? Wallos.rows(body, options: Wallos.Options(period: .monthly), context: interopContext())
        case "directory":
            _ = try? DirectorySync.read(text(), format: nil)
        case "token":
            guard let token = try? Token.decode(text()) else { return true }
            _ = try? Token.unverifiedClaims(token.payload, issuer: nil, now: Date())
        case "json":
            guard let value = try? JSON.parse(bytes) else { return true }
            _ = value.encoded(sortedKeys: true)
        case "csv":
            guard let (body, _) = try? CSV.text(bytes, file: "fuzz") else { return true }
            _ = try? CSV.parse(body, delimiter: CSV.detectDelimiter(body))
        default:
            return false
        }
        return true
    }
}
