import FoundationEssentials
import OWCore
import OWIdentity

/// The steps of a sync's diff for one person: adding a new one, editing one matched, offboarding
/// those who left.
extension DirectorySync {
    /// A row nobody here is: a new employee (a guest when the directory says so), audited.
    static func add(_ p: DirectoryPerson, _ session: Session, directoryID: String?, dryRun: Bool, taken: inout Set<String>) throws
        -> Change
    {
        let guest = p.kind == .guest
        let name = uniqueName(for: p.email, taken: &taken)
        let change = Change(
            kind: .add, user: name, email: p.email,
            what: (guest ? "employee, guest (no leave allowance)" : "employee") + (p.dept.map { ", \($0)" } ?? "")
                + (p.fullName.map { ", \($0)" } ?? ""))
        guard !dryRun else { return change }
        _ = try Users.insert(
            session.db, name: name, role: .employee, dept: p.dept, email: p.email, fullName: p.fullName,
            directory: ("active", p.lastSignIn), directoryID: directoryID, guest: guest, now: session.now)
        try session.audit(
            "user.add", "user:\(name)",
            .obj(
                [
                    ("role", .string("employee")), ("dept", p.dept.map(JSON.string) ?? .null),
                    ("by", .string("user sync")),
                ] + (guest ? [("guest", JSON.bool(true))] : [])))
        return change
    }

    /// What a matched person's row changes: address, department, name (only when the row is `sure`ly
    /// this person, or they have none), guest or not; and the edit that records it with the
    /// directory's word on them.
    static func edit(_ u: User, row p: DirectoryPerson, sure: Bool, directoryID: String?, includeGuests: Bool) -> (
        changes: [Change], edit: Users.Edit
    ) {
        var changes: [Change] = []
        var edit = Users.Edit(user: u, directory: (p.status == .gone ? "suspended" : "active", p.lastSignIn))
        if u.email?.lowercased() != p.email {
            changes.append(Change(kind: .email, user: u.name, email: p.email, what: "\(u.email ?? "-") → \(p.email)"))
            edit.email = p.email
        }
        if let d = p.dept, d != u.dept {
            changes.append(Change(kind: .dept, user: u.name, email: p.email, what: "\(u.dept ?? "-") → \(d)"))
            edit.dept = d
        }
        if let n = p.fullName, n != u.fullName, u.fullName == nil || sure {
            changes.append(Change(kind: .name, user: u.name, email: p.email, what: "\(u.fullName ?? "-") → \(n)"))
            edit.fullName = n
        }
        if p.kind == .guest && !u.isGuest && includeGuests {
            changes.append(Change(kind: .guest, user: u.name, email: p.email, what: "a guest in the directory: no leave allowance"))
            edit.guest = "1"
        } else if p.kind == .member && u.isGuest {
            changes.append(Change(kind: .guest, user: u.name, email: p.email, what: "no longer a guest in the directory"))
            edit.guest = "0"
        }
        edit.directoryID = directoryID
        return (changes, edit)
    }

    /// Offboards the employees who left (a dry run says what it would free); admins and scanners
    /// are kept and said. The ids of those who leave.
    static func offboard(
        _ toOffboard: [(User, String)], _ session: Session, dryRun: Bool, changes: inout [Change], outcome: inout Outcome
    ) throws -> [Int64] {
        var saving: [Currency: Int64] = [:]
        var leaving: [(User, String)] = []
        for (u, why) in toOffboard {
            if u.role == .employee {
                leaving.append((u, why))
                continue
            }
            changes.append(
                Change(kind: .kept, user: u.name, email: u.email, what: "\(why); an \(u.role.rawValue) is never offboarded by a sync"))
        }
        // Who holds what (a dry run offboards nobody but says what it would free).
        let held = try Licenses.held(session.db, by: leaving.map(\.0))
        for (u, why) in leaving {
            let mine = held[u.id] ?? []
            changes.append(
                Change(
                    kind: .offboard, user: u.name, email: u.email,
                    what: why + (mine.isEmpty ? "" : "; frees " + mine.map(\.name).joined(separator: ", "))))
            outcome.freedSeats += mine.count
            for m in Licenses.seatCostByCurrency(mine.filter { !$0.isUnlimited }) { try saving[m.currency, default: 0].addChecked(m.minor) }
        }
        if !dryRun && !leaving.isEmpty { _ = try Users.offboard(session, leaving.map(\.0), held: held) }
        outcome.monthlySaving = saving.sorted { $0.key.code < $1.key.code }.map { Money(minor: $0.value, currency: $0.key) }
        return leaving.map(\.0.id)
    }
}
