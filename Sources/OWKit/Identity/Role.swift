import OWCore

/// What a person may do (SPEC §2).
public enum Role: String, CaseIterable, Sendable {
    case admin  // approves; manages licenses, users and configuration
    case employee  // requests; sees own requests and the licenses they hold
    case scanner  // least privilege for cron: scan and nothing else

    public static func parse(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text.lowercased()) else {
            throw OWError.usage("unknown role '\(text)'", hint: "roles are: admin, employee, scanner")
        }
        return role
    }
}

/// Who is acting: the verified token's user, or the bootstrap of `init`.
public struct Actor: Sendable {
    public let name: String
    public let role: Role
    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}
