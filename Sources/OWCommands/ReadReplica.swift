import OWKit

/// Reports on a replica (issue 35): with the client setting `ledger.read_url` (a hot standby's
/// `postgresql://` URL), commands that only read open it instead of the ledger, in read-only
/// transactions; an explicit `--ledger` wins. Tokens are checked there too, so a revocation
/// reaches reports after the standby has replayed it (streaming replication: moments).
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
}
