import FoundationEssentials
import OWCore
import OWIdentity

/// Filters for `license list`.
public struct LicenseFilter: Sendable {
    public var vendor: String?
    public var category: String?
    public var owner: String?
    public var holder: String?  // --user: licenses this person holds a seat of
    public var renewingWithin: Duration?
    public var unusedOnly = false
    public var includeCancelled = true
    /// Only these licenses (offboarding reads the few its people hold, not all 2,000).
    public var ids: Set<Int64>?
    public init() {}
}

/// The software inventory: licenses, purchase lines and seats (SPEC §3–§4).
public enum Licenses {
    // MARK: Reading

    /// Finds a license by id or by unique case-insensitive name.
    public static func find(_ db: Database, _ key: String) throws -> License? {
        let row: Row?
        if let id = Int64(key), let byID = try db.one(License.selectSQL + " WHERE l.id = ?", id) {
            row = byID
        } else {
            row = try db.one(License.selectSQL + " WHERE l.name = ?", key)
        }
        guard let row else { return nil }
        var periods: [String: Period] = [:]
        var currencies: [String: Currency] = [:]
        let id = try row.integer("id")
        let currency = Currency.stored(try row.text("currency"), cache: &currencies)
        return try License(
            row: row, lines: try purchaseLines(db, licenseID: id, currency: currency), holders: try holders(db, licenseID: id),
            parsed: &periods, currencies: &currencies)
    }

    /// One entry of the office's software catalog: what everyone may know of a license.
    public struct CatalogEntry: Sendable {
        public let name: String
        public let vendor: String
        public let category: String
        public let seatFree: Bool
    }

    /// Active licenses with no prices and no holders, for employees to see what already exists.
    public static func catalog(_ db: Database, category: String? = nil, vendor: String? = nil) throws -> [CatalogEntry] {
        var f = LicenseFilter()
        f.includeCancelled = false
        f.category = category
        f.vendor = vendor
        return try list(db, filter: f).map { l in
            CatalogEntry(name: l.name, vendor: l.vendor, category: l.category, seatFree: l.freeSeats.map { $0 > 0 } ?? true)
        }
    }

    public static func get(_ db: Database, _ key: String) throws -> License {
        guard let l = try find(db, key) else {
            // A near miss or a unique prefix ("Adobe" for "Adobe CC") gets the name to type.
            let names = try db.query("SELECT name FROM licenses ORDER BY id").map { try $0.text("name") }
            let suggestion = Int64(key) == nil ? Suggest.nearest(key, in: names) : nil
            throw OWError.notFound(
                "license '\(key.prefix(80))'",
                hint: suggestion.map { "did you mean \(ShellWord.quoted($0))?" } ?? "see `owatch license list`")
        }
        return l
    }

    // MARK: Who sees what

    /// A license the actor may see: any for an admin; for anyone else only one they hold a seat
    /// of — another's is "not found", as if it did not exist.
    public static func visible(_ session: Session, _ key: String) throws -> License {
        let l = try get(session.db, key)
        if session.actor.role != .admin, !l.holders.contains(where: { $0.equalsIgnoringCase(session.actor.name) }) {
            throw OWError.notFound("license '\(key)'")
        }
        return l
    }

    /// The filter narrowed to what the actor may list: an admin sees every license, anyone else
    /// only those they hold a seat of (asking for another person's is refused). `--user ghost`
    /// says there is no such person rather than listing nothing.
    public static func visible(_ session: Session, _ filter: LicenseFilter) throws -> LicenseFilter {
        var f = filter
        if let user = f.holder { _ = try Users.get(session.db, user) }
        if session.actor.role != .admin {
            if let u = f.holder, !u.equalsIgnoringCase(session.actor.name) {
                throw OWError.notPermitted(
                    "\(session.actor.name) is \(session.actor.role.rawValue); only admins see other people's licenses")
            }
            f.holder = session.actor.name
        }
        return f
    }

    public static func list(_ db: Database, filter: LicenseFilter = LicenseFilter(), today: Date = Date()) throws -> [License] {
        var out: [License] = []
        try forEach(db, filter: filter, today: today) { out.append($0) }
        return out
    }

    /// The licenses the filter selects, ordered by name, one at a time: a list of thousands
    /// streams to its output without an array of them all.
    public static func forEach(
        _ db: Database, filter: LicenseFilter = LicenseFilter(), today: Date = Date(),
        _ body: (License) throws -> Void
    ) throws {
        var vendorID: Int64?
        if let v = filter.vendor {
            guard let vendor = try Vendors.resolve(db, v) else { return }
            vendorID = vendor.id
        }
        let sql =
            License.selectSQL + """
                 WHERE (?1 IS NULL OR l.vendor_id = ?1)
                   AND (?2 IS NULL OR COALESCE(l.category, v.category) = ?2 COLLATE NOCASE)
                   AND (?3 IS NULL OR u.name = ?3 COLLATE NOCASE)
                   AND (?4 IS NULL OR EXISTS (SELECT 1 FROM seats x JOIN users xu ON xu.id = x.user_id WHERE x.license_id = l.id AND xu.name = ?4))
                   AND (?5 = 1 OR l.status = 'active')
                   AND (?6 IS NULL OR l.id IN (SELECT value FROM json_each(?6)))
                 ORDER BY l.name COLLATE NOCASE
                """
        let start = Time.startOfDay(today)
        let limit = filter.renewingWithin.map { $0.added(to: today) }
        var periods: [String: Period] = [:]
        var currencies: [String: Currency] = [:]
        let ids = filter.ids.map { JSON.array($0.sorted().map(JSON.int)).encoded() }
        var lines = try allPurchaseLines(db, ids: ids)
        var holders = try allHolders(db, ids: ids)
        try db.forEach(sql, arguments: [vendorID, filter.category, filter.owner, filter.holder, filter.includeCancelled, ids]) {
            let id = try $0.integer(License.SelectColumn.id)
            let l = try License(
                row: $0, lines: lines.removeValue(forKey: id) ?? [], holders: holders.removeValue(forKey: id) ?? [],
                parsed: &periods, currencies: &currencies)
            if filter.unusedOnly && (l.freeSeats ?? 0) == 0 { return }
            if let limit, !(l.nextRenewal(onOrAfter: start).map { $0 <= limit } ?? false) { return }
            try body(l)
        }
    }

    public static func holders(_ db: Database, licenseID: Int64) throws -> [String] {
        try db.query(
            "SELECT u.name FROM seats s JOIN users u ON u.id = s.user_id WHERE s.license_id = ? ORDER BY u.name COLLATE NOCASE", licenseID
        )
        .map { try $0.text("name") }
    }

    /// Holders of every license at once (or of those in `ids`, a JSON array), for list views:
    /// one query, not one per license.
    static func allHolders(_ db: Database, ids: String? = nil) throws -> [Int64: [String]] {
        var out: [Int64: [String]] = [:]
        try db.forEach(
            """
            SELECT s.license_id, u.name FROM seats s JOIN users u ON u.id = s.user_id
            WHERE ?1 IS NULL OR s.license_id IN (SELECT value FROM json_each(?1)) ORDER BY u.name COLLATE NOCASE
            """, arguments: [ids]
        ) {
            out[try $0.integer(0), default: []].append(try $0.text(1))
        }
        return out
    }

    static func purchaseLines(_ db: Database, licenseID: Int64, currency: Currency) throws -> [PurchaseLine] {
        try db.query("SELECT seats, cost_minor, order_ref, purchased_on FROM purchases WHERE license_id = ? ORDER BY id", licenseID).map {
            PurchaseLine(
                seats: try $0.optionalInteger("seats"), cost: Money(minor: try $0.integer("cost_minor"), currency: currency),
                orderRef: try $0.optionalText("order_ref"), purchasedOn: try $0.text("purchased_on"))
        }
    }

    /// Purchase lines of every license (or of those in `ids`) in one query, keyed by license id.
    static func allPurchaseLines(_ db: Database, ids: String? = nil) throws -> [Int64: [PurchaseLine]] {
        var out: [Int64: [PurchaseLine]] = [:]
        var currencies: [String: Currency] = [:]
        try db.forEach(
            """
            SELECT p.license_id, p.seats, p.cost_minor, p.order_ref, p.purchased_on, l.currency
            FROM purchases p JOIN licenses l ON l.id = p.license_id
            WHERE ?1 IS NULL OR p.license_id IN (SELECT value FROM json_each(?1)) ORDER BY p.id
            """, arguments: [ids]
        ) { row in
            // By position: license_id, seats, cost_minor, order_ref, purchased_on, currency.
            let currency = Currency.stored(try row.text(5), cache: &currencies)
            out[try row.integer(0), default: []].append(
                PurchaseLine(
                    seats: try row.optionalInteger(1), cost: Money(minor: try row.integer(2), currency: currency),
                    orderRef: try row.optionalText(3), purchasedOn: try row.text(4)))
        }
        return out
    }

    // MARK: Writing

    /// Adds a license from a draft: resolves the vendor (creating a local one if the catalog
    /// has none), the owner and the holders, and writes it with its purchase lines and seats.
    public static func add(_ session: Session, _ draft: LicenseDraft) throws -> License {
        let resolved = try draft.resolved()
        return try session.write {
            var vendors = try Vendors.index(session.db)
            var users = try activeUsers(session.db)
            let id = try insert(session.db, [resolved], vendors: &vendors, users: &users, stamp: Stamp(session.now))[0].get()
            let license = try get(session.db, String(id))
            var audited = details(license, holders: draft.assigned)
            if let terms = license.terms, case .object(let members) = audited {
                audited = .object(members + [JSON.Member("terms", terms.json)])
            }
            try audit(session, "license.add", "license:\(license.name)", audited)
            return license
        }
    }

    package static func details(_ l: License, holders: [String]) -> JSON {
        .obj([
            ("id", .int(l.id)), ("vendor", .string(l.vendor)), ("seats", l.seats.map { JSON.int($0) } ?? .string("unlimited")),
            ("cost", .number(l.cost.decimal)), ("currency", .string(l.currency.code)), ("period", .string(l.period.description)),
            ("assigned", .array(holders.map(JSON.string))),
        ])
    }

    static func activeUsers(_ db: Database) throws -> [String: (id: Int64, name: String)] {
        var out: [String: (Int64, String)] = [:]
        try db.forEach("SELECT id, name FROM users WHERE status = 'active'") {
            out[try $0.text("name").lowercased()] = (try $0.integer("id"), try $0.text("name"))
        }
        return out
    }

    /// The time stamps one write gives every row it makes (formatted once, not per row).
    package struct Stamp {
        let time: String, day: String
        package init(_ now: Date) {
            time = Time.rfc3339(now)
            day = Time.day(now)
        }
    }

    /// Writes resolved licenses with their purchase lines and seats, shared by add and import
    /// (inside the caller's write transaction; import passes a thousand at a time). Returns each
    /// row's new id, or why it was refused; nothing of a refused row is written. Rows go in a few
    /// hundred per statement, with ids given here, so an import of 100,000 licenses is not 350,000
    /// statements. The caller marks the renewal schedule changed (once per write, not per row).
    package static func insert(
        _ db: Database, _ rows: [LicenseDraft.Resolved], vendors: inout [String: Vendor],
        users: inout [String: (id: Int64, name: String)], stamp: Stamp
    ) throws -> [Result<Int64, OWError>] {
        var outcome: [Result<Int64, OWError>] = []
        outcome.reserveCapacity(rows.count)
        var nextID = try db.scalar("SELECT COALESCE(max(id), 0) FROM licenses") + 1
        // 1. Check each row against the ledger and queue its license row.
        var queued: [(index: Int, id: Int64, name: String, holders: [Int64])] = []
        var licenseValues: [SQLValue] = []
        for (index, r) in rows.enumerated() {
            let d = r.draft
            do {
                let (vendor, ownerID) = try vendorAndOwner(db, d, vendors: &vendors, users: users)
                let name = CSV.trim(d.name)
                let capacity: Int64? = r.lines.contains { $0.0 == nil } ? nil : r.lines.reduce(0) { $0 + ($1.0 ?? 0) }
                let holders = Set(d.assigned.map { $0.lowercased() })
                if let capacity, holders.count > capacity {
                    throw OWError.refused("'\(name)' has \(capacity) seat(s) but \(holders.count) people are assigned")
                }
                let holderIDs = try holders.sorted().map { h in
                    guard let u = users[h] else { throw OWError.refused("cannot assign '\(h)': not an active user") }
                    return u.id
                }
                let id = nextID
                nextID += 1
                licenseValues += [
                    .int(id), .text(name), .int(vendor.id), d.plan.sqlValue, d.category?.lowercased().sqlValue ?? .null,
                    ownerID.sqlValue, .text(r.period.description), .text(r.currency.code), d.perSeat.sqlValue,
                    d.renewsOn.map(Time.day).sqlValue, d.notes.sqlValue, .text(stamp.time), .text((d.status ?? .active).rawValue),
                    d.endsOn.map(Time.day).sqlValue,
                ]
                queued.append((index, id, name, holderIDs))
                outcome.append(.success(id))
            } catch let e as OWError {
                outcome.append(.failure(e))
            }
        }
        guard !queued.isEmpty else { return outcome }
        // 2. The unique index on the name decides (case-insensitively): a row it skips has a taken name.
        let inserted = try db.insertRows(
            into: """
                licenses(id, name, vendor_id, plan, category, owner_id, period, currency, per_seat, renews_on, notes, created_at, status, ends_on)
                """, width: 14, values: licenseValues, tail: "ON CONFLICT(name) DO NOTHING")
        if inserted < queued.count {
            queued = try queued.filter { q in
                if try db.one("SELECT 1 AS x FROM licenses WHERE id = ?", q.id) != nil { return true }
                outcome[q.index] = .failure(OWError.refused("a license named '\(q.name)' already exists"))
                return false
            }
        }
        for q in queued where rows[q.index].draft.usageBilled {
            try db.run("UPDATE licenses SET billing = 'usage' WHERE id = ?", q.id)
        }
        // 3. Purchase lines and seats of the licenses written.
        var lineValues: [SQLValue] = []
        var seatValues: [SQLValue] = []
        for q in queued {
            for (seats, cost, order, date) in rows[q.index].lines {
                lineValues += [.int(q.id), seats.sqlValue, .int(cost.minor), order.sqlValue, .text(date.map(Time.day) ?? stamp.day)]
            }
            for user in q.holders { seatValues += [.int(q.id), .int(user), .text(stamp.time)] }
        }
        try db.insertRows(into: "purchases(license_id, seats, cost_minor, order_ref, purchased_on)", width: 5, values: lineValues)
        try db.insertRows(into: "seats(license_id, user_id, assigned_at)", width: 3, values: seatValues)
        for q in queued { try rows[q.index].draft.saveTerms(db, licenseID: q.id, today: stamp.day) }
        return outcome
    }

    /// Every license and seat change is audited, and leaves no finding open that it made untrue.
    package static func audit(_ session: Session, _ action: String, _ object: String, _ details: JSON = .object([])) throws {
        // First, so the event's state digest covers it (a bulk change does it once, at its end).
        if !session.staleFindingsDeferred { try Findings.resolveStale(session.db, now: session.now) }
        try session.audit(action, object, details)
    }

    /// A draft's vendor (added to the catalog when new) and owner (an active user).
    static func vendorAndOwner(
        _ db: Database, _ d: LicenseDraft, vendors: inout [String: Vendor],
        users: [String: (id: Int64, name: String)]
    ) throws -> (Vendor, Int64?) {
        let vendor: Vendor
        if let v = vendors[CSV.trim(d.vendor).lowercased()] {
            vendor = v
        } else {
            vendor = try Vendors.insert(db, name: d.vendor, category: d.category, domains: [], aliases: [])
            vendors[vendor.name.lowercased()] = vendor
        }
        guard let owner = d.owner, !owner.isEmpty else { return (vendor, nil) }
        guard let u = users[owner.lowercased()] else { throw OWError.refused("owner '\(owner)' is not an active user") }
        return (vendor, u.id)
    }

    /// `license import --update`: an existing license takes an imported row's fields, purchase
    /// lines and holders in place (its id, and the charges and requests that name it, stay).
    /// Holders who stay keep their seat and its date.
    package static func replace(
        _ db: Database, id: Int64, with r: LicenseDraft.Resolved, vendors: inout [String: Vendor],
        users: [String: (id: Int64, name: String)], stamp: Stamp
    ) throws {
        let d = r.draft
        let (vendor, ownerID) = try vendorAndOwner(db, d, vendors: &vendors, users: users)
        let holders = try Set(d.assigned.map { $0.lowercased() }).map { h -> Int64 in
            guard let u = users[h] else { throw OWError.refused("cannot assign '\(h)': not an active user") }
            return u.id
        }
        let capacity: Int64? = r.lines.contains { $0.0 == nil } ? nil : r.lines.reduce(0) { $0 + ($1.0 ?? 0) }
        if let capacity, holders.count > capacity {
            throw OWError.refused("'\(d.name)' has \(capacity) seat(s) but \(holders.count) people are assigned")
        }
        try db.run(
            """
            UPDATE licenses SET vendor_id = ?, plan = ?, category = ?, owner_id = ?, period = ?, currency = ?, per_seat = ?, renews_on = ?,
                notes = ?, status = ?, ends_on = ?, billing = ? WHERE id = ?
            """, vendor.id, d.plan, d.category?.lowercased(), ownerID, r.period.description, r.currency.code, d.perSeat,
            d.renewsOn.map(Time.day), d.notes, (d.status ?? .active).rawValue, d.endsOn.map(Time.day), d.usageBilled ? "usage" : "seats", id
        )
        try db.run("DELETE FROM license_terms WHERE license_id = ?", id)
        try d.saveTerms(db, licenseID: id, today: stamp.day)
        try db.run("DELETE FROM purchases WHERE license_id = ?", id)
        for (seats, cost, order, date) in r.lines {
            try db.run(
                "INSERT INTO purchases(license_id, seats, cost_minor, order_ref, purchased_on) VALUES (?,?,?,?,?)",
                id, seats, cost.minor, order, date.map(Time.day) ?? stamp.day)
        }
        let current = Set(try db.query("SELECT user_id FROM seats WHERE license_id = ?", id).map { try $0.integer("user_id") })
        for gone in current.subtracting(holders) { try db.run("DELETE FROM seats WHERE license_id = ? AND user_id = ?", id, gone) }
        for new in Set(holders).subtracting(current) {
            try db.run("INSERT INTO seats(license_id, user_id, assigned_at) VALUES (?,?,?)", id, new, stamp.time)
        }
    }

    public enum Renewal: Sendable {
        case on(Date)
        case none
    }

    public struct Changes: Sendable {
        public var name: String?
        public var vendor: String?
        public var plan: String?
        public var category: String?
        public var owner: String?
        public var period: Period?
        /// A new renewal date, or none at all.
        public var renewal: Renewal?
        public var notes: String?
        /// A new price, in the license's currency.
        public var price: Money?
        public var perSeat: Bool?
        /// Seats in all: more adds them to the newest purchase line at its seat price; fewer
        /// takes them from the newest lines first; never fewer than the seats held.
        public var seats: Int64?
        /// The contract terms in full, as they are to be from now on.
        public var terms: ContractTerms?
        public init() {}
    }

    /// `license edit --seats N`, keeping every purchase line's price per seat.
    static func setSeats(_ db: Database, _ l: License, to total: Int64, changed: inout [(String, JSON)]) throws {
        guard total > 0 else { throw OWError.usage("--seats must be at least 1") }
        guard let current = l.seats else { throw OWError.refused("'\(l.name)' is a site license with unlimited seats") }
        guard total >= l.assigned else {
            throw OWError.refused(
                "'\(l.name)' has \(l.assigned) seat(s) held; it cannot go down to \(total)",
                hint: "free seats first: owatch license unassign \(ShellWord.quoted(l.name)) USER")
        }
        guard total != current else { return }
        let lines = try db.query("SELECT id, seats, cost_minor FROM purchases WHERE license_id = ? ORDER BY id DESC", l.id)
        var delta = total - current
        for line in lines {
            let seats = try line.integer("seats")
            let cost = try line.integer("cost_minor")
            let id = try line.integer("id")
            guard seats > 0 else { continue }
            let unit = Rational(cost, seats)
            if delta > 0 {
                let newSeats = seats + delta
                try db.run("UPDATE purchases SET seats = ?, cost_minor = ? WHERE id = ?", newSeats, (unit * newSeats).rounded, id)
                delta = 0
            } else if seats + delta > 0 {
                let newSeats = seats + delta
                try db.run("UPDATE purchases SET seats = ?, cost_minor = ? WHERE id = ?", newSeats, (unit * newSeats).rounded, id)
                delta = 0
            } else if lines.count > 1 {
                try db.run("DELETE FROM purchases WHERE id = ?", id)
                delta += seats
            }
            if delta == 0 { break }
        }
        changed.append(("seats", .int(total)))
    }

    /// `license reactivate`: a cancelled license runs again (its end date dropped).
    public static func reactivate(_ session: Session, _ key: String) throws -> License {
        try session.write {
            let l = try get(session.db, key)
            guard !l.isActive else { throw OWError.refused("'\(l.name)' is active") }
            try session.db.run("UPDATE licenses SET status = 'active', ends_on = NULL WHERE id = ?", l.id)
            try audit(session, "license.reactivate", "license:\(l.name)", .obj([("ended_on", l.endsOn.map(JSON.string) ?? .null)]))
            return try get(session.db, String(l.id))
        }
    }

    /// The price of `seats` more seats at the license's current seat price: the newest purchase
    /// line's cost over its seats, exactly, rounded once (a 3-seat pack of 30.00 prices a fourth at 10.00).
    static func currentSeatPrice(_ db: Database, _ l: License, seats: Int64) throws -> Money {
        guard
            let line = try db.one(
                "SELECT seats, cost_minor FROM purchases WHERE license_id = ? AND seats > 0 ORDER BY id DESC LIMIT 1", l.id)
        else { return Money(minor: 0, currency: l.currency) }
        return Money(minor: (Rational(try line.integer("cost_minor"), try line.integer("seats")) * seats).rounded, currency: l.currency)
    }

    /// Edits a license. `cost` sets the price of the first purchase line (per seat for per-seat
    /// licenses, where every line is repriced), as a corrected or renegotiated contract.
    public static func edit(_ session: Session, _ key: String, _ c: Changes) throws -> License {
        try session.write {
            let db = session.db
            let l = try get(db, key)
            // A cancelled contract is history: changing it would be written to the audit log and
            // matter nowhere. Bring it back first.
            guard l.isActive else {
                throw OWError.refused(
                    "'\(l.name)' is cancelled (it ends \(l.endsOn ?? "-")); nothing was changed",
                    hint: "bring it back first: owatch license reactivate \(ShellWord.quoted(l.name))")
            }
            var changed: [(String, JSON)] = []
            if let seats = c.seats { try setSeats(db, l, to: seats, changed: &changed) }
            if let name = c.name {
                try LicenseDraft.validateName(name)
                if let other = try find(db, name), other.id != l.id { throw OWError.refused("a license named '\(name)' already exists") }
                try db.run("UPDATE licenses SET name = ? WHERE id = ?", name, l.id)
                changed.append(("name", .string(name)))
            }
            if let vendorName = c.vendor {
                let v =
                    try Vendors.resolve(db, vendorName)
                    ?? Vendors.insert(db, name: vendorName, category: c.category, domains: [], aliases: [])
                try db.run("UPDATE licenses SET vendor_id = ? WHERE id = ?", v.id, l.id)
                changed.append(("vendor", .string(v.name)))
            }
            if let plan = c.plan {
                try db.run("UPDATE licenses SET plan = ? WHERE id = ?", plan.isEmpty ? nil : plan, l.id)
                changed.append(("plan", .string(plan)))
            }
            if let cat = c.category {
                try db.run("UPDATE licenses SET category = ? WHERE id = ?", cat.isEmpty ? nil : cat.lowercased(), l.id)
                changed.append(("category", .string(cat)))
            }
            if let owner = c.owner {
                var ownerID: Int64?
                if !owner.isEmpty {
                    let u = try Users.get(db, owner)
                    guard u.isActive else { throw OWError.refused("owner '\(owner)' was offboarded") }
                    ownerID = u.id
                }
                try db.run("UPDATE licenses SET owner_id = ? WHERE id = ?", ownerID, l.id)
                changed.append(("owner", .string(owner)))
            }
            if let period = c.period {
                try db.run("UPDATE licenses SET period = ? WHERE id = ?", period.description, l.id)
                changed.append(("period", .string(period.description)))
                if !period.isRecurring { try db.run("UPDATE licenses SET renews_on = NULL WHERE id = ?", l.id) }
            }
            if let renewal = c.renewal {
                var day: String? = nil
                if case .on(let date) = renewal { day = Time.day(date) }
                try db.run("UPDATE licenses SET renews_on = ? WHERE id = ?", day, l.id)
                changed.append(("renews_on", .string(day ?? "")))
            }
            if let n = c.notes {
                try db.run("UPDATE licenses SET notes = ? WHERE id = ?", n.isEmpty ? nil : n, l.id)
                changed.append(("notes", .string(n)))
            }
            let perSeat = c.perSeat ?? l.perSeat
            if perSeat != l.perSeat {
                guard !l.isUnlimited || !perSeat else { throw OWError.usage("a site license (unlimited seats) cannot be priced per seat") }
                try db.run("UPDATE licenses SET per_seat = ? WHERE id = ?", perSeat, l.id)
                changed.append(("per_seat", .bool(perSeat)))
            }
            if let price = c.price {
                guard price.currency == l.currency, price.minor >= 0 else {
                    throw OWError.usage("the cost must be a non-negative \(l.currency.code) amount")
                }
                if perSeat {
                    try db.run("UPDATE purchases SET cost_minor = seats * ? WHERE license_id = ?", price.minor, l.id)
                } else {
                    try db.run(
                        "UPDATE purchases SET cost_minor = ? WHERE id = (SELECT min(id) FROM purchases WHERE license_id = ?)", price.minor,
                        l.id)
                }
                changed.append(("cost", .number(price.decimal)))
            }
            if var terms = c.terms, terms != l.terms {
                if terms.minimumTerm != nil, terms.termStart == nil {
                    terms.termStart = l.lines.first?.purchasedOn ?? Time.day(session.now)
                }
                try terms.validate(period: c.period ?? l.period)
                try terms.save(db, licenseID: l.id)
                changed.append(("terms", terms.json))
            }
            guard !changed.isEmpty else { throw OWError.usage("nothing to change", hint: "see `owatch license edit --help`") }
            let after = try get(db, String(l.id))
            try audit(
                session, "license.edit", "license:\(l.name)",
                .obj(changed + [("monthly_before", .number(l.monthly.decimal)), ("monthly_after", .number(after.monthly.decimal))]))
            return after
        }
    }

    /// Adds a purchase line: seats bought later, at their own price.
    /// For per-seat licenses a missing cost means the current seat price.
    public static func grow(_ session: Session, _ key: String, seats: Int64, cost: Money?, orderRef: String?, on date: Date?) throws
        -> License
    {
        try session.write {
            try addLine(session, get(session.db, key), seats: seats, cost: cost, orderRef: orderRef, on: date, reason: "license.grow")
        }
    }

    static func addLine(_ session: Session, _ l: License, seats: Int64, cost: Money?, orderRef: String?, on date: Date?, reason: String)
        throws -> License
    {
        guard seats > 0 else { throw OWError.usage("seats to add must be at least 1") }
        guard !l.isUnlimited else { throw OWError.refused("'\(l.name)' is a site license with unlimited seats; nothing to grow") }
        guard l.isActive else { throw OWError.refused("'\(l.name)' is cancelled") }
        var lineCost: Money
        if let price = cost {
            guard price.currency == l.currency, price.minor >= 0 else {
                throw OWError.usage("the cost must be a non-negative \(l.currency.code) amount")
            }
            lineCost = l.perSeat ? try multiply(price, seats) : price
        } else {
            // Seats cost what the current ones do, per seat, for packs as for per-seat prices.
            lineCost = try currentSeatPrice(session.db, l, seats: seats)
        }
        try session.db.run(
            "INSERT INTO purchases(license_id, seats, cost_minor, order_ref, purchased_on) VALUES (?,?,?,?,?)",
            l.id, seats, lineCost.minor, orderRef, Time.day(date ?? session.now))
        let after = try get(session.db, String(l.id))
        try audit(
            session, reason, "license:\(l.name)",
            .obj([
                ("seats_added", .int(seats)), ("line_cost", .number(lineCost.decimal)),
                ("seats", .int(after.seats ?? 0)), ("monthly_before", .number(l.monthly.decimal)),
                ("monthly_after", .number(after.monthly.decimal)), ("order", orderRef.map(JSON.string) ?? .null),
            ]))
        return after
    }

    /// Cancels a license: it runs until `on` (default: the day before its next renewal, or today), then stops.
    public static func cancel(_ session: Session, _ key: String, on date: Date?) throws -> License {
        try session.write {
            let l = try get(session.db, key)
            guard l.isActive else { throw OWError.refused("'\(l.name)' is already cancelled (ends \(l.endsOn ?? "-"))") }
            let end: String
            if let date {
                end = Time.day(date)
            } else if let next = l.nextRenewal(onOrAfter: Time.startOfDay(session.now)) {
                end = Time.day(Duration(count: 1, unit: .day).subtracted(from: next))
            } else {
                end = Time.day(session.now)
            }
            try session.db.run("UPDATE licenses SET status = 'cancelled', ends_on = ? WHERE id = ?", end, l.id)
            try audit(
                session, "license.cancel", "license:\(l.name)", .obj([("ends_on", .string(end)), ("monthly", .number(l.monthly.decimal))]))
            return try get(session.db, String(l.id))
        }
    }

    /// Deletes a license and its lines. Refuses while people hold seats, unless forced.
    public static func remove(_ session: Session, _ key: String, force: Bool) throws -> License {
        try session.write {
            let l = try get(session.db, key)
            if l.assigned > 0 && !force {
                throw OWError.refused(
                    "'\(l.name)' has \(l.assigned) seat holder(s)", hint: "unassign them, cancel the license instead, or pass --force")
            }
            try session.db.run("DELETE FROM licenses WHERE id = ?", l.id)
            try audit(session, "license.remove", "license:\(l.name)", details(l, holders: []))
            return l
        }
    }

    /// Gives people seats. Without `grow`, refuses when there are not enough free seats;
    /// with it, buys the missing seats as a new purchase line (at the seat price for per-seat licenses).
    public static func assign(_ session: Session, _ key: String, users names: [String], grow: Bool) throws -> License {
        try session.write {
            var l = try get(session.db, key)
            guard l.isActive else { throw OWError.refused("'\(l.name)' is cancelled; seats cannot be assigned") }
            var people: [User] = []
            for n in names {
                let u = try Users.get(session.db, n)
                guard u.isActive else { throw OWError.refused("\(u.name) was offboarded and cannot be assigned a seat") }
                if try session.db.one("SELECT 1 AS x FROM seats WHERE license_id = ? AND user_id = ?", l.id, u.id) != nil {
                    throw OWError.refused("\(u.name) already holds a seat of '\(l.name)'")
                }
                if !people.contains(where: { $0.id == u.id }) { people.append(u) }
            }
            if let free = l.freeSeats, Int64(people.count) > free {
                let missing = Int64(people.count) - free
                guard grow else {
                    throw OWError.refused(
                        "'\(l.name)' has \(free) free seat(s); \(people.count) requested",
                        hint:
                            "pass --grow to buy \(missing) more seat(s), or `owatch license grow \(ShellWord.quoted(l.name)) --seats \(missing)`"
                    )
                }
                l = try addLine(session, l, seats: missing, cost: nil, orderRef: nil, on: nil, reason: "license.grow")
            }
            for u in people {
                try session.db.run(
                    "INSERT INTO seats(license_id, user_id, assigned_at) VALUES (?,?,?)", l.id, u.id, Time.rfc3339(session.now))
                try audit(session, "seat.assign", "license:\(l.name)", .obj([("user", .string(u.name))]))
            }
            return try get(session.db, String(l.id))
        }
    }

    public static func unassign(_ session: Session, _ key: String, users names: [String]) throws -> License {
        try session.write {
            let l = try get(session.db, key)
            for n in names {
                let u = try Users.get(session.db, n)
                try session.db.run("DELETE FROM seats WHERE license_id = ? AND user_id = ?", l.id, u.id)
                guard session.db.changes == 1 else { throw OWError.refused("\(u.name) holds no seat of '\(l.name)'") }
                try audit(session, "seat.unassign", "license:\(l.name)", .obj([("user", .string(u.name))]))
            }
            return try get(session.db, String(l.id))
        }
    }

    /// Frees every seat a person holds (offboarding). Returns the freed licenses; inside a write.
    /// Frees every seat of these people (offboarding), each seat an audit event; returns the
    /// licenses each held. One listing of the licenses, however many people.
    package static func freeSeats(_ session: Session, users: [User], held known: [Int64: [License]]? = nil) throws -> [Int64: [License]] {
        let out = try known ?? held(session.db, by: users)
        for u in users {
            guard let held = out[u.id] else { continue }
            try session.db.run("DELETE FROM seats WHERE user_id = ?", u.id)
            for l in held {
                try audit(
                    session, "seat.unassign", "license:\(l.name)", .obj([("user", .string(u.name)), ("reason", .string("offboard"))]))
            }
        }
        return out
    }

    /// The licenses each of these people holds a seat of, by name: one listing, however many people.
    package static func held(_ db: Database, by users: [User]) throws -> [Int64: [License]] {
        guard !users.isEmpty else { return [:] }
        let people = JSON.array(users.map { .int($0.id) }).encoded()
        var heldIDs: [Int64: [Int64]] = [:]
        try db.forEach(
            "SELECT user_id, license_id FROM seats WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY license_id",
            arguments: [people]
        ) { row in
            heldIDs[try row.integer(0), default: []].append(try row.integer(1))
        }
        guard !heldIDs.isEmpty else { return [:] }
        var f = LicenseFilter()
        f.ids = Set(heldIDs.values.joined())
        let byID = Dictionary(uniqueKeysWithValues: try list(db, filter: f).map { ($0.id, $0) })
        return heldIDs.mapValues { lids in lids.compactMap { byID[$0] }.sorted { $0.name.lowercased() < $1.name.lowercased() } }.filter {
            !$0.value.isEmpty
        }
    }

    /// Monthly cost per currency of one seat of each license: what a person's seats cost.
    public static func seatCostByCurrency(_ licenses: [License]) -> [Money] {
        var sums: [Currency: Rational] = [:]
        for l in licenses { sums[l.currency] = (sums[l.currency] ?? .zero) + l.seatMonthlyExact }
        return sums.sorted { $0.key.code < $1.key.code }.map { Money(minor: $0.value.rounded, currency: $0.key) }
    }

    /// Renewals from today up to `within`, soonest first.
    public static func renewals(_ db: Database, within: Duration, today: Date) throws -> [(license: License, date: Date)] {
        let start = Time.startOfDay(today)
        let limit = within.added(to: start)
        return try list(db, today: today).compactMap { l in
            guard let next = l.nextRenewal(onOrAfter: start), next <= limit else { return nil }
            return (l, next)
        }.sorted { ($0.date, $0.license.name) < ($1.date, $1.license.name) }
    }
}
