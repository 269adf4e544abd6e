import FoundationEssentials
import Glibc
import OWCore
import OWIdentity

/// `notify.retry`: TRIES attempts spread over SPAN, each wait twice the one before
/// (5/1d: about 1.6 h, 4.8 h, 11.2 h and 24 h after the first try).
public struct RetryPolicy: Sendable, CustomStringConvertible {
    public let tries: Int
    public let span: Duration

    public static func parse(_ text: String) throws -> RetryPolicy {
        let parts = text.trimmed(.whitespaces).split(separator: "/")
        guard parts.count == 2, let tries = Int(parts[0]), (1...20).contains(tries), let span = Duration.parse(String(parts[1])),
            span.count > 0
        else { throw OWError.usage("notify.retry takes TRIES/SPAN, such as 5/1d (1 to 20 tries), not '\(text.prefix(20))'") }
        return RetryPolicy(tries: tries, span: span)
    }

    public var description: String { "\(tries)/\(span)" }

    /// When the try after try number `attempt` (1-based) is due; nil when none is left.
    package func next(after attempt: Int, from now: Date) -> Date? {
        guard attempt < tries else { return nil }
        let unit = Double(span.seconds) / Double((1 << (tries - 1)) - 1)
        return now.addingTimeInterval(unit * Double(1 << (attempt - 1)))
    }
}

/// What one claimed item came to in a delivery run.
public struct DeliveryAttempt: Sendable {
    public enum Outcome: String, Sendable { case delivered, retrying, failed, stale }
    public let item: OutboxItem
    public let outcome: Outcome
    public let http: Int?
    public let error: String?
}

/// Delivery of the outbox: claim under a lease, send, record. A key is sent by one run only;
/// if a run dies after the receiver accepted and before the ledger recorded it, the item is sent
/// again when its lease ends, with the same idempotency key for the receiver to drop it.
public enum Delivery {
    /// Items are claimed one at a time: a run killed mid-delivery holds only the one in flight.
    package static let batch = 1
    /// Longer than one delivery can take (curl's and sendmail's timeouts), so a live run never loses its lease.
    static let lease: TimeInterval = 120

    public static func deliver(_ session: Session, limit: Int = 1000) throws -> [DeliveryAttempt] {
        let policy = try RetryPolicy.parse(try Config.get(session.ledger, "notify.retry") ?? "5/1d")
        let owner = "\(getpid())-\(UUID().uuidString.lowercased())"
        var done: [DeliveryAttempt] = []
        while done.count < limit {
            let now = Date()
            let claimed = try Outbox.claim(session.db, owner: owner, now: now, until: now.addingTimeInterval(lease), limit: batch)
            if claimed.isEmpty { break }
            for item in claimed { done.append(try attempt(session, item, owner: owner, policy: policy)) }
        }
        return done
    }

    /// After a write command: deliver what is due, never failing the command (warnings only).
    public static func afterWrite(_ session: Session) -> [String] {
        guard session.actor.role == .admin || session.actor.role == .scanner else { return [] }
        do {
            guard try Outbox.hasDue(session.db, now: Date()) else { return [] }
            return try deliver(session, limit: 100).compactMap { a in
                a.outcome == .retrying || a.outcome == .failed
                    ? "notification #\(a.item.id) to \(a.item.channel) not delivered (\(a.error ?? "failed")); "
                        + (a.outcome == .failed ? "see `owatch notify log --failed`" : "it will be retried") : nil
            }
        } catch {
            return ["notifications not delivered: \((error as? OWError)?.message ?? "\(error)")"]
        }
    }

    static func attempt(_ session: Session, _ item: OutboxItem, owner: String, policy: RetryPolicy) throws -> DeliveryAttempt {
        let db = session.db
        func settle(_ outcome: DeliveryAttempt.Outcome, _ r: SendResult?, next: Date? = nil) throws -> DeliveryAttempt {
            let status: OutboxItem.Status = outcome == .retrying ? .pending : OutboxItem.Status(rawValue: outcome.rawValue)!
            try Outbox.settle(db, item.id, owner: owner, status: status, nextAt: next, error: r?.error, http: r?.http, now: Date())
            return DeliveryAttempt(item: item, outcome: outcome, http: r?.http, error: r?.error)
        }
        guard let channel = try? NotifyChannels.get(db, item.channel) else {
            return try settle(.failed, .failed("channel removed"))
        }
        if try isStale(db, item, today: Date()) { return try settle(.stale, nil) }
        let result = send(NotifyMessage(item, ledgerID: session.ledger.id), to: channel, ledger: session.ledger)
        if result.ok { return try settle(.delivered, result) }
        let now = Date()
        if let next = policy.next(after: Int(item.attempts), from: now) { return try settle(.retrying, result, next: next) }
        return try settle(.failed, result)
    }

    package static func send(_ message: NotifyMessage, to channel: NotifyChannel, ledger: Ledger) -> SendResult {
        if channel.kind == .email {
            let path = (try? Config.get(ledger, "notify.sendmail")) ?? nil
            return Transport.sendmail(path ?? "/usr/sbin/sendmail", message: message.email(to: channel.target))
        }
        let url = channel.kind == .ntfy ? NotifyMessage.ntfyTopic(channel.target).root : channel.target
        let headers = [("Idempotency-Key", message.key), ("X-Owatch-Event", message.item.event)]
        return Transport.post(url: url, headers: headers, body: Array(message.body(channel.kind, url: channel.target).encoded().utf8))
    }

    /// `notify test`: a real message through the channel now, outside the outbox; the result as it is.
    public static func test(_ session: Session, _ name: String) throws -> SendResult {
        let channel = try NotifyChannels.get(session.db, name)
        let now = Time.rfc3339(session.now)
        let payload: JSON = .obj([
            ("title", .string("owatch test: \(channel.name)")),
            ("text", .string("A test notification from owatch (\(session.ledger.org)) sent at \(now) by \(session.actor.name).")),
        ])
        let item = OutboxItem(test: channel.name, payload: payload, now: session.now)
        return send(NotifyMessage(item, ledgerID: session.ledger.id + "-test-" + now), to: channel, ledger: session.ledger)
    }

    /// A renewal or cancel-by reminder whose license has since renewed, moved, ended or been
    /// cancelled is not sent: its date is no longer the license's next one.
    static func isStale(_ db: Database, _ item: OutboxItem, today: Date) throws -> Bool {
        guard item.event == NotifyEvent.renewal.rawValue || item.event == NotifyEvent.cancelBy.rawValue else { return false }
        guard let id = item.payload["license_id"]?.intValue, let l = try? Licenses.get(db, String(id)), l.isActive else { return true }
        let start = Time.startOfDay(today)
        let next = l.nextRenewal(onOrAfter: start)
        guard let current = next ?? l.termEnd(onOrAfter: start), Time.day(current) == item.payload["renews_on"]?.stringValue else {
            return true
        }
        let cancelBy = next.flatMap { l.terms?.cancelBy($0) }.map(Time.day)
        return cancelBy != item.payload["cancel_by"]?.stringValue
    }
}

extension Delivery {
    /// What `owatch doctor` says of notifications, when any channel is set up: the programs
    /// delivery needs, items given up on, and items waiting so long that cron seems not to run.
    package static func doctorChecks(_ session: Session) throws -> [(ok: Bool, detail: String, warnOnly: Bool)] {
        let channels = try NotifyChannels.list(session.db)
        guard !channels.isEmpty else { return [] }
        var out: [(ok: Bool, detail: String, warnOnly: Bool)] = []
        if channels.contains(where: { $0.kind != .email }) {
            let curl = Subprocess.find("curl")
            out.append((curl != nil, curl.map { "webhooks go through \($0)" } ?? "curl is not installed (Debian package curl)", false))
        }
        if channels.contains(where: { $0.kind == .email }) {
            let path = try Config.get(session.ledger, "notify.sendmail") ?? "/usr/sbin/sendmail"
            let ok = FileManager.default.isExecutableFile(atPath: path)
            out.append((ok, ok ? "e-mail goes through \(path)" : "no sendmail at \(path) (config notify.sendmail)", false))
        }
        let failed = try session.db.scalar("SELECT count(*) FROM outbox WHERE status = 'failed'")
        out.append(
            (failed == 0, failed == 0 ? "nothing failed for good" : "\(failed) item(s) failed; see `owatch notify log --failed`", true))
        let day = Time.rfc3339(Duration(count: 1, unit: .day).subtracted(from: session.now))
        let stuck = try session.db.scalar("SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts = 0 AND created_at < ?", day)
        out.append(
            (
                stuck == 0,
                stuck == 0 ? "no item waits untried" : "\(stuck) item(s) untried for over a day: is cron running notify deliver?", true
            ))
        return out
    }
}
