import FoundationEssentials
import OWCore
import OWIdentity

/// Seats: who holds one, and what is free.
extension Licenses {
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
}
