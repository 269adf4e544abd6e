import OWCore
import OWIdentity

/// Findings kept true through a bulk change. Moved here from `Session` (issue 30): the session
/// keeps the state, the findings' layer the refresh, so identity names no finding.
extension Session {
    /// Runs `body` (inside `write`) with stale findings resolved once, at its end.
    func deferringStaleFindings<T>(_ body: () throws -> T) throws -> T {
        guard !staleFindingsDeferred else { return try body() }
        staleFindingsDeferred = true
        seatFindingsChangedFor = nil
        defer {
            staleFindingsDeferred = false
            seatFindingsChangedFor = nil
        }
        let start = db.totalChanges
        let result = try body()
        staleFindingsDeferred = false
        // A body that wrote nothing made nothing stale (a sync of an unchanged export).
        let before = db.totalChanges
        guard before != start else { return result }
        try Findings.resolveStale(db, now: now, seatsOf: seatFindingsChangedFor)
        // What the refresh resolved or opened is recorded by an event of its own.
        if db.totalChanges != before { try audit("findings.refresh", "findings") }
        return result
    }
}
