import OWKit

/// Reports on a replica (issue 35): with the client setting `ledger.read_url` (a hot standby's
/// `postgresql://` URL), commands that only read open it instead of the ledger, in read-only
/// transactions; an explicit `--ledger` wins. Tokens are checked there too, so a revocation
/// reaches reports after the standby has replayed it (streaming replication: moments). A standby
/// that cannot be reached is worked around: a warning, and the read goes to the primary.
enum ReadReplica {
    /// Verbs that only read, in every noun; and `report …`, `audit log`, `audit verify`.
    static let readingVerbs: Set<String> = ["list", "show", "history", "renewals", "log", "verify"]

    static func reads(_ command: Command) -> Bool {
        command.noun == "report" || command.verb.map(readingVerbs.contains) ?? false
    }

    /// The URL this command reads from instead of the ledger, or nil.
    static func url(for command: Command, _ line: ParsedLine, environment: [String: String]) -> String? {
        guard line.value(GlobalOption.ledger) == nil, reads(command) else { return nil }
        return ClientConfig.read(environment: environment)[ClientConfig.readURL].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the session; on a replica that cannot be reached (exit 69), warns and reads from the
    /// primary instead, so reports keep working while the standby is down.
    static func authenticate(_ paths: inout Paths, primary: String?, environment: [String: String], term: Terminal) throws -> Session {
        do {
            return try Session.authenticate(paths: paths, services: .office)
        } catch let error as OWError where error.kind == .unavailable && paths.readOnly {
            term.err("owatch: warning: the read replica (ledger.read_url) is unavailable; reading from the primary: \(error.message)\n")
            paths = Paths(ledger: primary, token: paths.token, key: paths.issuerKey, environment: environment)
            return try Session.authenticate(paths: paths, services: .office)
        }
    }
}
