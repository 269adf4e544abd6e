import FoundationEssentials
import OWCore
import OWIdentity

/// Writing a license: the draft's vendor, owner and holders resolved, its rows and its audit record.
extension Licenses {
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
}
