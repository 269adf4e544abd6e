import OWCore

extension Users {
    /// `token.lifetime`, 90 days unless set. Identity reads its own setting (issue 30: the
    /// config registry sits above it). token.ttl, its older name, still counts where it alone was set.
    static func tokenLifetime(_ ledger: Ledger) throws -> Duration {
        let text = try ledger.configValue("token.lifetime") ?? ledger.configValue("token.ttl") ?? "90d"
        guard let d = Duration.parse(text), d.count > 0 else {
            throw OWError.usage("token.lifetime takes a duration such as 30d, 2w, 3m, 1y, 12h or 10s, not '\(text)'")
        }
        return d
    }
}

/// Rates record their changes through a session without naming it (Money sits below identity).
extension Session: AuditedWriter {}
