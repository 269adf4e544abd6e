import FoundationEssentials
import OWCore
import OWIdentity

/// One change in a license's life (`license history`): from the audit chain, so price, seats,
/// terms, holders, reminders and renewal decisions over time, each with who and when.
public struct LicenseChange: Sendable {
    public let seq: Int64
    public let time: String
    public let actor: String
    public let action: String
    /// The event's details as `key value` pairs, in the order the event wrote them.
    public let what: String
}

extension Licenses {
    /// The audit events of one license, oldest first, following renames back to its `license.add`
    /// (an older license that had the same name and was removed is not this one).
    public static func history(_ db: Database, _ key: String) throws -> (license: License, changes: [LicenseChange]) {
        let l = try get(db, key)
        var names: Set<String> = [l.name.lowercased()]
        var out: [LicenseChange] = []
        var done = false
        try db.forEach("SELECT \(AuditEvent.selection) FROM events WHERE object LIKE 'license:%' ORDER BY seq DESC", arguments: []) {
            row in
            guard !done else { return }
            let e = AuditEvent(row: row)
            let name = String(e.object.dropFirst("license:".count)).lowercased()
            let details = (try? JSON.parse(e.details)) ?? .object([])
            var mine = names.contains(name)
            // A rename: the event is filed under the old name and gives the new one.
            if e.action == "license.edit", let renamed = details["name"]?.stringValue, names.contains(renamed.lowercased()) {
                names.insert(name)
                mine = true
            }
            guard mine else { return }
            if e.action == "license.add" {
                guard details["id"]?.intValue == l.id else {
                    done = true  // an earlier license of the same name
                    return
                }
                done = true
            }
            out.append(LicenseChange(seq: e.seq, time: e.time, actor: e.actor, action: e.action, what: describe(details)))
        }
        return (l, out.reversed())
    }

    /// `seats 5, cost 900.00, period yearly`: strings as they are, anything else as JSON.
    static func describe(_ details: JSON) -> String {
        (details.members ?? []).filter { $0.key != "id" }.map { m in
            let value: String
            switch m.value {
            case .string(let s): value = s.isEmpty ? "''" : s
            case .null: value = "-"
            default: value = m.value.encoded()
            }
            return "\(m.key) \(value)"
        }.joined(separator: ", ")
    }
}
