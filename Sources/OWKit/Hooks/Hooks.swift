import Foundation

/// Git-style hooks (SPEC §4): executables named after events in `<ledger dir>/hooks/`
/// (or `config hooks.dir`), run after the change committed, with the event as JSON on stdin
/// and `OWATCH_EVENT` in the environment. A failing or hanging hook warns; it never undoes.
public enum Hooks {
    public static let events = ["post-request", "post-approve", "post-reject", "post-scan", "license-renewing"]
    public static let timeout: TimeInterval = 10

    public struct Outcome: Sendable {
        public let event: String
        public let ran: Bool
        public let warning: String?
    }

    public static func directory(_ ledger: Ledger) -> String {
        if let dir = try? Config.get(ledger, "hooks.dir"), !dir.isEmpty { return dir }
        return (ledger.path as NSString).deletingLastPathComponent + "/hooks"
    }

    /// Runs the hook for `event` if one is installed. Missing hooks are not an error.
    public static func run(_ event: String, payload: JSON, ledger: Ledger, timeout: TimeInterval = Hooks.timeout) -> Outcome {
        let path = directory(ledger) + "/" + event
        guard FileManager.default.isExecutableFile(atPath: path) else { return Outcome(event: event, ran: false, warning: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        var env = ProcessInfo.processInfo.environment
        env["OWATCH_EVENT"] = event
        env["OWATCH_LEDGER"] = ledger.path
        process.environment = env
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.standardError   // stdout carries only owatch's data
        process.standardError = FileHandle.standardError
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do { try process.run() } catch {
            return Outcome(event: event, ran: false, warning: "hook \(event) could not start: \(error.localizedDescription)")
        }
        let body = Data((payload.encoded() + "\n").utf8)
        // A hook that does not read stdin must not block us: write from another thread.
        DispatchQueue.global().async {
            try? stdin.fileHandleForWriting.write(contentsOf: body)
            try? stdin.fileHandleForWriting.close()
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if done.wait(timeout: .now() + 1) == .timedOut { kill(process.processIdentifier, SIGKILL); _ = done.wait(timeout: .now() + 1) }
            return Outcome(event: event, ran: true, warning: "hook \(event) did not finish within \(Int(timeout)) s and was stopped; the change stands")
        }
        if process.terminationReason == .uncaughtSignal {
            return Outcome(event: event, ran: true, warning: "hook \(event) was killed by signal \(process.terminationStatus); the change stands")
        }
        if process.terminationStatus != 0 {
            return Outcome(event: event, ran: true, warning: "hook \(event) exited \(process.terminationStatus); the change stands")
        }
        return Outcome(event: event, ran: true, warning: nil)
    }
}

/// Work any command does on its way out: renewal reminders whose moment has passed.
public enum Housekeeping {
    static let nextCheckKey = "renewals.next_check"

    /// Called by every write that can move a renewal (license add, edit, cancel, import,
    /// `config set renewals.notify`), so the next command looks again.
    static func renewalsChanged(_ db: Database) throws {
        try db.run("DELETE FROM meta WHERE key = ?", nextCheckKey)
    }

    /// Fires `license-renewing` once per license, renewal date and lead time
    /// (`config renewals.notify`, default `30d,7d`) once the lead moment has passed.
    /// Costs one small read unless a reminder may be due. Returns hook warnings.
    public static func renewalReminders(_ session: Session) -> [String] {
        guard session.actor.role == .admin || session.actor.role == .scanner else { return [] }
        let today = Time.startOfDay(session.now)
        do {
            if let next = try session.db.one("SELECT value FROM meta WHERE key = ?", nextCheckKey)?.string("value"),
               let date = Time.parseDay(next), date > today { return [] }
            let leads = try (Config.get(session.ledger, "renewals.notify") ?? "30d,7d").split(separator: ",").compactMap { Duration.parse(String($0)) }
            var fired: [JSON] = []
            try session.write {
                var nextCheck: Date?
                func later(_ d: Date) { if nextCheck.map({ d < $0 }) ?? true { nextCheck = d } }
                for license in try Licenses.list(session.db, today: today) {
                    guard let date = license.nextRenewal(onOrAfter: today) else { continue }
                    later(Duration(count: 1, unit: .day).added(to: date))   // it rolls forward after that
                    for lead in leads {
                        let moment = lead.subtracted(from: date)
                        guard moment <= today else { later(moment); continue }
                        let renews = Time.day(date)
                        try session.db.run("INSERT OR IGNORE INTO renewal_notices(license_id, renews_on, lead, fired_at) VALUES (?,?,?,?)",
                                           license.id, renews, lead.description, Time.rfc3339(session.now))
                        guard session.db.changes == 1 else { continue }
                        try session.audit("license.renewing", "license:\(license.name)", .obj([("renews_on", .string(renews)), ("lead", .string(lead.description))]))
                        fired.append(.obj([("event", .string("license-renewing")), ("license", .string(license.name)),
                                           ("vendor", .string(license.vendor)), ("renews_on", .string(renews)), ("lead", .string(lead.description)),
                                           ("cost", .number(license.cost.decimal)), ("cost_minor", .int(license.cost.minor)),
                                           ("currency", .string(license.currency.code)), ("period", .string(license.period.description)),
                                           ("owner", license.owner.map(JSON.string) ?? .null)]))
                    }
                }
                try session.db.run("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                   nextCheckKey, Time.day(nextCheck ?? Duration(count: 1, unit: .year).added(to: today)))
            }
            return fired.compactMap { Hooks.run("license-renewing", payload: $0, ledger: session.ledger).warning }
        } catch {
            return ["renewal reminders skipped: \((error as? OWError)?.message ?? "\(error)")"]
        }
    }
}
