import FoundationEssentials
import OWCore
import OWIdentity

/// Changing a license after it is added: edit, grow, cancel, reactivate, remove.
extension Licenses {
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
    package static func currentSeatPrice(_ db: Database, _ l: License, seats: Int64) throws -> Money {
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
            try editDescription(db, l, c, changed: &changed)
            try editPrice(session, l, c, changed: &changed)
            guard !changed.isEmpty else { throw OWError.usage("nothing to change", hint: "see `owatch license edit --help`") }
            let after = try get(db, String(l.id))
            try audit(
                session, "license.edit", "license:\(l.name)",
                .obj(changed + [("monthly_before", .number(l.monthly.decimal)), ("monthly_after", .number(after.monthly.decimal))]))
            return after
        }
    }

    /// What `edit` changes about what the license is: name, vendor, plan, category, owner, period, renewal, notes.
    static func editDescription(_ db: Database, _ l: License, _ c: Changes, changed: inout [(String, JSON)]) throws {
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
    }

    /// What `edit` changes about what the license costs: per-seat pricing, the price, the contract terms.
    static func editPrice(_ session: Session, _ l: License, _ c: Changes, changed: inout [(String, JSON)]) throws {
        let db = session.db
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
}
