import FoundationEssentials
import OWCore

/// One audit event (SPEC §6).
public struct AuditEvent: Sendable {
    public let seq: Int64
    public let time: String
    public let actor: String
    public let role: String
    public let action: String
    public let object: String
    public let details: String  // canonical JSON text
    public let prevHash: String
    public let hash: String
    /// The state digest after the event (StateDigest); nil for events older than the digest.
    public let state: String?

    /// The hash covers the previous hash and every field of the row, canonically encoded,
    /// so editing, deleting or reordering any event breaks the chain from that seq on.
    /// The state digest, when there is one, is covered too (events from before it hash as they did).
    package static func hash(
        prev: String, seq: Int64, time: String, actor: String, role: String,
        action: String, object: String, details: String, state: String?
    ) -> String {
        var fields: [JSON] = [.int(seq), .string(time), .string(actor), .string(role), .string(action), .string(object), .string(details)]
        if let state { fields.append(.string(state)) }
        return Crypto.sha256Hex(prev + "\n" + JSON.array(fields).encoded())
    }

    var expectedHash: String {
        AuditEvent.hash(
            prev: prevHash, seq: seq, time: time, actor: actor, role: role, action: action, object: object, details: details,
            state: state)
    }

}

extension AuditEvent: FetchableRow {
    public static let selection = "seq, time, actor, role, action, object, details, prev_hash, hash, state"

    /// Read leniently, unlike other rows: a value tampered into another type must reach `verify`,
    /// which reports the event as altered, instead of stopping the read.
    public init(row: Row) {
        seq = row.lenientInteger(0)
        time = row.lenientText(1)
        actor = row.lenientText(2)
        role = row.lenientText(3)
        action = row.lenientText(4)
        object = row.lenientText(5)
        details = row.lenientText(6)
        prevHash = row.lenientText(7)
        hash = row.lenientText(8)
        state = row.lenientOptionalText(9)
    }
}

/// The append-only, hash-chained audit log, written in the same transaction as the change it records.
public enum AuditLog {
    static let genesis = String(repeating: "0", count: 64)

    /// Appends an event. Must be called inside `Database.write`.
    public static func append(
        _ db: Database, actor: Actor, action: String, object: String,
        details: JSON = .object([]), now: Date = Date(), recomputedState: Bool = false
    ) throws {
        precondition(db.isInTransaction, "audit events are written in the transaction of their change")
        let tracker = db.observer as? StateDigest
        // The head of the chain: as this transaction last wrote it (a sync writes hundreds of
        // events), else from the table.
        let head: StateDigest.Head
        if let known = tracker?.head {
            head = known
        } else if let last = try db.one("SELECT seq, hash, state FROM events ORDER BY seq DESC LIMIT 1") {
            head = StateDigest.Head(
                seq: last.lenientInteger(0), hash: last.lenientText(1),
                state: last.lenientOptionalText(2).flatMap(StateDigest.Digest.init(hex:)))
        } else {
            head = StateDigest.Head(seq: 0, hash: genesis, state: nil)
        }
        let seq = head.seq + 1
        let time = Time.rfc3339(now)
        let detailText = details.encoded(sortedKeys: true)
        // The state after this event: the previous one with this transaction's rows folded in,
        // or (after events that had none, or a migration) computed from the tables once.
        var state: StateDigest.Digest? = nil
        if let tracker, tracker.tracksRows {
            let delta = try tracker.takeDelta()
            if !recomputedState, var previous = head.state {
                previous.toggle(delta)
                state = previous
            } else {
                state = try StateDigest.recompute(db)
            }
        } else if recomputedState || db.isPostgres {
            // A PostgreSQL session without the per-row triggers (a role that may not create them):
            // every event computes the state from the tables, the same value more slowly.
            state = try StateDigest.recompute(db)
        }
        let stateText = state?.hex
        let hash = AuditEvent.hash(
            prev: head.hash, seq: seq, time: time, actor: actor.name, role: actor.role.rawValue,
            action: action, object: object, details: detailText, state: stateText)
        try db.run(
            "INSERT INTO events(seq, time, actor, role, action, object, details, prev_hash, hash, state) VALUES (?,?,?,?,?,?,?,?,?,?)",
            seq, time, actor.name, actor.role.rawValue, action, object, detailText, head.hash, hash, stateText)
        tracker?.head = StateDigest.Head(seq: seq, hash: hash, state: state)
    }

    /// After a migration that changes audited tables' shape (a new column changes every row's
    /// digest), an event records the new state, so `audit verify --state` checks from there, and
    /// says whether the tables still matched the chain just before (a direct edit is not hidden).
    package static func rebase(_ db: Database, from: Int, to: Int, heldBefore: Bool, now: Date) throws {
        try append(
            db, actor: Actor(name: "owatch", role: .admin), action: "ledger.migrate", object: "schema",
            details: .obj([
                ("from", .int(Int64(from))), ("to", .int(Int64(to))),
                ("state_before", .string(heldBefore ? "matched the audit chain" : "differed from the audit chain")),
            ]),
            now: now, recomputedState: true)
    }

    /// Whether the tables match the last event's recorded state (nil: no event records one).
    package static func stateHolds(_ db: Database) throws -> Bool? {
        guard try db.scalar("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'state'") > 0,
            let last = try db.one("SELECT seq, state FROM events WHERE state IS NOT NULL ORDER BY seq DESC LIMIT 1")
        else { return nil }
        let head = try db.scalar("SELECT coalesce(max(seq), 0) FROM events")
        guard last.lenientInteger("seq") == head else { return false }
        return try StateDigest.recompute(db).hex == last.lenientText("state")
    }

    /// Whether this transaction changed audited rows that no event has recorded yet.
    package static func hasUnrecordedChanges(_ db: Database) -> Bool {
        if let tracker = db.observer as? StateDigest, tracker.tracksRows { return tracker.hasPendingRows }
        // PostgreSQL without per-row triggers: whether the tables moved from the head's state.
        if db.isPostgres { return (try? stateMovedFromHead(db)) ?? true }
        return false
    }

    private static func stateMovedFromHead(_ db: Database) throws -> Bool {
        let recorded = try db.one("SELECT state FROM events ORDER BY seq DESC LIMIT 1")?.lenientOptionalText(0)
        return try StateDigest.recompute(db).hex != recorded
    }

    /// Whether the audited tables are what the last event says they are: a direct edit made
    /// without owatch is found here. Nil when they are (or when no event records a state yet).
    public static func verifyState(_ ledger: Ledger) throws -> (seq: Int64, problem: String?)? {
        try ledger.db.read {
            guard let last = try ledger.db.one("SELECT seq, state FROM events WHERE state IS NOT NULL ORDER BY seq DESC LIMIT 1") else {
                return nil
            }
            let seq = last.lenientInteger("seq")
            let head = try ledger.db.scalar("SELECT coalesce(max(seq), 0) FROM events")
            guard seq == head else {
                return (seq, "events after \(seq) record no state: written by an older owatch or by hand")
            }
            let actual = try StateDigest.recompute(ledger.db)
            guard actual.hex == last.lenientText("state") else {
                return (seq, "the audited tables differ from what event \(seq) recorded: they were edited without owatch")
            }
            return (seq, nil)
        }
    }

    public static func events(_ db: Database, limit: Int? = nil, action: String? = nil, actor: String? = nil) throws -> [AuditEvent] {
        var sql =
            "SELECT \(AuditEvent.selection) FROM events WHERE (?1 IS NULL OR action = ?1 OR action LIKE ?1 || '.%') AND (?2 IS NULL OR actor = ?2 COLLATE NOCASE) ORDER BY seq DESC"
        if limit != nil { sql += " LIMIT ?3" }
        var args: [any SQLiteValue] = [action, actor]
        if let limit { args.append(limit) }
        var events: [AuditEvent] = []
        try db.forEach(sql, arguments: args) { events.append(AuditEvent(row: $0)) }
        return events.reversed()
    }

    /// The message a seal signs: the ledger, the position and the head hash.
    static func sealMessage(ledgerID: String, seq: Int64, hash: String) -> [UInt8] {
        Array("owatch-seal:v1:\(ledgerID):\(seq):\(hash)".utf8)
    }

    /// Signs the current head of the chain with the issuer key.
    public static func seal(_ ledger: Ledger, key: SigningKey, actor: Actor, now: Date = Date()) throws -> (seq: Int64, hash: String) {
        try ledger.db.write {
            guard let head = try ledger.db.one("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1") else {
                throw OWError.refused("the audit log is empty; nothing to seal")
            }
            let seq = head.lenientInteger("seq")
            let hash = head.lenientText("hash")
            let signature = key.sign(sealMessage(ledgerID: ledger.id, seq: seq, hash: hash))
            try ledger.db.run(
                "INSERT INTO seals(seq, head_hash, time, kid, signature) VALUES (?,?,?,?,?)",
                seq, hash, Time.rfc3339(now), key.publicKey.keyID, signature)
            // The seal itself is an event, so the next seal covers it.
            try append(
                ledger.db, actor: actor, action: "audit.seal", object: "seq:\(seq)",
                details: .obj([("seq", .int(seq)), ("hash", .string(hash))]), now: now)
            return (seq, hash)
        }
    }

    public struct Verification: Sendable {
        public let events: Int
        public let seals: Int
        public let head: String?
        public let firstBadSeq: Int64?
        public let problem: String?
        public var ok: Bool { problem == nil }
    }

    /// Recomputes the whole chain and checks every seal. Streams the events, so memory stays flat.
    public static func verify(_ ledger: Ledger) throws -> Verification {
        try ledger.db.read {
            var expectedSeq: Int64 = 1
            var prev = genesis
            var count = 0
            var bad: (Int64, String)?
            var hashes: [Int64: String] = [:]  // only the sealed positions are kept
            let sealed = try ledger.db.query("SELECT seq, head_hash, kid, signature FROM seals ORDER BY id")
            let sealedSeqs = Set(sealed.map { $0.lenientInteger("seq") })
            try ledger.db.forEach("SELECT \(AuditEvent.selection) FROM events ORDER BY seq") { row in
                guard bad == nil else { return }
                let e = AuditEvent(row: row)
                count += 1
                if e.seq != expectedSeq {
                    bad = (
                        min(e.seq, expectedSeq), e.seq > expectedSeq ? "event \(expectedSeq) is missing" : "event \(e.seq) is out of order"
                    )
                } else if e.prevHash != prev {
                    bad = (e.seq, "event \(e.seq) does not follow event \(e.seq - 1) (prev_hash differs)")
                } else if e.hash != e.expectedHash {
                    bad = (e.seq, "event \(e.seq) was altered (hash differs)")
                }
                if sealedSeqs.contains(e.seq) { hashes[e.seq] = e.hash }
                prev = e.hash
                expectedSeq += 1
            }
            if let bad {
                return Verification(events: count, seals: sealed.count, head: nil, firstBadSeq: bad.0, problem: bad.1)
            }
            let keys = Dictionary(
                uniqueKeysWithValues: try ledger.db.query("SELECT kid, public_key FROM issuers").map {
                    ($0.lenientText("kid"), $0.lenientBytes("public_key"))
                })
            for s in sealed {
                let seq = s.lenientInteger("seq")
                let hash = s.lenientText("head_hash")
                guard let actual = hashes[seq] else {
                    return Verification(
                        events: count, seals: sealed.count, head: nil, firstBadSeq: seq,
                        problem: "the log ends at event \(count) but a seal covers event \(seq): the log was truncated")
                }
                guard actual == hash else {
                    return Verification(
                        events: count, seals: sealed.count, head: nil, firstBadSeq: seq,
                        problem: "seal of event \(seq) does not match the event")
                }
                guard let raw = keys[s.lenientText("kid")], let key = try? PublicKey(raw: raw),
                    key.verify(signature: s.lenientBytes("signature"), message: sealMessage(ledgerID: ledger.id, seq: seq, hash: hash))
                else {
                    return Verification(
                        events: count, seals: sealed.count, head: nil, firstBadSeq: seq,
                        problem: "the seal of event \(seq) has a bad signature")
                }
            }
            return Verification(events: count, seals: sealed.count, head: count > 0 ? prev : nil, firstBadSeq: nil, problem: nil)
        }
    }
}
