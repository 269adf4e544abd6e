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
        var (count, maxID): (Int64, Int64) = (0, 0)
        try db.forEach("SELECT count(*), COALESCE(max(id), 0) FROM licenses") { (count, maxID) = (try $0.integer(0), try $0.integer(1)) }
        var lines = ByLicense<PurchaseLine>(maxID: maxID, count: count)
        var holders = ByLicense<String>(maxID: maxID, count: count)
        try allPurchaseLines(db, ids: ids, into: &lines)
        try allHolders(db, ids: ids, into: &holders)
        try db.forEach(sql, arguments: [vendorID, filter.category, filter.owner, filter.holder, filter.includeCancelled, ids]) {
            let id = try $0.integer(License.SelectColumn.id)
            let l = try License(row: $0, lines: lines.take(id), holders: holders.take(id), parsed: &periods, currencies: &currencies)
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
    static func allHolders(_ db: Database, ids: String?, into out: inout ByLicense<String>) throws {
        try db.forEach(
            """
            SELECT s.license_id, u.name FROM seats s JOIN users u ON u.id = s.user_id
            WHERE ?1 IS NULL OR s.license_id IN (SELECT value FROM json_each(?1)) ORDER BY u.name COLLATE NOCASE
            """, arguments: [ids]
        ) {
            out.append(try $0.text(1), to: try $0.integer(0))
        }
    }

    static func purchaseLines(_ db: Database, licenseID: Int64, currency: Currency) throws -> [PurchaseLine] {
        try db.query("SELECT seats, cost_minor, order_ref, purchased_on FROM purchases WHERE license_id = ? ORDER BY id", licenseID).map {
            PurchaseLine(
                seats: try $0.optionalInteger("seats"), cost: Money(minor: try $0.integer("cost_minor"), currency: currency),
                orderRef: try $0.optionalText("order_ref"), purchasedOn: try $0.text("purchased_on"))
        }
    }

    /// Purchase lines of every license (or of those in `ids`) in one query, by license id.
    static func allPurchaseLines(_ db: Database, ids: String?, into out: inout ByLicense<PurchaseLine>) throws {
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
            out.append(
                PurchaseLine(
                    seats: try row.optionalInteger(1), cost: Money(minor: try row.integer(2), currency: currency),
                    orderRef: try row.optionalText(3), purchasedOn: try row.text(4)), to: try row.integer(0))
        }
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
