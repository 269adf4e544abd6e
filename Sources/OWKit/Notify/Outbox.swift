import FoundationEssentials
import OWCore
import OWIdentity

/// One notification for one channel, as the outbox keeps it.
public struct OutboxItem: Sendable, FetchableRow {
    public enum Status: String, Sendable { case pending, delivering, delivered, failed, stale }

    public let id: Int64
    public let event: String
    public let subject: String
    public let day: String
    public let lead: String
    public let channel: String
    public let payload: JSON
    public let status: Status
    public let attempts: Int64
    public let nextAt: String
    public let lastError: String?
    public let httpStatus: Int64?
    public let createdAt: String
    public let deliveredAt: String?

    public static let selection =
        "id, event, subject, day, lead, channel, payload, status, attempts, next_at, last_error, http_status, created_at, delivered_at"

    public init(row: Row) throws {
        id = try row.integer(0)
        event = try row.text(1)
        subject = try row.text(2)
        day = try row.text(3)
        lead = try row.text(4)
        channel = try row.text(5)
        payload = (try? JSON.parse(try row.text(6))) ?? .object([])
        status = try row.value(7, as: Status.self)
        attempts = try row.integer(8)
        nextAt = try row.text(9)
        lastError = try row.optionalText(10)
        httpStatus = try row.optionalInteger(11)
        createdAt = try row.text(12)
        deliveredAt = try row.optionalText(13)
    }

    /// A message `notify test` sends through a channel now, outside the outbox.
    package init(test channel: String, payload: JSON, now: Date) {
        id = 0
        event = "test"
        subject = "channel:\(channel)"
        day = Time.day(now)
        lead = ""
        self.channel = channel
        self.payload = payload
        status = .pending
        attempts = 1
        nextAt = Time.rfc3339(now)
        lastError = nil
        httpStatus = nil
        createdAt = Time.rfc3339(now)
        deliveredAt = nil
    }

    /// The key that makes it unique, as people read it.
    public var key: String { [event, subject, day, lead, channel].filter { !$0.isEmpty }.joined(separator: " ") }
}

/// The outbox (issue 34): events are queued in the transaction of their cause, one row per
/// (event, subject, day, lead, channel), and leave it only through `Delivery`.
public enum Outbox {
    static let select = "SELECT \(OutboxItem.selection) FROM outbox"

    /// Queues `event` for every channel that wants it; a key already queued is left alone
    /// (a second run seeing the same day adds nothing). Call inside the cause's write.
    @discardableResult
    public static func emit(
        _ db: Database, now: Date, event: NotifyEvent, subject: String, day: String, lead: String = "",
        payload: @autoclosure () throws -> JSON
    ) throws -> Int {
        let channels = try db.query("SELECT name, events FROM notify_channels").filter { row in
            try row.text(1).split(separator: ",").contains { $0 == event.rawValue }
        }
        guard !channels.isEmpty else { return 0 }  // no channel wants it: the payload is not even built
        let payload = try payload()
        var added = 0
        for row in channels {
            try db.run(
                """
                INSERT INTO outbox(event, subject, day, lead, channel, payload, next_at, created_at) VALUES (?,?,?,?,?,?,?,?)
                ON CONFLICT(event, subject, day, lead, channel) DO NOTHING
                """, event.rawValue, subject, day, lead, try row.text(0), payload.encoded(), Time.rfc3339(now), Time.rfc3339(now))
            added += db.changes
        }
        return added
    }

    /// Items to show in `notify log`: newest first, or only those that failed for good.
    public static func log(_ db: Database, failed: Bool, limit: Int = 500) throws -> [OutboxItem] {
        try db.fetchAll(
            OutboxItem.self, select + (failed ? " WHERE status = 'failed'" : "") + " ORDER BY id DESC LIMIT ?", Int64(limit))
    }

    public static func get(_ db: Database, _ id: Int64) throws -> OutboxItem {
        guard let item = try db.fetchOne(OutboxItem.self, select + " WHERE id = ?", id) else {
            throw OWError.notFound("outbox item #\(id)", hint: "see `owatch notify log`")
        }
        return item
    }

    /// Puts a failed item back in the queue with fresh tries. A delivered one is never sent again.
    public static func retry(_ session: Session, _ id: Int64) throws -> OutboxItem {
        try session.write {
            let item = try get(session.db, id)
            guard item.status == .failed else {
                throw OWError.refused(
                    "outbox item #\(id) is \(item.status.rawValue); only a failed item is retried",
                    hint: item.status == .delivered ? "a delivered key is never sent twice" : nil)
            }
            guard try session.db.one("SELECT 1 FROM notify_channels WHERE name = ?", item.channel) != nil else {
                throw OWError.refused("channel \(item.channel) was removed; add it again before retrying")
            }
            try session.db.run(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_at = ?, last_error = NULL WHERE id = ? AND status = 'failed'",
                Time.rfc3339(session.now), id)
            try session.audit("notify.retry", "outbox:\(id)", .obj([("key", .string(item.key))]))
            return try get(session.db, id)
        }
    }

    /// Whether anything is due: the one cheap read a write command makes before delivering.
    static func hasDue(_ db: Database, now: Date) throws -> Bool {
        let t = Time.rfc3339(now)
        return try db.one(
            """
            SELECT 1 FROM outbox WHERE (status = 'pending' AND next_at <= ?1) OR (status = 'delivering' AND lease_until <= ?1) LIMIT 1
            """, t) != nil
    }

    /// Claims up to `limit` due items for `owner` in one transaction (a lease until `until`): a
    /// second run claims none of them, and a run killed mid-delivery gives them up when the lease ends.
    static func claim(_ db: Database, owner: String, now: Date, until: Date, limit: Int) throws -> [OutboxItem] {
        try db.write {
            let t = Time.rfc3339(now)
            try db.run(
                """
                UPDATE outbox SET status = 'delivering', lease_owner = ?1, lease_until = ?2, attempts = attempts + 1
                WHERE id IN (SELECT id FROM outbox WHERE (status = 'pending' AND next_at <= ?3) OR (status = 'delivering' AND lease_until <= ?3)
                             ORDER BY id LIMIT ?4)
                """, owner, Time.rfc3339(until), t, Int64(limit))
            return try db.fetchAll(OutboxItem.self, select + " WHERE status = 'delivering' AND lease_owner = ? ORDER BY id", owner)
        }
    }

    /// Records what became of a claimed item, only while this run still holds its lease.
    static func settle(
        _ db: Database, _ id: Int64, owner: String, status: OutboxItem.Status, nextAt: Date?, error: String?, http: Int?, now: Date
    )
        throws
    {
        try db.write {
            try db.run(
                """
                UPDATE outbox SET status = ?, next_at = COALESCE(?, next_at), last_error = ?, http_status = ?,
                    delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END, lease_owner = NULL, lease_until = NULL
                WHERE id = ? AND lease_owner = ? AND status = 'delivering'
                """, status.rawValue, nextAt.map(Time.rfc3339), error, http.map(Int64.init), status.rawValue, Time.rfc3339(now), id, owner)
        }
    }
}
