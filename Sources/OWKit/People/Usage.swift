import FoundationEssentials
import OWCore
import OWIdentity

/// The usage exports `usage import` reads, recognised by their header row.
public enum UsageFormat: String, CaseIterable, Sendable {
    case generic, google, slack, github, zoom, atlassian, m365

    /// What each format's header must hold, for the error that lists them.
    package static let expected = [
        "generic: email,last_active",
        "google: Email Address [Required], Last Sign In [READ ONLY]",
        "slack: Email (or Email address), Last active (UTC); or the analytics API's email_address, date_last_active (Unix time)",
        "github: login (or email), last_activity_at — the Copilot activity report CSV, or the JSON of GET /orgs/ORG/copilot/billing/seats",
        "zoom: Email, Last Login Time",
        "atlassian: email, Last seen in … (one column per product) or last_login / last_seen",
        "m365: User Principal Name, Last Activity Date (or one … Last Activity Date per app)",
    ]
}

/// One seat holder's (or export row's) last use of a license's software.
public struct UsageRecord: Sendable {
    public let license: String
    public let user: String
    public let lastActive: String?
    public let source: String
    public let importedAt: String
}

/// `owatch usage`: when each seat holder last used the software, from the vendors' exports.
public enum Usage {
    /// One seat holder's last activity as an export line states it.
    package struct Activity {
        package let line: Int
        package let identity: String
        package let lastActive: String?
    }

    public struct Outcome: Sendable {
        public var format: UsageFormat = .generic
        public var rows = 0
        public var recorded = 0
        /// In the export but holding no seat of the license.
        public var notHolders: [String] = []
        /// Holding a seat but not in the export.
        public var missing: [String] = []
        /// People active within the threshold, and seats paid for (nil: unlimited).
        public var active = 0
        public var seats: Int64?
    }

    package static func read(_ text: String, format forced: UsageFormat?) throws -> (UsageFormat, [Activity]) {
        let body = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        if body.first == "{" || body.first == "[" { return (.github, try githubJSON(String(body))) }
        let records = try CSV.parse(text, delimiter: CSV.detectDelimiter(text))
        guard let header = records.first else { throw OWError.badData("the export is empty") }
        let names = header.fields.map { CSV.trim($0).lowercased() }
        func col(_ candidates: String...) -> Int? { candidates.lazy.compactMap { names.firstIndex(of: $0) }.first }
        let lastActivity = names.indices.filter { names[$0].hasSuffix("last activity date") }
        let lastSeen = names.indices.filter {
            names[$0].hasPrefix("last seen") || ["last_seen", "last_login", "last_session", "last active"].contains(names[$0])
        }
        var format = forced
        if format == nil {
            if col("email address [required]") != nil, col("last sign in [read only]") != nil {
                format = .google
            } else if col("last active (utc)") != nil || col("date_last_active") != nil {
                format = .slack
            } else if col("last_activity_at") != nil {
                format = .github
            } else if col("last login time") != nil {
                format = .zoom
            } else if col("user principal name") != nil, !lastActivity.isEmpty {
                format = .m365
            } else if col("email") != nil, col("last_active") != nil {
                format = .generic
            } else if col("email") != nil, !lastSeen.isEmpty {
                format = .atlassian
            }
        }
        guard let format else {
            var e = OWError.badData(
                "the export's header is not one I know: \(names.prefix(6).joined(separator: ", "))",
                hint: "or say which with --from " + UsageFormat.allCases.map(\.rawValue).joined(separator: "|"))
            e.details = ["expected one of:"] + UsageFormat.expected.map { "  " + $0 }
            throw e
        }
        let identity: Int?
        let dates: [Int]
        switch format {
        case .generic:
            identity = col("email")
            dates = [col("last_active")].compactMap { $0 }
        case .google:
            identity = col("email address [required]")
            dates = [col("last sign in [read only]")].compactMap { $0 }
        case .slack:
            identity = col("email", "email address", "email_address")
            dates = [col("last active (utc)", "date_last_active")].compactMap { $0 }
        case .github:
            identity = col("email", "login", "assignee_login", "assignee.login")
            dates = [col("last_activity_at")].compactMap { $0 }
        case .zoom:
            identity = col("email")
            dates = [col("last login time")].compactMap { $0 }
        case .atlassian:
            identity = col("email", "email address")
            dates = lastSeen
        case .m365:
            identity = col("user principal name")
            dates = lastActivity
        }
        guard let identity, !dates.isEmpty else {
            var e = OWError.badData("the \(format.rawValue) export lacks the columns it needs")
            e.details = UsageFormat.expected.filter { $0.hasPrefix(format.rawValue + ":") }
            throw e
        }
        let rows = try activity(records.dropFirst(), identity: identity, dates: dates)
        return (format, rows)
    }

    /// The export's rows: who, and the latest of their activity dates; any bad row refuses them all.
    static func activity(_ records: ArraySlice<CSV.Line>, identity: Int, dates: [Int]) throws -> [Activity] {
        var rows: [Activity] = []
        var problems: [String] = []
        for r in records {
            func field(_ i: Int) -> String { i < r.fields.count ? CSV.trim(r.fields[i]) : "" }
            let who = field(identity).lowercased()
            guard !who.isEmpty else {
                problems.append("line \(r.line): no e-mail or login")
                continue
            }
            var latest: String?
            var bad: String?
            for i in dates {
                switch UsageDates.parse(field(i)) {
                case .never: break
                case .day(let d): latest = max(latest ?? d, d)
                case .bad: bad = field(i)
                }
            }
            if let bad {
                problems.append("line \(r.line): '\(bad.prefix(40))' is not a date")
                continue
            }
            rows.append(Activity(line: r.line, identity: who, lastActive: latest))
        }
        if !problems.isEmpty {
            var e = OWError.badData("\(problems.count) bad row(s) in the export; nothing was recorded")
            e.details = Array(problems.prefix(50))
            throw e
        }
        return rows
    }

    /// GitHub's Copilot seats JSON (`{"seats": [{"assignee": {"login": …}, "last_activity_at": …}]}`) or a bare array of them.
    static func githubJSON(_ text: String) throws -> [Activity] {
        let root = try JSON.parse(text)
        let seats: [JSON]
        if case .array(let a) = root {
            seats = a
        } else if case .array(let a)? = root["seats"] {
            seats = a
        } else {
            throw OWError.badData("the JSON has no seats list (GitHub's GET /orgs/ORG/copilot/billing/seats)")
        }
        let lines = JSONLines.positions(of: seats.count, in: text)
        return try seats.enumerated().map { i, s in
            guard let who = (s["assignee"]?["email"]?.stringValue ?? s["assignee"]?["login"]?.stringValue)?.lowercased() else {
                throw OWError.badData("seat \(i + 1) (line \(lines[i])) has no assignee login")
            }
            let text = s["last_activity_at"]?.stringValue ?? ""
            guard UsageDates.parse(text) != .bad else {
                throw OWError.badData("seat \(i + 1) (line \(lines[i])): '\(text.prefix(40))' is not a date")
            }
            return Activity(line: lines[i], identity: who, lastActive: UsageDates.day(text))
        }
    }

    /// Records the export's dates for the license's seat holders (matched by e-mail, by user
    /// name, or by an e-mail's local part for logins), in one transaction; refreshes the seat findings.
    public static func importText(_ session: Session, license key: String, text: String, format: UsageFormat?) throws -> Outcome {
        let (format, rows) = try read(text, format: format)
        return try session.write {
            let db = session.db
            let l = try Licenses.get(db, key)
            let holders = try db.query(
                "SELECT u.id, u.name, u.email FROM seats s JOIN users u ON u.id = s.user_id WHERE s.license_id = ?", l.id)
            var byKey: [String: (Int64, String)] = [:]
            for h in holders {
                let entry = (try h.integer("id"), try h.text("name"))
                byKey[try h.text("name").lowercased()] = entry
                if let e = try h.optionalText("email")?.lowercased() {
                    byKey[e] = entry
                    if let local = e.split(separator: "@").first { byKey[String(local)] = byKey[String(local)] ?? entry }
                }
            }
            var out = Outcome(format: format, rows: rows.count, seats: l.seats)
            var seen = Set<Int64>()
            let threshold = try inactiveAfter(db)
            let cutoff = Time.day(Duration(count: -threshold.count, unit: threshold.unit).added(to: Time.startOfDay(session.now)))
            for r in rows {
                if let d = r.lastActive, d >= cutoff { out.active += 1 }
                let local = r.identity.split(separator: "@").first.map(String.init) ?? r.identity
                guard let (uid, _) = byKey[r.identity] ?? byKey[local] else {
                    out.notHolders.append(r.identity)
                    continue
                }
                guard seen.insert(uid).inserted else { continue }
                try db.run(
                    """
                    INSERT INTO usage(license_id, user_id, last_active, source, imported_at) VALUES (?,?,?,?,?)
                    ON CONFLICT(license_id, user_id) DO UPDATE SET last_active = excluded.last_active, source = excluded.source,
                        imported_at = excluded.imported_at
                    """, l.id, uid, r.lastActive, format.rawValue, Time.rfc3339(session.now))
                out.recorded += 1
            }
            out.missing = try holders.filter { !seen.contains(try $0.integer("id")) }.map { try $0.text("name") }.sorted()
            // More people using it than it pays for: a true-up is coming. An earlier count gives way to this one.
            let earlier = try db.query(
                "SELECT id FROM findings WHERE status = 'open' AND kind = 'true_up' AND license_id = ? AND dedupe_key != ?",
                l.id, "trueup:\(l.id):\(out.active)")
            try Findings.resolve(
                db, ids: earlier.map { try $0.integer("id") }, reason: "a newer usage import counts \(out.active) active people",
                by: "owatch",
                now: session.now)
            if let seats = l.seats, Int64(out.active) > seats {
                let extra = Int64(out.active) - seats
                let monthly = Money(minor: (l.seatMonthlyExact * extra).rounded, currency: l.currency)
                _ = try Findings.record(
                    db, kind: .trueUp, key: "trueup:\(l.id):\(out.active)", vendor: nil, licenseID: l.id, chargeID: nil, amount: nil,
                    monthly: monthly,
                    summary: "\(l.name): \(out.active) people used it in the last \(threshold) but it pays for \(seats) seat(s); "
                        + "\(extra) more would cost about \(monthly.display) a month", now: session.now)
            }
            try SeatFindings.refresh(session)  // first, so the event's state digest covers it
            try session.audit(
                "usage.import", "license:\(l.name)",
                .obj([
                    ("format", .string(format.rawValue)), ("rows", .int(Int64(rows.count))),
                    ("recorded", .int(Int64(out.recorded))), ("active", .int(Int64(out.active))),
                ]))
            return out
        }
    }

    /// Usage records; an employee sees only their own.
    public static func list(_ session: Session, license: String?) throws -> [UsageRecord] {
        let db = session.db
        let lid = try license.map { try Licenses.get(db, $0).id }
        let own: String? = session.actor.role == .admin ? nil : session.actor.name
        return try db.query(
            """
            SELECT l.name AS license, u.name AS user, g.last_active, g.source, g.imported_at FROM usage g
            JOIN licenses l ON l.id = g.license_id JOIN users u ON u.id = g.user_id
            WHERE (?1 IS NULL OR g.license_id = ?1) AND (?2 IS NULL OR u.name = ?2 COLLATE NOCASE)
            ORDER BY l.name, u.name
            """, lid, own
        ).map {
            UsageRecord(
                license: try $0.text("license"), user: try $0.text("user"), lastActive: try $0.optionalText("last_active"),
                source: try $0.text("source"), importedAt: try $0.text("imported_at"))
        }
    }

    /// `usage.inactive`: how long unused before a seat counts as inactive (default 60d).
    static func inactiveAfter(_ db: Database) throws -> Duration {
        let text = try db.one("SELECT value FROM config WHERE key = 'usage.inactive'")?.text("value") ?? "60d"
        return Duration.parse(text) ?? Duration(count: 60, unit: .day)
    }
}

/// One seat that could be given back: held by someone gone (orphaned), unused beyond the
/// threshold (inactive), or never assigned (idle; `seats` of them per license).
public struct ReclaimRow: Sendable {
    public enum Reason: String, Sendable { case orphaned, inactive, idle }
    public let license: License
    public let reason: Reason
    public let user: String?
    public let seats: Int64
    public let lastActive: String?
    public let why: String
    /// The dedupe key of the finding that names a held seat (nil for idle seats), as the held-seat query writes it.
    let findingKey: String?
    public var monthly: Money { Money(minor: (license.seatMonthlyExact * seats).rounded, currency: license.currency) }
    public var yearly: Money { Money(minor: (license.seatMonthlyExact * seats * 12).rounded, currency: license.currency) }
}

/// Seats to reclaim, and the findings that name them.
public enum SeatFindings {
    /// A held seat to reclaim, as one SQL query finds it: the report, `license reclaim` and the
    /// findings all read this, so they agree on what is reclaimable.
    private struct HeldSeat {
        package let license: Int64
        package let user: String
        /// Why an orphaned seat is one; nil for an inactive seat, which says it from its last use.
        let orphanedBy: String?
        package let lastActive: String?
        /// The finding's dedupe key: `orphaned:LICENSE:USER` or `inactive:LICENSE:USER`.
        package let key: String
        package var reason: ReclaimRow.Reason { orphanedBy == nil ? .inactive : .orphaned }

        /// By position, as `query` selects them.
        package init(row: Row) throws {
            license = try row.integer(0)
            user = try row.text(1)
            orphanedBy = try row.optionalText(2)
            lastActive = try row.optionalText(3)
            key = try row.text(4)
        }

        /// Worked out only for the rows shown or recorded, not for every seat a refresh compares.
        package func why(threshold: Duration) -> String {
            orphanedBy ?? lastActive.map { "last used \($0), more than \(threshold) ago" } ?? "never used"
        }

        /// Held seats of active, not unlimited licenses whose holder is gone or suspended
        /// (orphaned), or who has not used it since the day ?2 (inactive) — judged only for a
        /// seat held since that day at least (a new hire's seat is not unused yet) and on usage
        /// imported since then (older data says nothing of the threshold's days): of one license (?1;
        /// NULL: all), or of some people (?1 a JSON array of user ids). Of an office's 20,000
        /// seats most are neither, so SQL picks them; license by license (CROSS JOIN fixes the
        /// order), so each license's conditions are checked once, not once per seat.
        /// Columns: license_id, user, orphaned_by, last_active, key.
        package static func query(ofPeople: Bool) -> String {
            let from =
                ofPeople
                ? "json_each(?1) j CROSS JOIN users u ON u.id = j.value CROSS JOIN seats s ON s.user_id = u.id CROSS JOIN licenses l ON l.id = s.license_id"
                : "licenses l CROSS JOIN seats s ON s.license_id = l.id JOIN users u ON u.id = s.user_id"
            return """
                SELECT license_id, user, orphaned_by, last_active,
                       iif(orphaned_by IS NULL, 'inactive', 'orphaned') || ':' || license_id || ':' || user AS key
                FROM (
                    SELECT s.license_id, u.name AS user, g.last_active,
                           CASE WHEN u.status = 'offboarded' THEN 'offboarded'
                                WHEN u.directory_status = 'missing' THEN 'not in the directory'
                                WHEN u.directory_status = 'suspended' THEN 'suspended in the directory' END AS orphaned_by
                    FROM \(from)
                    LEFT JOIN usage g ON g.license_id = s.license_id AND g.user_id = s.user_id
                    WHERE \(ofPeople ? "1" : "(?1 IS NULL OR l.id = ?1)") AND l.status = 'active'
                      AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.license_id = l.id AND p.seats IS NULL)
                      AND (u.status = 'offboarded' OR u.directory_status IN ('suspended', 'missing')
                           OR (g.user_id IS NOT NULL AND coalesce(g.last_active, '') < ?2
                               AND substr(s.assigned_at, 1, 10) <= ?2 AND substr(g.imported_at, 1, 10) >= ?2))
                )
                """
        }
    }

    /// The threshold and the day before which a seat's last use makes it inactive.
    private static func cutoff(_ db: Database, today: Date, inactive: Duration?) throws -> (Duration, String) {
        let threshold = try inactive ?? Usage.inactiveAfter(db)
        return (threshold, Time.day(Duration(count: -threshold.count, unit: threshold.unit).added(to: Time.startOfDay(today))))
    }

    private static func heldSeats(_ db: Database, today: Date, inactive: Duration?, only: Int64?) throws -> (Duration, [HeldSeat]) {
        let (threshold, day) = try cutoff(db, today: today, inactive: inactive)
        var seats: [HeldSeat] = []
        try db.forEach(HeldSeat.query(ofPeople: false), arguments: [only, day]) { seats.append(try HeldSeat(row: $0)) }
        return (threshold, seats)
    }

    /// A license whose latest usage import is older than the inactivity threshold: it says
    /// nothing of the threshold's days, so its seats are not judged inactive on it.
    public struct StaleUsage: Sendable {
        public let license: String
        public let importedOn: String
        public let days: Int
        public let threshold: Duration

        public var message: String {
            "\(license)'s usage was last imported on \(importedOn), \(days) day(s) ago, longer ago than \(threshold): "
                + "its seats are not called inactive on it (bring it up to date: owatch usage import '\(license)' FILE)"
        }
    }

    /// Licenses still held whose usage data is older than the threshold (`usage.inactive` or `inactive`).
    public static func staleUsage(_ db: Database, today: Date, inactive: Duration? = nil) throws -> [StaleUsage] {
        let (threshold, day) = try cutoff(db, today: today, inactive: inactive)
        let start = Time.startOfDay(today)
        return try db.query(
            """
            SELECT l.name, max(substr(g.imported_at, 1, 10)) AS day FROM usage g JOIN licenses l ON l.id = g.license_id
            WHERE l.status = 'active' AND EXISTS (SELECT 1 FROM seats s WHERE s.license_id = l.id)
            GROUP BY l.id HAVING max(substr(g.imported_at, 1, 10)) < ? ORDER BY l.name COLLATE NOCASE
            """, day
        ).map { row in
            let imported = try row.text(1)
            let days = Time.parseDay(imported).map { Int((start.timeIntervalSince($0) / 86_400).rounded()) } ?? 0
            return StaleUsage(license: try row.text(0), importedOn: imported, days: days, threshold: threshold)
        }
    }

    public static func reclaimable(
        _ db: Database, today: Date, inactive: Duration? = nil, only: Int64? = nil,
        idle: Bool = true
    ) throws -> [ReclaimRow] {
        let (threshold, seats) = try heldSeats(db, today: today, inactive: inactive, only: only)
        var f = LicenseFilter()
        f.includeCancelled = false
        // Never-assigned seats need every license; otherwise only those the seats belong to.
        if let only { f.ids = [only] } else if !idle { f.ids = Set(seats.map(\.license)) }
        let licenses = f.ids?.isEmpty == true ? [] : try Licenses.list(db, filter: f, today: today)
        return rows(seats, licenses: licenses, threshold: threshold, idle: idle)
    }

    /// Reclaim rows sorted by license, reason and holder.
    private static func rows(_ seats: [HeldSeat], licenses: [License], threshold: Duration, idle: Bool) -> [ReclaimRow] {
        let byID = Dictionary(uniqueKeysWithValues: licenses.map { ($0.id, $0) })
        var out: [ReclaimRow] = []
        for seat in seats {
            guard let l = byID[seat.license], !l.usageBilled else { continue }
            out.append(
                ReclaimRow(
                    license: l, reason: seat.reason, user: seat.user, seats: 1, lastActive: seat.lastActive,
                    why: seat.why(threshold: threshold), findingKey: seat.key))
        }
        for l in licenses where idle && (l.freeSeats ?? 0) > 0 {
            out.append(
                ReclaimRow(
                    license: l, reason: .idle, user: nil, seats: l.freeSeats ?? 0, lastActive: nil, why: "never assigned", findingKey: nil))
        }
        // Sorted through indices: a row carries its license, and moving 10,000 of them is the slow part.
        let order = out.indices.sorted {
            (out[$0].license.name, out[$0].reason.rawValue, out[$0].user ?? "") < (
                out[$1].license.name, out[$1].reason.rawValue, out[$1].user ?? ""
            )
        }
        return order.map { out[$0] }
    }

    /// Where a refresh of every held seat records the day it counted from (see migration 10).
    private static let currentKey = "seat_findings.current"

    /// Whether the seat findings are those of every held seat as of today: no change since a full
    /// refresh on this cutoff day (triggers clear the mark on any change that could matter).
    static func areCurrent(_ db: Database, now: Date) throws -> Bool {
        let (_, day) = try cutoff(db, today: now, inactive: nil)
        return try db.one("SELECT value FROM meta WHERE key = ?", currentKey)?.text(0) == day
    }

    /// Opens a finding per orphaned or inactive seat, and resolves those no longer true (and
    /// true-ups the license now pays for). Runs in the transaction of every change to seats,
    /// people or usage. With `people`, a write that found the findings current (`areCurrent`)
    /// and changed only these people's seats or standing refreshes only their seats.
    static func refresh(_ session: Session) throws { try refresh(session.db, now: session.now) }

    static func refresh(_ db: Database, now: Date, people: Set<Int64>? = nil) throws {
        // Most ledgers have no people data: nothing to look at (every license change runs this).
        // CASE, not OR: SQLite would work out all three. Integers in every branch: PostgreSQL's CASE takes one type.
        let relevant = try db.scalar(
            """
            SELECT CASE WHEN EXISTS(SELECT 1 FROM usage) THEN 1
                WHEN EXISTS(SELECT 1 FROM findings WHERE status = 'open' AND kind IN ('orphaned_seat','inactive_seat','true_up')) THEN 1
                WHEN EXISTS(SELECT 1 FROM seats s JOIN users u ON u.id = s.user_id WHERE u.status = 'offboarded' OR u.directory_status IN ('suspended','missing')) THEN 1
                ELSE 0
            END
            """)
        guard relevant != 0 else { return }
        let (threshold, day) = try cutoff(db, today: now, inactive: nil)
        // Every held seat to reclaim, or those of these people.
        let ids = people.map { JSON.array($0.sorted().map { .int($0) }).encoded() }
        var seats: [HeldSeat] = []
        try db.forEach(HeldSeat.query(ofPeople: ids != nil), arguments: [ids, day]) { seats.append(try HeldSeat(row: $0)) }
        // The open seat findings to compare them with (read from the index on status, kind and
        // key, not the rows): every one, or those naming these people — a key ends with its
        // holder's name, after the last colon.
        let names = try ids.map {
            try Set(db.query("SELECT name FROM users WHERE id IN (SELECT value FROM json_each(?))", $0).map { try $0.text(0).lowercased() })
        }
        var open: [(id: Int64, key: String)] = []
        try db.forEach("SELECT id, dedupe_key FROM findings WHERE status = 'open' AND kind IN ('orphaned_seat', 'inactive_seat')") { row in
            let key = try row.text(1)
            if let names, let colon = key.utf8.lastIndex(of: UInt8(ascii: ":")),
                !names.contains(String(key[key.utf8.index(after: colon)...]).lowercased())
            {
                return
            }
            open.append((try row.integer(0), key))
        }
        // A seat already reported is left as it is, so a refresh that changes nothing writes
        // nothing and reads no license (a sync of 10,000 people runs one). (Comparing in SQL
        // through a TEMP table of held seats was measured slower: 8,000 b-tree inserts.)
        let reported = Set(open.map(\.key))
        var keep = Set<String>()
        keep.reserveCapacity(seats.count)
        var new: [HeldSeat] = []
        for seat in seats where keep.insert(seat.key).inserted && !reported.contains(seat.key) { new.append(seat) }
        if !new.isEmpty {
            var f = LicenseFilter()
            f.ids = Set(new.map(\.license))
            for r in rows(new, licenses: try Licenses.list(db, filter: f, today: now), threshold: threshold, idle: false) {
                _ = try Findings.record(
                    db, kind: r.reason == .orphaned ? .orphanedSeat : .inactiveSeat, key: r.findingKey ?? "", vendor: nil,
                    licenseID: r.license.id, chargeID: nil, amount: nil, monthly: r.monthly,
                    summary: "\(r.license.name): \(r.user ?? "?")'s seat (\(r.why)) costs \(r.monthly.display) a month", now: now)
            }
        }
        var stale = open.filter { !keep.contains($0.key) }.map(\.id)
        for f in try db.query("SELECT id, dedupe_key, license_id FROM findings WHERE status = 'open' AND kind = 'true_up'") {
            // trueup:LICENSE:ACTIVE — resolved once the license pays for that many seats.
            let parts = try f.text(1).split(separator: ":")
            guard parts.count == 3, let active = Int64(parts[2]), let lid = try f.optionalInteger(2),
                let l = try Licenses.find(db, String(lid)), l.isActive, let seats = l.seats, seats < active
            else {
                stale.append(try f.integer(0))
                continue
            }
        }
        try Findings.resolve(
            db, ids: stale, reason: "the seat is no longer to reclaim (freed, used again, or its holder is back)", by: "owatch", now: now)
        // Last: the writes above clear the mark, as any change does.
        try db.run(
            "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2 WHERE value IS NOT ?2", currentKey, day)
    }

    public struct Reclaimed: Sendable {
        public let license: License
        public let freed: [ReclaimRow]
        public let monthlySaving: Money
        public let warnings: [String]
    }

    /// `license reclaim`: frees the license's orphaned and inactive seats in one transaction,
    /// each an audit event, then runs the `seat-reclaimed` hook once per seat.
    public static func reclaim(_ session: Session, _ key: String, inactive: Duration?, dryRun: Bool) throws -> Reclaimed {
        let (license, rows): (License, [ReclaimRow]) = try session.write {
            let db = session.db
            let l = try Licenses.get(db, key)
            guard l.isActive else { throw OWError.refused("'\(l.name)' is cancelled; nothing to reclaim") }
            let rows = try reclaimable(db, today: session.now, inactive: inactive, only: l.id, idle: false)
            if dryRun || rows.isEmpty { return (l, rows) }
            for r in rows {
                guard let name = r.user else { continue }
                try db.run(
                    "DELETE FROM seats WHERE license_id = ? AND user_id = (SELECT id FROM users WHERE name = ? COLLATE NOCASE)", l.id, name)
                try Licenses.audit(
                    session, "seat.unassign", "license:\(l.name)",
                    .obj([("user", .string(name)), ("reason", .string("reclaim: \(r.why)"))]))
            }
            return (try Licenses.get(db, key), rows)
        }
        var saving: Int64 = 0
        for r in rows { try saving.addChecked(r.monthly.minor) }
        var warnings: [String] = []
        if !dryRun {
            for r in rows {
                if let w = Hooks.run("seat-reclaimed", payload: r.event, ledger: session.ledger).warning { warnings.append(w) }
            }
        }
        return Reclaimed(license: license, freed: rows, monthlySaving: Money(minor: saving, currency: license.currency), warnings: warnings)
    }
}
