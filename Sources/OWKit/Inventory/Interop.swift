import FoundationEssentials
import OWCore
import OWIdentity

/// Other tools' inventories, read into the drafts `license import` checks and writes (one import
/// path, a row reader per format) and written from licenses: Snipe-IT's licence CSV and Wallos's
/// subscription export (JSON or CSV).
public enum ImportSource: Sendable {
    /// owatch's own CSV, JSON or JSON lines (`license list` reads back).
    case owatch
    case snipeIT(SnipeIT.Options)
    case wallos(Wallos.Options)
}

extension ImportSource {
    /// The tool a file looks like it came from, by its header or keys: "snipe-it", "wallos" or nil
    /// (owatch's own, or unknown). For a hint only: a file is read as --from says.
    public static func guess(_ text: String) -> String? {
        let head = Interop.key(String(text.prefix(4096)))
        if head.contains("payment cycle") || head.contains("next payment") { return "wallos" }
        if head.contains("item name") || head.contains("license name") || head.contains("licensed to") || head.contains("product key") {
            return "snipe-it"
        }
        return nil
    }
}

/// What a reader may look up in the ledger: people by name and by e-mail, vendors by domain.
package struct InteropContext {
    package let currency: Currency
    package let dates: LicenseImport.DateFormat?
    /// Lower-cased name → name, of active people.
    package var names: [String: String] = [:]
    /// Lower-cased e-mail → name, of active people.
    var emails: [String: String] = [:]
    /// Vendors with their billing domains, for a Wallos URL.
    package var vendors: [Vendor] = []
    package let db: Database

    package init(_ db: Database, currency: Currency, dates: LicenseImport.DateFormat?) throws {
        self.currency = currency
        self.dates = dates
        self.db = db
        try db.forEach("SELECT name, email FROM users WHERE status = 'active'") {
            let name = try $0.text("name")
            names[name.lowercased()] = name
            if let email = try $0.optionalText(1), !email.isEmpty { emails[email.lowercased()] = name }
        }
        vendors = try Vendors.list(db)
    }

    /// The person a file names by user name or e-mail, if they are in the ledger.
    func person(username: String? = nil, email: String? = nil) -> String? {
        if let u = username, let n = names[u.lowercased()] { return n }
        if let e = email, let n = emails[e.lowercased()] { return n }
        return nil
    }

    /// How often a vendor charges, from the payments the ledger has seen of it: the period the
    /// receipts state when most agree, else the usual gap between payments (at least three of
    /// them, the gaps within a few days of each other). nil when the charges do not say.
    func periodFromCharges(vendor: String) throws -> Period? {
        var days: [Int] = []
        var stated: [String: Int] = [:]
        try db.forEach(
            "SELECT charged_on, period FROM charges WHERE vendor = ?1 COLLATE NOCASE OR vendor_id IN (SELECT id FROM vendors WHERE name = ?1 COLLATE NOCASE) ORDER BY charged_on",
            arguments: [vendor]
        ) {
            if let d = Time.parseDay(try $0.text("charged_on")) { days.append(Time.split(d).days) }
            if let p = try $0.optionalText(1), let period = try? Period.parse(p), period.isRecurring {
                stated[period.description, default: 0] += 1
            }
        }
        if let (text, n) = stated.max(by: { $0.value < $1.value }), n * 2 > stated.values.reduce(0, +), let p = try? Period.parse(text) {
            return p
        }
        let distinct = Array(Set(days)).sorted()
        guard distinct.count >= 3 else { return nil }
        let gaps = zip(distinct.dropFirst(), distinct).map { $0 - $1 }.sorted()
        let median = gaps[gaps.count / 2]
        guard gaps.allSatisfy({ abs($0 - median) <= max(3, median / 10) }) else { return nil }
        let known: [(ClosedRange<Int>, Period)] = [
            (6...8, Period(count: 1, unit: .week)), (13...15, Period(count: 2, unit: .week)), (27...32, .monthly),
            (88...93, Period(count: 3, unit: .month)), (180...186, Period(count: 6, unit: .month)), (360...370, .yearly),
        ]
        return known.first { $0.0.contains(median) }?.1
    }

    /// The vendor whose billing domain is the URL's host (or its parent domain).
    package func vendor(forURL url: String) -> String? {
        var host = Substring(url.lowercased())
        if let r = host.firstRange(of: "://") { host = host[r.upperBound...] }
        host = host.prefix(while: { $0 != "/" && $0 != ":" && $0 != "?" && $0 != "#" })
        if host.hasPrefix("www.") { host = host.dropFirst(4) }
        guard !host.isEmpty else { return nil }
        let h = String(host)
        return vendors.first { v in v.domains.contains { h == $0 || h.hasSuffix("." + $0) } }?.name
    }
}

/// Interchange helpers both formats share.
package enum Interop {
    /// A date as other tools write it: YYYY-MM-DD (a time after it dropped), or with `dates`
    /// that form; else as PHP's strtotime reads it (Snipe-IT): M/D/YYYY with slashes, D.M.YYYY or D-M-YYYY.
    package static func day(_ raw: String, column: String, dates: LicenseImport.DateFormat?) throws -> Date {
        var text = CSV.trim(raw)
        if let space = text.firstIndex(where: { $0 == " " || $0 == "T" }), text.distance(from: text.startIndex, to: space) >= 8 {
            text = String(text[..<space])
        }
        if let dates { return try LicenseImport.day(text, dates: dates, column: column) }
        if let d = Time.parseDay(text) { return d }
        for (sep, monthFirst) in [("/", true), (".", false), ("-", false)] {
            let parts = text.split(separator: Character(sep)).map(String.init)
            guard parts.count == 3, parts[2].count == 4, let a = Int(parts[0]), let b = Int(parts[1]), let y = Int(parts[2]) else {
                continue
            }
            let (m, d) = monthFirst ? (a, b) : (b, a)
            if let day = Time.parseDay(Time.pad(y, 4) + "-" + Time.pad(m, 2) + "-" + Time.pad(d, 2)) { return day }
        }
        throw OWError.badData("\(column): '\(text.prefix(20))' is not a date (YYYY-MM-DD, or say --date-format)")
    }

    /// A header cell as a key: lower case, `_` as a space, single spaces.
    package static func key(_ header: String) -> String {
        CSV.trim(header).lowercased().replacing("_", with: " ").split(separator: " ").joined(separator: " ")
    }

    /// CSV bytes, RFC 4180, every cell through the formula guard.
    package static func csv(_ header: [String], _ rows: [[String]]) -> [UInt8] {
        var out: [UInt8] = []
        for row in [header] + rows {
            for (i, cell) in row.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Exporter.writeCSVCell(cell, to: &out, visible: false)
            }
            out.append(contentsOf: [13, 10])
        }
        return out
    }

    /// A row's draft, its error prefixed with `label` ("record 3: " in a JSON file written on one line).
    static func errorResult(_ label: String = "", _ body: () throws -> LicenseDraft) -> Result<LicenseDraft, OWError> {
        Result { try body() }.mapError { e in
            let error = (e as? OWError) ?? OWError.badData("\(e)")
            return label.isEmpty ? error : OWError(error.kind, label + error.message, hints: error.hints)
        }
    }

    /// The people of the ledger by name: e-mail and full name, for an export.
    package static func people(_ db: Database) throws -> [String: (email: String?, fullName: String?)] {
        var out: [String: (String?, String?)] = [:]
        try db.forEach("SELECT name, email, full_name FROM users") {
            out[try $0.text("name")] = (try $0.optionalText(1), try $0.optionalText(2))
        }
        return out
    }
}

// MARK: - Snipe-IT

/// Snipe-IT's licence CSV (its importer's columns, app/Livewire/Importer.php and
/// sample_csvs/licenses-sample.csv): one row per checkout, the licence's details repeated.
public enum SnipeIT {
    /// What Purchase Cost is: per seat in recent Snipe-IT, the whole purchase in older versions.
    public enum CostBasis: String, Sendable, CaseIterable {
        case perSeat = "per-seat"
        case total
    }

    public struct Options: Sendable {
        public var cost: CostBasis?
        public var period: Period?
        public init(cost: CostBasis? = nil, period: Period? = nil) {
            self.cost = cost
            self.period = period
        }
    }

    package enum Field: CaseIterable {
        case name, category, seats, serial, manufacturer, supplier, purchaseDate, purchaseCost, expiration, termination
        case orderNumber, purchaseOrder, notes, licensedName, licensedEmail, fullName, email, username
        case period, currency, plan, basis
        /// The licence list's own export: Total is the seats, Name the licence's (app/Presenters/LicensePresenter.php).
        case total
        /// Columns Snipe-IT has that owatch keeps nothing of.
        case ignored
    }

    /// Header names (as `Interop.key` writes them) → field: Snipe-IT's labels and aliases, and
    /// the four columns owatch adds (Snipe-IT's importer leaves unknown columns unmapped).
    static let headers: [String: Field] = [
        "item name": .name, "license name": .name, "license": .name, "software": .name,
        "category": .category, "seats": .seats,
        "serial": .serial, "serial number": .serial, "serial no": .serial, "serial no.": .serial, "product key": .serial,
        "key": .serial, "serial/product key": .serial, "license serial": .serial,
        "manufacturer": .manufacturer, "supplier": .supplier,
        "purchase date": .purchaseDate, "purchase cost": .purchaseCost, "cost": .purchaseCost,
        "expiration date": .expiration, "expiration": .expiration, "expires": .expiration,
        "termination date": .termination,
        "order number": .orderNumber, "purchase order": .purchaseOrder, "purchase order number": .purchaseOrder,
        "notes": .notes,
        "licensed to name": .licensedName, "licensed to email": .licensedEmail,
        "full name": .fullName, "fullname": .fullName, "name": .fullName, "checked out to: full name": .fullName,
        "email": .email, "e-mail": .email, "checked out to: email": .email,
        "username": .username, "user name": .username, "checked out to: username": .username,
        "billing period": .period, "currency": .currency, "plan": .plan, "cost basis": .basis,
        "company": .ignored, "location": .ignored, "maintained": .ignored, "reassignable": .ignored,
        "asset tag": .ignored, "checked out to: asset tag": .ignored, "checkout type": .ignored, "min amt": .ignored,
        "minimum quantity": .ignored, "id": .ignored, "depreciation": .ignored, "free seats": .ignored,
        "remaining": .ignored, "created at": .ignored, "updated at": .ignored, "checkouts count": .ignored,
        "total": .total, "avail": .ignored, "min qty": .ignored, "created by": .ignored, "checkin/checkout": .ignored,
        "actions": .ignored,
    ]

    /// The header owatch writes, in this order.
    static let exportHeader = [
        "Item Name", "Category", "Manufacturer", "Seats", "Purchase Cost", "Purchase Date", "Order Number", "Expiration Date",
        "Termination Date", "Licensed to Name", "Licensed to Email", "Username", "Email", "Full Name", "Notes", "Billing Period",
        "Currency", "Cost Basis", "Plan",
    ]

    /// The file's licences, one draft per licence: rows of the same licence (by name and
    /// serial) are its checkouts and must otherwise agree.
    package static func rows(_ text: String, options: Options, context c: InteropContext) throws -> [LicenseImport.DraftRow] {
        var position: [Field: Int] = [:]
        var width = 0
        var groups: [(line: Int, signature: [String], draft: Result<LicenseDraft, OWError>)] = []
        var byKey: [String: Int] = [:]
        var basisAsked = false
        try CSV.forEachRecord(text, delimiter: CSV.detectDelimiter(text)) { rec in
            guard width > 0 else {
                position = try header(rec)
                width = rec.fields.count
                return
            }
            if rec.fields.count == 1, CSV.trim(rec.fields[0]).isEmpty { return }
            func field(_ f: Field) -> String? {
                guard let i = position[f], i < rec.fields.count else { return nil }
                let v = CSV.trim(rec.fields[i])
                return v.isEmpty ? nil : v
            }
            guard rec.fields.count == width else {
                groups.append((rec.line, [], .failure(OWError.badData("expected \(width) fields, found \(rec.fields.count)"))))
                return
            }
            let checkout: Set<Field> = [.fullName, .email, .username]
            let signature = Field.allCases.filter { !checkout.contains($0) && $0 != .ignored }.map { field($0) ?? "" }
            let key = (field(.name) ?? "").lowercased() + "\u{0}" + (field(.serial) ?? "")
            let holder: String? =
                c.person(username: field(.username), email: field(.email)) ?? field(.username) ?? field(.email) ?? field(.fullName)
            if let first = byKey[key], field(.name) != nil {
                let g = groups[first]
                guard g.signature == signature else {
                    groups.append(
                        (
                            rec.line, [],
                            .failure(
                                OWError.badData(
                                    "'\(field(.name)!.prefix(60))' is also on line \(g.line) with other details; Snipe-IT lists a licence once per checkout, the same but for Full Name, Email and Username"
                                ))
                        ))
                    return
                }
                if let holder, case .success(var d) = g.draft {
                    d.assigned.append(holder)
                    groups[first].draft = .success(d)
                }
                return
            }
            if field(.basis) == nil, options.cost == nil, let seats = field(.seats) ?? field(.total), seats != "1",
                field(.purchaseCost) != nil
            {
                basisAsked = true
            }
            let draft = licence(field, holder: holder, options: options, context: c)
            byKey[key] = groups.count
            groups.append((rec.line, signature, draft))
        }
        if width == 0 { throw OWError.badData("the file is empty; expected Snipe-IT's header row") }
        if basisAsked {
            throw OWError.usage(
                "Snipe-IT's Purchase Cost is per seat in recent versions and the whole purchase in older ones; say which",
                hint: "--cost per-seat (Snipe-IT 7 and later) or --cost total")
        }
        return groups.map { ($0.line, $0.draft) }
    }

    /// The header row: which column holds which field.
    static func header(_ rec: CSV.Line) throws -> [Field: Int] {
        var position: [Field: Int] = [:]
        for (i, cell) in rec.fields.enumerated() {
            let k = Interop.key(cell)
            guard let f = headers[k] else {
                throw OWError.badData(
                    "line 1, column \(i + 1): '\(k.prefix(40))' is not a Snipe-IT licence column",
                    hint: "the columns of Snipe-IT's licence importer: Item Name, Category, Seats, Manufacturer, Purchase Cost, …")
            }
            if f == .ignored { continue }
            if position[f] != nil { throw OWError.badData("line 1, column \(i + 1): '\(k)' names a column already named") }
            position[f] = i
        }
        // Snipe-IT's own licence list export names the licence "Name" (the importer's sample: the holder).
        if position[.name] == nil, let i = position[.fullName], Interop.key(rec.fields[i]) == "name" {
            position[.name] = i
            position[.fullName] = nil
        }
        guard position[.name] != nil else {
            throw OWError.badData("line 1: no Item Name (or License Name) column", hint: "is this Snipe-IT's licence CSV?")
        }
        return position
    }

    /// One licence from its first row; a row's problem is its result, not a throw.
    static func licence(
        _ field: (Field) -> String?, holder: String?, options: Options, context c: InteropContext
    ) -> Result<LicenseDraft, OWError> {
        Interop.errorResult {
            guard let name = field(.name) else { throw OWError.badData("Item Name is empty") }
            let vendor = field(.manufacturer) ?? field(.supplier) ?? name
            let seats: Int64?
            if let s = field(.seats) ?? field(.total) {
                do { seats = try LicenseDraft.parseSeats(s) } catch let e as OWError { throw OWError.badData("Seats: " + e.message) }
            } else {
                seats = nil
            }
            let rowCurrency = try field(.currency).map { text in
                do { return try Currency.parse(text) } catch let e as OWError { throw OWError.badData("Currency: " + e.message) }
            }
            let price: Money
            do {
                price = try MoneyParser.parse(field(.purchaseCost) ?? "0", defaultCurrency: rowCurrency ?? c.currency)
            } catch let e as OWError { throw OWError.badData("Purchase Cost: " + e.message) }
            var d = LicenseDraft(name: name, vendor: vendor, seats: seats, price: price)
            d.currency = rowCurrency
            let basis: CostBasis
            switch field(.basis)?.lowercased() {
            case "per seat", "per-seat": basis = .perSeat
            case "total": basis = .total
            case nil: basis = options.cost ?? .total
            case let other?: throw OWError.badData("Cost Basis: '\(other.prefix(20))' is neither 'per seat' nor 'total'")
            }
            d.perSeat = basis == .perSeat && seats != nil
            if let p = field(.period) {
                do { d.period = try Period.parse(p) } catch let e as OWError { throw OWError.badData("Billing Period: " + e.message) }
            } else {
                // Snipe-IT has no billing period: a licence that expires is a yearly subscription, one that does not a purchase.
                d.period = options.period ?? (field(.expiration) != nil ? .yearly : .oneOff)
            }
            d.renewsOn = try field(.expiration).map { try Interop.day($0, column: "Expiration Date", dates: c.dates) }
            if !d.period.isRecurring { d.renewsOn = nil }
            if let t = field(.termination) {
                d.endsOn = try Interop.day(t, column: "Termination Date", dates: c.dates)
                d.status = .cancelled
            }
            d.purchasedOn = try field(.purchaseDate).map { try Interop.day($0, column: "Purchase Date", dates: c.dates) }
            d.orderRef = field(.orderNumber) ?? field(.purchaseOrder)
            d.category = field(.category)
            d.plan = field(.plan)
            d.notes = field(.notes)
            if let owner = c.person(username: field(.licensedName), email: field(.licensedEmail)) {
                d.owner = owner
            } else if field(.licensedName) != nil || field(.licensedEmail) != nil {
                // A licensee who is not a person here (often a company): kept in the notes, not lost.
                let who = [field(.licensedName), field(.licensedEmail).map { "<\($0)>" }].compactMap { $0 }.joined(separator: " ")
                d.notes = [d.notes, "Licensed to " + who].compactMap { $0 }.joined(separator: "\n")
            }
            if let holder { d.assigned = [holder] }
            return d
        }
    }

    /// Licences as Snipe-IT's importer reads them: a row per holder (a licence nobody holds: one row).
    /// Purchase Cost is per seat where the licence is priced per seat, else the whole; Cost Basis says which.
    public static func export(_ licenses: [License], db: Database, today: Date) throws -> [UInt8] {
        let people = try Interop.people(db)
        var rows: [[String]] = []
        for l in licenses {
            let seats = l.seats
            var cost = l.cost
            var basis = "total"
            if l.perSeat, let s = seats, s > 0, l.cost.minor % s == 0 {
                cost = Money(minor: l.cost.minor / s, currency: l.currency)
                basis = "per seat"
            }
            let first = l.lines.first
            let base = [
                l.name, l.category, l.vendor, seats.map(String.init) ?? "", cost.decimal, first?.purchasedOn ?? "", first?.orderRef ?? "",
                l.nextRenewal(onOrAfter: Time.startOfDay(today)).map(Time.day) ?? "", l.endsOn ?? "", l.owner ?? "",
                l.owner.flatMap { people[$0]?.email } ?? "",
            ]
            let tail = [l.notes ?? "", l.period.description, l.currency.code, basis, l.plan ?? ""]
            let holders = l.holders.isEmpty ? [nil] : l.holders.map(Optional.some)
            for h in holders {
                let person = h.flatMap { people[$0] }
                rows.append(base + [h ?? "", person?.email ?? "", person?.fullName ?? ""] + tail)
            }
        }
        return Interop.csv(exportHeader, rows)
    }
}

// MARK: - Wallos

/// Wallos's subscription export (endpoints/subscriptions/export.php): JSON (an array, or the
/// endpoint's `{"success":…,"subscriptions":[…]}`) or the CSV its page writes from it.
public enum Wallos {
    public struct Options: Sendable {
        public var period: Period?
        public init(period: Period? = nil) { self.period = period }
    }

    static let exportHeader = [
        "Name", "Payment Cycle", "Next Payment", "Renewal", "Category", "Payment Method", "Paid By", "Price", "Notes", "URL", "State",
        "Notifications", "Cancellation Date", "Active",
    ]

    /// Wallos's cycles: `Monthly`, `Every 3 Months`, …; its database's cycle ids 1-4 are days,
    /// weeks, months and years. Days only in whole weeks: owatch bills by week, month or year.
    package static func period(_ text: String) throws -> Period {
        let t = Interop.key(text)
        switch t {
        case "daily": throw OWError.badData("Payment Cycle: a daily subscription; owatch bills by week, month or year")
        case "weekly": return Period(count: 1, unit: .week)
        case "monthly": return .monthly
        case "yearly": return .yearly
        default: break
        }
        let words = t.split(separator: " ")
        guard words.count == 3, words[0] == "every", let n = Int(words[1]), n > 0, n <= 1000 else {
            throw OWError.badData("Payment Cycle: '\(text.prefix(30))' is not a Wallos cycle (Monthly, Every 3 Months, …)")
        }
        switch words[2] {
        case "day", "days":
            guard n % 7 == 0 else { throw OWError.badData("Payment Cycle: every \(n) days; owatch bills by week, month or year") }
            return Period(count: n / 7, unit: .week)
        case "week", "weeks": return Period(count: n, unit: .week)
        case "month", "months": return Period(count: n, unit: .month)
        case "year", "years": return Period(count: n, unit: .year)
        default: throw OWError.badData("Payment Cycle: '\(text.prefix(30))' is not a Wallos cycle")
        }
    }

    static func cycleText(_ p: Period) -> String {
        guard let n = p.count else { return "" }
        let (one, many) =
            switch p.unit {
            case .week: ("Weekly", "Weeks")
            case .month: ("Monthly", "Months")
            case .year: ("Yearly", "Years")
            }
        return n == 1 ? one : "Every \(n) \(many)"
    }

    /// The file's subscriptions, each with the line it starts on.
    package static func rows(_ text: String, options: Options, context c: InteropContext) throws -> [LicenseImport.DraftRow] {
        let trimmed = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        var records: [(line: Int, label: String, value: (String) -> String?)] = []
        if trimmed.first == "[" || trimmed.first == "{" {
            records = try jsonRecords(text, trimmed)
        } else {
            var header: [String] = []
            try CSV.forEachRecord(text, delimiter: CSV.detectDelimiter(text)) { rec in
                guard !header.isEmpty else {
                    header = rec.fields.map(Interop.key)
                    guard header.contains("name"), header.contains("price") else {
                        throw OWError.badData("line 1: a Wallos export has Name and Price columns", hint: "is this Wallos's CSV export?")
                    }
                    return
                }
                if rec.fields.count == 1, CSV.trim(rec.fields[0]).isEmpty { return }
                let fields = rec.fields
                let width = header.count
                let h = header
                records.append(
                    (
                        rec.line, "",
                        { k in
                            guard fields.count == width, let i = h.firstIndex(of: k) else { return nil }
                            let v = CSV.trim(fields[i])
                            return v.isEmpty ? nil : v
                        }
                    ))
                if rec.fields.count != width {
                    records[records.count - 1].value = { k in k == "\u{0}width" ? "\(fields.count)" : nil }
                }
            }
            if header.isEmpty { throw OWError.badData("the file is empty; expected Wallos's header row") }
        }
        return records.map { line, label, value in
            (
                line,
                Interop.errorResult(label) { try licence(value, options: options, context: c) }
            )
        }
    }

    /// The records of Wallos's JSON export, each with the line it starts on.
    static func jsonRecords(_ text: String, _ trimmed: Substring) throws -> [(line: Int, label: String, value: (String) -> String?)] {
        var records: [(line: Int, label: String, value: (String) -> String?)] = []
        let doc: JSON
        do { doc = try JSON.parse(String(trimmed), maxDepth: 8) } catch let e as OWError { throw OWError.badData(e.message) }
        guard let items = doc.arrayValue ?? doc["subscriptions"]?.arrayValue else {
            throw OWError.badData("expected Wallos's export: an array of subscriptions")
        }
        let starts = LicenseImport.recordLines(String(trimmed))
        let offset = text.prefix(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).filter { $0 == "\n" }.count
        for (i, item) in items.enumerated() {
            var lowered: [String: JSON] = [:]
            for m in item.members ?? [] { lowered[Interop.key(m.key)] = m.value }
            let line = (doc.arrayValue != nil && i < starts.count ? starts[i] : 1) + offset
            records.append(
                (
                    line, "record \(i + 1): ",
                    { k in
                        switch lowered[k] {
                        case .string(let s)?: return CSV.trim(s).isEmpty ? nil : CSV.trim(s)
                        case .number(let n)?: return n
                        case .bool(let b)?: return b ? "1" : "0"
                        default: return nil
                        }
                    }
                ))
        }
        return records
    }

    /// One subscription as a license: one seat, its payment cycle as the period.
    static func licence(_ value: (String) -> String?, options: Options, context c: InteropContext) throws -> LicenseDraft {
        if let n = value("\u{0}width") { throw OWError.badData("the row has \(n) fields, the header another number") }
        guard let name = value("name") else { throw OWError.badData("Name is empty") }
        guard let priceText = value("price") else { throw OWError.badData("Price is empty") }
        let price: Money
        do { price = try MoneyParser.parse(priceText, defaultCurrency: c.currency) } catch let e as OWError {
            throw OWError.badData("Price: " + e.message)
        }
        let vendor = value("url").flatMap(c.vendor(forURL:)) ?? name
        var d = LicenseDraft(name: name, vendor: vendor, seats: 1, price: price)
        if let cycle = value("payment cycle") {
            d.period = try period(cycle)
        } else if let id = value("cycle").flatMap(Int.init), let n = Int(value("frequency") ?? "1") {
            let unit = ["day", "week", "month", "year"]
            guard (1...4).contains(id) else { throw OWError.badData("cycle: \(id) is not a Wallos cycle (1-4)") }
            d.period = try period("every \(n) \(unit[id - 1])")
        } else if let p = options.period {
            d.period = p
        } else if let p = try c.periodFromCharges(vendor: vendor) {
            d.period = p  // an older export: the cycle the vendor's payments show
        } else {
            throw OWError.usage(
                "no Payment Cycle: this export does not say how often it charges, nor do the payments of \(vendor.prefix(60)) seen here; say it with --period"
            )
        }
        d.renewsOn = try value("next payment").map { try Interop.day($0, column: "Next Payment", dates: c.dates) }
        if let category = value("category"), category.lowercased() != "no category" { d.category = category }
        d.owner = value("paid by").flatMap { c.person(username: $0) }
        d.notes = value("notes")
        let inactive =
            value("state")?.lowercased() == "disabled" || value("active")?.lowercased() == "no"
            || value("inactive") == "1"
        if let end = value("cancellation date") {
            d.endsOn = try Interop.day(end, column: "Cancellation Date", dates: c.dates)
            d.status = .cancelled
        } else if inactive {
            // Switched off in Wallos without a date: it ended before its next payment.
            d.status = .cancelled
            d.endsOn = d.renewsOn.map { Time.date(days: Time.split($0).days - 1) }
        }
        return d
    }

    /// The currency's symbol as Wallos writes prices ("€9.99"), else its code before the amount.
    package static func price(_ m: Money) -> String {
        let symbol = MoneyParser.symbols.last { $0.1 == m.currency.code && !$0.0.hasSuffix("$") || $0.0 == "$" && m.currency.code == "USD" }
        return (symbol?.0 ?? m.currency.code + " ") + m.decimal
    }

    /// Licences as Wallos's export writes subscriptions: `json` its array, else its CSV.
    public static func export(_ licenses: [License], db: Database, today: Date, json: Bool) throws -> [UInt8] {
        let vendors = try Vendors.index(db)
        let todayDay = Time.day(Time.startOfDay(today))
        let rows: [[String]] = licenses.map { l in
            let ended = l.status == .cancelled && (l.endsOn.map { $0 < todayDay } ?? true)
            let url = vendors[l.vendor.lowercased()]?.domains.first.map { "https://" + $0 } ?? ""
            return [
                l.name, cycleText(l.period), l.nextRenewal(onOrAfter: Time.startOfDay(today)).map(Time.day) ?? "",
                l.status == .active ? "Automatic" : "Manual", l.category, "", l.owner ?? "", price(l.cost), l.notes ?? "", url,
                ended ? "Disabled" : "Enabled", "Enabled", l.endsOn ?? "", ended ? "No" : "Yes",
            ]
        }
        guard json else { return Interop.csv(exportHeader, rows) }
        let array = JSON.array(rows.map { row in JSON.obj(zip(exportHeader, row).map { ($0, JSON.string($1)) }) })
        return Array((array.encoded() + "\n").utf8)
    }
}
