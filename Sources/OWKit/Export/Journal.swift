import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The plain-text accounting formats `export journal` writes.
public enum JournalFormat: String, CaseIterable, Sendable {
    case hledger, ledger, beancount
}

/// The office's chart of accounts, read from `--accounts FILE`: lines `vendor NAME = ACCOUNT`
/// (that vendor's expense account), `category NAME = ACCOUNT` (the parent of its vendors'
/// accounts), `origin mail|statement|manual = ACCOUNT` (what paid), `prepaid = ACCOUNT` (the
/// parent of the prepaid-expense accounts `--amortize` uses). `#` or `;` starts a comment.
public struct AccountMap: Sendable {
    public var vendors: [String: String] = [:]
    public var categories: [String: String] = [:]
    public var origins: [String: String] = [:]
    public var prepaid: String?

    public init() {}

    public static let origins = ["mail", "statement", "manual"]

    /// Reads a mapping file's text; `file` names it in errors (`FILE:LINE: …`).
    public static func parse(_ text: String, file: String, format: JournalFormat) throws -> AccountMap {
        var map = AccountMap()
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Journal.trim(raw)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            let place = "\(file.prefix(200)):\(n + 1)"
            guard let eq = line.lastIndex(of: "=") else {
                throw OWError.badData("\(place): expected KIND NAME = ACCOUNT", hint: "e.g. vendor Notion = expenses:office:notion")
            }
            let key = Journal.trim(line[..<eq])
            let account = Journal.trim(line[line.index(after: eq)...])
            try Journal.checkAccount(account, format: format, place: place)
            let words = key.split(separator: " ", maxSplits: 1).map(String.init)
            let kind = words.first?.lowercased() ?? ""
            let name = words.count > 1 ? Journal.trim(words[1]).lowercased() : ""
            switch kind {
            case "vendor" where !name.isEmpty: map.vendors[name] = account
            case "category" where !name.isEmpty: map.categories[name] = account
            case "origin" where AccountMap.origins.contains(name): map.origins[name] = account
            case "prepaid" where name.isEmpty: map.prepaid = account
            default:
                throw OWError.badData(
                    "\(place): unknown mapping '\(String(key.prefix(60)))'",
                    hint: "one of: vendor NAME, category NAME, origin mail|statement|manual, prepaid")
            }
        }
        return map
    }
}

/// What `export journal` writes: its format, the days, the extras, and what the books have already.
public struct JournalOptions: Sendable {
    public var format: JournalFormat
    public var from: String?
    public var to: String?
    public var periodic = false
    public var amortize = false
    public var accounts = AccountMap()
    /// The text of the journal the export is for: charges and licenses it tags already, and the
    /// accounts and commodities it declares, are left out.
    public var existing: String?

    public init(format: JournalFormat) { self.format = format }
}

/// A journal written: its text and what went in.
public struct JournalExport: Sendable {
    public let text: String
    public let charges: Int
    public let skipped: Int
    public let rules: Int
}

/// `owatch export journal`: the charges as a plain-text accounting journal (hledger, Ledger or
/// Beancount), each tagged with its charge id; optionally the contracts as budget rules and yearly
/// prepayments spread over their months.
public enum Journal {
    /// Longest payee or note written; text past it is cut.
    static let maxText = 200
    /// Terms longer than this many months are booked as they were paid, not amortized.
    public static let maxAmortizedMonths = 120

    /// A charge as the ledger has it, to be written as journal entries.
    package struct BookedCharge {
        package let id: Int64
        package let day: String
        package let vendor: String
        package let category: String
        package let amount: Money
        package let origin: String
        package let note: String?
        package let licenseID: Int64?
        package let period: Period?
    }

    /// An entry before it is written: a transaction (postings) or a rule.
    package struct Entry {
        package var day: String
        package var payee: String
        package var note: String?
        var tags: [(String, String)]
        var postings: [(String, Money)]
    }

    public static func export(_ db: Database, _ o: JournalOptions) throws -> JournalExport {
        let seenCharges = Set(taggedIDs(o.existing ?? "", tag: "owatch-charge"))
        let seenLicenses = Set(taggedIDs(o.existing ?? "", tag: "owatch-license"))
        var rows: [BookedCharge] = []
        var currencies: [String: Currency] = [:]
        var periods: [String: Period] = [:]
        try db.forEach(
            """
            SELECT c.id, c.charged_on, coalesce(v.name, c.vendor) AS vendor, coalesce(l.category, v.category, 'other') AS category,
                   c.currency, c.amount_minor, c.origin, c.description, c.license_id, l.period
            FROM charges c LEFT JOIN vendors v ON v.id = c.vendor_id LEFT JOIN licenses l ON l.id = c.license_id
            WHERE (?1 IS NULL OR c.charged_on >= ?1) AND (?2 IS NULL OR c.charged_on <= ?2)
            ORDER BY c.charged_on, c.id
            """, arguments: [o.from, o.to]
        ) { r in
            rows.append(
                BookedCharge(
                    id: try r.integer("id"), day: try r.text("charged_on"), vendor: try r.text("vendor"), category: try r.text("category"),
                    amount: Money(
                        minor: try r.integer("amount_minor"), currency: Currency.stored(try r.text("currency"), cache: &currencies)),
                    origin: try r.text("origin"), note: try r.optionalText("description"), licenseID: try r.optionalInteger("license_id"),
                    period: try r.optionalText("period").map { Period.stored($0, cache: &periods) }))
        }
        var entries: [Entry] = []
        var rules: [Entry] = []
        var skipped = 0
        var written = 0
        var accounts = AccountNames()
        for row in rows {
            if seenCharges.contains(row.id) {
                skipped += 1
                continue
            }
            written += 1
            entries.append(contentsOf: chargeEntries(row, o, &accounts))
        }
        if o.periodic {
            for l in try Licenses.list(db) where l.period.isRecurring && !seenLicenses.contains(l.id) {
                rules.append(contentsOf: rule(for: l, o))
            }
        }
        let text = render(entries: entries, rules: rules, o)
        return JournalExport(text: text, charges: written, skipped: skipped, rules: rules.count)
    }

    // MARK: Entries

    /// The accounts an export has named so far: the same few vendors and origins recur on every charge, and
    /// naming one (each part cleaned character by character) was a quarter of a Beancount export (callgrind).
    struct AccountNames {
        private var named: [String: String] = [:]

        /// The account `key` stands for, made by `make` the first time only.
        mutating func account(_ key: String, _ make: () -> String) -> String {
            if let known = named[key] { return known }
            let made = make()
            named[key] = made
            return made
        }
    }

    static func chargeEntries(_ r: BookedCharge, _ o: JournalOptions, _ known: inout AccountNames) -> [Entry] {
        let expense = known.account("expense\u{0}" + r.vendor + "\u{0}" + r.category) {
            expenseAccount(vendor: r.vendor, category: r.category, o)
        }
        let paidFrom = known.account("origin\u{0}" + r.origin) { o.accounts.origins[r.origin] ?? defaultOrigin(r.origin, o.format) }
        let tags = [("owatch-charge", String(r.id))]
        let months = amortizedMonths(r.period)
        guard o.amortize, r.licenseID != nil, let months, let start = Time.parseDay(r.day) else {
            return [
                Entry(
                    day: r.day, payee: r.vendor, note: r.note, tags: tags,
                    postings: [(expense, r.amount), (paidFrom, Money(minor: -r.amount.minor, currency: r.amount.currency))])
            ]
        }
        // Paid ahead for `months` months: into prepaid expenses, then one part a month into the expense.
        let prepaid = join(o.accounts.prepaid ?? root("assets", "prepaid", o.format), component(r.vendor, o.format))
        var out = [
            Entry(
                day: r.day, payee: r.vendor, note: r.note, tags: tags + [("owatch-prepaid-months", String(months))],
                postings: [(prepaid, r.amount), (paidFrom, Money(minor: -r.amount.minor, currency: r.amount.currency))])
        ]
        let parts = split(r.amount.minor, into: months)
        for (k, part) in parts.enumerated() {
            let m = Money(minor: part, currency: r.amount.currency)
            out.append(
                Entry(
                    day: Time.day(Time.addingMonths(k, to: start)), payee: r.vendor,
                    note: "month \(k + 1) of \(months) of charge \(r.id)", tags: tags + [("owatch-amortized", "\(k + 1)/\(months)")],
                    postings: [(expense, m), (prepaid, Money(minor: -part, currency: m.currency))]))
        }
        return out
    }

    /// The months a charge of this billing period pays for ahead, when more than one.
    static func amortizedMonths(_ p: Period?) -> Int? {
        guard let p, let count = p.count else { return nil }
        let months: Int
        switch p.unit {
        case .week: return nil
        case .month: months = count
        case .year: months = 12 * count
        }
        return months >= 2 && months <= maxAmortizedMonths ? months : nil
    }

    /// `total` in `n` whole parts that add up to it exactly: the remainder goes one minor unit
    /// at a time to the first months.
    package static func split(_ total: Int64, into n: Int) -> [Int64] {
        let count = Int64(n)
        let base = total / count
        let rest = total - base * count
        let step: Int64 = rest < 0 ? -1 : 1
        return (0..<count).map { k in k < rest.magnitude ? base + step : base }
    }

    /// One budget rule for a recurring license: from the month its first seats were bought,
    /// to the day it ends; the cost of all its seats per billing period.
    static func rule(for l: License, _ o: JournalOptions) -> [Entry] {
        guard let count = l.period.count, let first = l.lines.map(\.purchasedOn).min() ?? l.anchor, let start = Time.parseDay(first)
        else { return [] }
        let expense = expenseAccount(vendor: l.vendor, category: l.category, o)
        let paidFrom = o.accounts.origins["statement"] ?? defaultOrigin("statement", o.format)
        var e = Entry(
            day: Time.day(Month(start).firstDay), payee: l.name, note: nil, tags: [("owatch-license", String(l.id))],
            postings: [(expense, l.cost)])
        if o.format == .beancount {
            // Fava's budgets: daily, weekly, monthly, quarterly or yearly, each an amount.
            let (name, divisor): (String, Int64)
            switch l.period.unit {
            case .week: (name, divisor) = ("weekly", Int64(count))
            case .year: (name, divisor) = ("yearly", Int64(count))
            case .month where count % 12 == 0: (name, divisor) = ("yearly", Int64(count / 12))
            case .month where count % 3 == 0: (name, divisor) = ("quarterly", Int64(count / 3))
            case .month: (name, divisor) = ("monthly", Int64(count))
            }
            e.note = name + " " + quotient(l.cost, divisor)
            guard let end = l.endsOn.flatMap(Time.parseDay) else { return [e] }
            // A budget runs until another replaces it: nothing from the day after the contract ends.
            var stop = e
            stop.day = Time.day(end.addingTimeInterval(86_400))
            stop.note = name + " 0"
            return [e, stop]
        }
        let weekly = l.period.unit == .week
        let from = weekly ? mondayOnOrBefore(start) : Time.day(Month(start).firstDay)
        let every: String
        switch (l.period.unit, count) {
        case (.month, 1): every = "monthly"
        case (.week, 1): every = "weekly"
        case (.week, _): every = "every \(count) weeks"
        case (.month, _): every = "every \(count) months"
        case (.year, _): every = "every \(12 * count) months"
        }
        var expr = "\(every) from \(from)"
        if let end = l.endsOn.flatMap(Time.parseDay) {
            expr += " to " + Time.day(end.addingTimeInterval(86_400))
        }
        e.day = expr
        e.postings.append((paidFrom, Money(minor: -l.cost.minor, currency: l.cost.currency)))
        return [e]
    }

    static func mondayOnOrBefore(_ d: Date) -> String {
        // 1970-01-01 was a Thursday: days since a Monday are (days + 3) mod 7.
        let days = Int((d.timeIntervalSince1970 / 86_400).rounded(.down))
        let back = ((days + 3) % 7 + 7) % 7
        return Time.day(d.addingTimeInterval(-Double(back) * 86_400))
    }

    /// `m / divisor` as an exact decimal where it ends within six more digits, else rounded there.
    static func quotient(_ m: Money, _ divisor: Int64) -> String {
        var extra = 0
        var scaled = m.minor
        while scaled % divisor != 0 && extra < 6 {
            scaled *= 10
            extra += 1
        }
        let q = (scaled + (scaled >= 0 ? divisor / 2 : -divisor / 2)) / divisor
        let code = m.currency.code
        return Money(minor: q, currency: Currency(code: code, exponent: m.currency.exponent + extra)).decimal
    }

    // MARK: Accounts

    static func expenseAccount(vendor: String, category: String, _ o: JournalOptions) -> String {
        if let a = o.accounts.vendors[vendor.lowercased()] { return a }
        let parent =
            o.accounts.categories[category.lowercased()] ?? join(root("expenses", "software", o.format), component(category, o.format))
        return join(parent, component(vendor, o.format))
    }

    static func defaultOrigin(_ origin: String, _ format: JournalFormat) -> String {
        origin == "manual" ? root("assets", "bank", format) : root("liabilities", "card", format)
    }

    package static func root(_ a: String, _ b: String, _ format: JournalFormat) -> String {
        format == .beancount ? component(a, format) + ":" + component(b, format) : a + ":" + b
    }

    /// Spaces, tabs and carriage returns off both ends.
    static func trim<S: StringProtocol>(_ s: S) -> String {
        String(s.drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }

    static func join(_ parent: String, _ child: String) -> String { parent + ":" + child }

    /// One account name component from data: for hledger and Ledger lower case, letters and
    /// digits kept, anything else (spaces, `:`, `;`, quotes) a `-`; for Beancount ASCII letters,
    /// digits and `-`, starting with a capital letter or digit.
    static func component(_ text: String, _ format: JournalFormat) -> String {
        var out = ""
        var dash = false
        for ch in text {
            let keep = format == .beancount ? (ch.isASCII && (ch.isLetter || ch.isNumber)) : (ch.isLetter || ch.isNumber)
            if keep {
                if dash && !out.isEmpty { out.append("-") }
                dash = false
                out.append(format == .beancount ? ch : Character(ch.lowercased()))
            } else {
                dash = true
            }
            if out.count >= 60 { break }
        }
        if out.isEmpty { return format == .beancount ? "Unknown" : "unknown" }
        if format == .beancount { out = out.prefix(1).uppercased() + out.dropFirst() }
        return out
    }

    static let beancountRoots: Set<String> = ["Assets", "Liabilities", "Equity", "Income", "Expenses"]

    /// An account from the mapping file, refused where the format would misread it.
    static func checkAccount(_ a: String, format: JournalFormat, place: String) throws {
        func bad(_ why: String) -> OWError { OWError.badData("\(place): account '\(String(a.prefix(80)))' \(why)") }
        guard !a.isEmpty else { throw bad("is empty") }
        if format == .beancount {
            let parts = a.split(separator: ":", omittingEmptySubsequences: false)
            guard let root = parts.first, beancountRoots.contains(String(root)), parts.count >= 2 else {
                throw bad("must start with Assets, Liabilities, Equity, Income or Expenses and have a second part (Beancount)")
            }
            for p in parts.dropFirst() {
                guard let f = p.first, f.isASCII, f.isUppercase || f.isNumber,
                    p.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
                else { throw bad("has a part Beancount refuses: each starts with a capital letter or digit, then letters, digits or -") }
            }
            return
        }
        guard !a.contains("  "), !a.contains(";"), !a.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
            a.first != "(", a.first != "[", !a.hasPrefix(":"), !a.hasSuffix(":")
        else { throw bad("cannot be written in a journal (no two spaces, tab, ';', control characters, or leading ( [)") }
    }

    // MARK: Text

    /// Text from data on one line: control characters (newlines, tabs) and runs of spaces become
    /// one space (two spaces end a hledger description), `;` (a comment) becomes `,`.
    static func oneLine(_ text: String) -> String {
        var out = ""
        var count = 0
        var space = false
        for scalar in text.unicodeScalars {
            let cat = scalar.properties.generalCategory
            if scalar.properties.isWhitespace || cat == .control || cat == .format || cat == .lineSeparator || cat == .paragraphSeparator {
                space = true
                continue
            }
            if space && !out.isEmpty {
                out.append(" ")
                count += 1
            }
            space = false
            out.unicodeScalars.append(scalar == ";" ? "," : scalar)
            count += 1  // out.unicodeScalars.count, kept: counting it walked the text again for every scalar
            if count >= maxText { break }
        }
        return out
    }

    /// A payee for hledger or Ledger: one line, no `|` (hledger's payee | note), not starting with
    /// `(` (a transaction code) or a status mark.
    package static func payee(_ text: String) -> String {
        var p = oneLine(text).replacingByte(UInt8(ascii: "|"), with: "/")
        while let f = p.first, f == "(" || f == "*" || f == "!" { p = "[" + p.dropFirst() }
        return p.isEmpty ? "(no payee)" : p
    }

    /// A Beancount string literal.
    package static func quoted(_ text: String) -> String {
        "\"" + oneLine(text).replacingByte(UInt8(ascii: "\\"), with: "\\\\").replacingByte(UInt8(ascii: "\""), with: "\\\"") + "\""
    }

    /// A commodity as hledger and Ledger read it: letters alone as they are, anything else quoted.
    static func commodity(_ code: String, _ format: JournalFormat) -> String {
        if format == .beancount {
            let upper = code.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
            guard let f = upper.first, f.isLetter else { return "X" + upper }
            return upper.count >= 2 ? upper : upper + "X"
        }
        if !code.isEmpty, code.allSatisfy({ $0.isASCII && $0.isLetter }) { return code }
        return "\"" + oneLine(code).filter { $0 != "\"" && $0 != "\\" } + "\""
    }

    package static func amount(_ m: Money, _ format: JournalFormat) -> String { m.decimal + " " + commodity(m.currency.code, format) }

    /// The ids a journal already tags, read only from comment and metadata lines (a payee that
    /// says `owatch-charge: 5` is on a transaction's first line, never its own).
    static func taggedIDs(_ text: String, tag: String) -> [Int64] {
        var ids: [Int64] = []
        for raw in text.split(separator: "\n") {
            var line = raw.drop { $0 == " " || $0 == "\t" }
            guard raw.first == " " || raw.first == "\t" else { continue }
            if line.hasPrefix(";") { line = line.dropFirst().drop { $0 == " " } }
            guard line.hasPrefix(tag + ":") else { continue }
            let value = line.dropFirst(tag.count + 1).drop { $0 == " " || $0 == "\"" }.prefix { $0.isNumber }
            if let id = Int64(value) { ids.append(id) }
        }
        return ids
    }

    /// Directives the journal declares already (`account X`, `commodity X`, `open X`), so an
    /// appended export does not declare them twice.
    static func declared(_ text: String) -> Set<String> {
        var out: Set<String> = []
        for raw in text.split(separator: "\n") {
            let words = raw.split(separator: " ", omittingEmptySubsequences: true)
            if words.count >= 2, words[0] == "account" || words[0] == "commodity" { out.insert("\(words[0]) \(words[1])") }
            if words.count >= 3, words[1] == "open" { out.insert("open \(words[2])") }
        }
        return out
    }
}
