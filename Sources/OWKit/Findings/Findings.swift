import FoundationEssentials
import OWCore
import OWIdentity

/// What a finding is about (the `findings.kind` column; its CHECK holds the same list).
public enum FindingKind: String, Sendable, CaseIterable {
    case unmanaged
    case unknownVendor = "unknown_vendor"
    case priceChange = "price_change"
    case duplicate
    case renewal
    case unusedSeats = "unused_seats"
    case orphanedSeat = "orphaned_seat"
    case inactiveSeat = "inactive_seat"
    case trueUp = "true_up"
    case trial
    /// A charge read from a forward that waits for an admin: a credit note, or an amount over
    /// config scan.forward_review_above. Adopting it records the charge; ignoring it drops it.
    case review
    /// A message a scan died while reading (a crash or a kill): skipped from then on.
    case unreadable

    /// Spend nobody registered or expected: what `scan --fail-on-findings` counts and the dashboard shows as shadow IT.
    public static let shadowIT: Set<FindingKind> = [.unmanaged, .unknownVendor, .priceChange, .duplicate, .review]
}

extension FindingKind: StoredAsText {}

extension Finding: FetchableRow {
    public static let selection = """
        f.id, f.kind, f.status, f.vendor, l.name, f.summary, f.created_at, f.note, f.charge_id, f.currency_assumed, f.currency,
        f.amount_minor, f.monthly_minor
        """

    /// The findings with their license's name: `selectSQL + " WHERE …"`.
    package static let selectSQL = "SELECT \(selection) FROM findings f LEFT JOIN licenses l ON l.id = f.license_id"

    public init(row: Row) throws {
        id = try row.integer(0)
        kind = try row.value(1, as: FindingKind.self)
        status = try row.value(2, as: FindingStatus.self)
        vendor = try row.optionalText(3)
        license = try row.optionalText(4)
        summary = try row.text(5)
        createdAt = try row.text(6)
        note = try row.optionalText(7)
        chargeID = try row.optionalInteger(8)
        currencyAssumed = try row.integer(9) != 0
        // A currency code this owatch does not know leaves the amounts out rather than failing the list.
        let currency = try row.optionalText(10).flatMap { try? Currency.parse($0) }
        let amountMinor = try row.optionalInteger(11)
        let monthlyMinor = try row.optionalInteger(12)
        amount = currency.flatMap { c in amountMinor.map { Money(minor: $0, currency: c) } }
        monthly = currency.flatMap { c in monthlyMinor.map { Money(minor: $0, currency: c) } }
    }
}

/// Where a finding stands (the `findings.status` column).
public enum FindingStatus: String, Sendable, CaseIterable {
    case open
    case adopted
    case ignored
    case resolved
}

/// Something a scan noticed that an admin should look at.
public struct Finding: Sendable {
    public let id: Int64
    public let kind: FindingKind
    public let status: FindingStatus
    public let vendor: String?
    public let license: String?
    public let amount: Money?
    public let monthly: Money?
    public let summary: String
    public let createdAt: String
    public let note: String?
    /// The charge the finding is about (unmanaged: the first one seen), or nil.
    public let chargeID: Int64?
    /// The document named no currency: the amount is in the ledger's currency, assumed.
    public let currencyAssumed: Bool
}

public enum Findings {
    /// What open unmanaged findings cost a month together, per currency (ordered by code):
    /// the shadow-IT run-rate reports and the forecast add.
    public static func unmanagedRunRate(_ db: Database) throws -> [Money] {
        var out: [Money] = []
        try db.forEach(
            """
            SELECT currency, sum(monthly_minor) AS m FROM findings WHERE kind = 'unmanaged' AND status = 'open' AND currency IS NOT NULL
            GROUP BY currency ORDER BY currency
            """
        ) { row in
            if let c = try? Currency.parse(row.text("currency")) { out.append(Money(minor: try row.integer("m"), currency: c)) }
        }
        return out
    }

    public static func list(_ db: Database, includeClosed: Bool, kind: FindingKind?, status: FindingStatus? = nil) throws -> [Finding] {
        try db.fetchAll(
            Finding.self,
            Finding.selectSQL + " WHERE (?1 = 1 OR ?3 IS NOT NULL OR f.status = 'open') AND (?2 IS NULL OR f.kind = ?2)"
                + " AND (?3 IS NULL OR f.status = ?3) ORDER BY f.id", includeClosed, kind, status?.rawValue)
    }

    /// Findings about the inventory whose condition no longer holds are resolved, with the
    /// reason: idle seats now held, a license cancelled or removed, a renewal date passed, a
    /// contract now at the charged price. An unused-seats finding whose count changed is
    /// updated in place, never repeated. Runs in the transaction of every license change and
    /// of every scan, so summary and dashboard never count what is no longer true.
    package static func resolveStale(_ db: Database, now: Date, seatsOf people: Set<Int64>? = nil) throws {
        try SeatFindings.refresh(db, now: now, people: people)
        let today = Time.startOfDay(now)
        let open = try db.query(
            """
            SELECT id, kind, license_id, dedupe_key, amount_minor, monthly_minor, summary FROM findings
            WHERE status = 'open' AND kind IN ('unused_seats', 'renewal', 'price_change', 'trial') ORDER BY id DESC
            """)
        var unusedSeen = Set<Int64>()
        for f in open {
            let id = try f.integer("id")
            let kind = FindingKind(rawValue: try f.text("kind"))
            let license = try f.optionalInteger("license_id").flatMap { try Licenses.find(db, String($0)) }
            var reason: String?
            if kind == .trial {
                // A trial's day passed: it is paid now (or was cancelled), and the scan sees what followed.
                if let day = try f.text("dedupe_key").split(separator: ":").last.flatMap({ Time.parseDay(String($0)) }), day < today {
                    try resolve(db, ids: [id], reason: "the trial ended on \(Time.day(day))", by: "owatch", now: now)
                }
                continue
            }
            if license == nil {
                reason = "the license was removed"
            } else if let l = license, !l.isActive {
                reason = "\(l.name) was cancelled"
            } else if let l = license {
                switch kind {
                case .unusedSeats:
                    let idle = l.freeSeats ?? 0
                    if idle == 0 {
                        reason = "every seat of \(l.name) is held now"
                    } else if !unusedSeen.insert(l.id).inserted {
                        reason = "a newer finding counts \(l.name)'s idle seats"
                    } else {
                        let cost = Money(minor: (l.seatMonthlyExact * idle).rounded, currency: l.currency)
                        let summary = unusedSummary(l, idle: idle, cost: cost)
                        if try summary != f.text("summary") {
                            try db.run(
                                "UPDATE findings SET summary = ?, monthly_minor = ?, currency = ? WHERE id = ?", summary, cost.minor,
                                l.currency.code, id)
                        }
                    }
                case .renewal:
                    if let day = try f.text("dedupe_key").split(separator: ":").last.flatMap({ Time.parseDay(String($0)) }), day < today {
                        reason = "the renewal date \(Time.day(day)) has passed"
                    }
                default:  // price_change
                    if let amount = try f.optionalInteger("amount_minor"), amount == l.cost.minor {
                        reason = "\(l.name)'s contract is now at the charged price"
                    }
                }
            }
            guard let reason else { continue }
            try resolve(db, ids: [id], reason: reason, by: "owatch", now: now)
        }
    }

    /// Marks open findings resolved with the reason. Their key is freed (suffixed with the id),
    /// so the condition is found again if it returns.
    package static func resolve(_ db: Database, ids: [Int64], reason: String, by: String, now: Date) throws {
        for id in ids {
            try db.run(
                """
                UPDATE findings SET status = 'resolved', resolved_at = ?, resolved_by = ?, note = ?, dedupe_key = dedupe_key || '#' || id
                WHERE id = ? AND status = 'open'
                """, Time.rfc3339(now), by, reason, id)
        }
    }

    /// Unmanaged spend of this vendor and currency that is gone altogether: no finding for it.
    package static func resolveUnmanagedIfGone(_ db: Database, vendor: String, currency: String, reason: String, by: String, now: Date)
        throws
    {
        let left = try db.scalar(
            "SELECT count(*) FROM charges WHERE vendor = ? AND currency = ? AND license_id IS NULL AND expected_id IS NULL",
            vendor, currency)
        guard left == 0 else { return }
        let stale = try db.query(
            "SELECT id FROM findings WHERE kind = 'unmanaged' AND status = 'open' AND vendor = ? AND currency = ?", vendor, currency)
        try resolve(db, ids: stale.map { try $0.integer("id") }, reason: reason, by: by, now: now)
    }

    package static func unusedSummary(_ l: License, idle: Int64, cost: Money) -> String {
        "\(l.name) pays for \(idle) idle seat(s), \(cost.display) a month"
    }

    package static func get(_ db: Database, _ id: Int64) throws -> Finding {
        guard let finding = try db.fetchOne(Finding.self, Finding.selectSQL + " WHERE f.id = ?", id) else {
            throw OWError.notFound("finding #\(id)", hint: "see `owatch scan findings`")
        }
        return finding
    }

    /// Records a finding unless one with the same key exists. Returns its id when new. With
    /// `refresh`, an open finding of that key takes the newer charge and summary instead.
    package static func record(
        _ db: Database, kind: FindingKind, key: String, vendor: Vendor?, vendorName: String? = nil, licenseID: Int64?, chargeID: Int64?,
        amount: Money?, monthly: Money?, summary: String, now: Date, refresh: Bool = false, currencyAssumed: Bool = false
    ) throws -> Int64? {
        try db.run(
            """
            INSERT OR IGNORE INTO findings(kind, dedupe_key, vendor_id, vendor, license_id, charge_id, amount_minor, monthly_minor, currency, summary,
                                           currency_assumed, created_at)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
            """, kind, key, vendor?.id, vendor?.name ?? vendorName, licenseID, chargeID, amount?.minor, monthly?.minor,
            (amount ?? monthly)?.currency.code, summary,
            currencyAssumed, Time.rfc3339(now))
        if db.changes == 1 {
            let id = db.lastInsertRowID
            try Outbox.emit(db, now: now, event: .finding, subject: "finding:\(id)", day: Time.day(now), payload: try get(db, id).event)
            return id
        }
        if refresh {
            try db.run(
                """
                UPDATE findings SET charge_id = ?1, summary = ?2, currency_assumed = ?4
                WHERE dedupe_key = ?3 AND status = 'open' AND (charge_id IS NOT ?1 OR summary != ?2 OR currency_assumed != ?4)
                """, chargeID, summary, key, currencyAssumed)
        }
        return nil
    }

    /// Several findings closed in one transaction: all of them, or (on any refusal) none.
    public static func ignore(_ session: Session, _ ids: [Int64], why: String) throws -> [Finding] {
        try session.write { try ids.map { try ignore(session, $0, why: why) } }
    }

    public static func ignore(_ session: Session, _ id: Int64, why: String) throws -> Finding {
        let why = why.trimmed(.whitespacesAndNewlines)
        guard !why.isEmpty else { throw OWError.usage("say why: -m WHY") }
        return try session.write {
            let f = try get(session.db, id)
            guard f.status == .open else { throw OWError.refused("finding #\(id) is already \(f.status.rawValue)") }
            try session.db.run(
                "UPDATE findings SET status = 'ignored', resolved_at = ?, resolved_by = ?, note = ? WHERE id = ?",
                Time.rfc3339(session.now), session.actor.name, why, id)
            try session.audit("finding.ignore", "finding:\(id)", .obj([("why", .string(why))]))
            return try get(session.db, id)
        }
    }
}
