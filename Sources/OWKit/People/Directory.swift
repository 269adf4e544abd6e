import FoundationEssentials
import OWCore
import OWIdentity

/// One person as an office's directory export describes them.
public struct DirectoryPerson: Sendable {
    public enum Status: String, Sendable {
        case active
        /// Suspended, deprovisioned, archived or disabled: gone from the office.
        case gone = "suspended"
        /// Still a person of the office (Okta's STAGED, LOCKED_OUT, …): never offboarded.
        case present
    }
    public let line: Int
    public let email: String
    public let fullName: String?
    public let dept: String?
    public let status: Status
    /// YYYY-MM-DD of the last sign-in the directory knows, nil for never or not given.
    public let lastSignIn: String?
    /// The directory's own id for the person, namespaced by format (`entra:…`), where the export carries one.
    public var directoryID: String? = nil
    public enum Kind: String, Sendable {
        case member
        /// Entra's userType Guest (a `#EXT#` address), SCIM's userType Guest or External.
        case guest
        /// Not a person: a directory-sync or service account.
        case service
    }
    public var kind: Kind = .member
}

/// The directory exports `user sync` reads, recognised by their header row.
public enum DirectoryFormat: String, CaseIterable, Sendable {
    case google, okta, entra, scim, csv
    /// Snipe-IT's users CSV (sample_csvs/users-sample.csv: First Name, Last Name, Email, Username, Activated, …).
    case snipeIT = "snipe-it"

    /// Google Workspace admin console, Admin > Directory > Users > Download users.
    static let googleColumns = (
        first: "first name [required]", last: "last name [required]", email: "email address [required]",
        status: "status [read only]", signIn: "last sign in [read only]", orgUnit: "org unit path [required]",
        dept: "department", employeeID: "employee id"
    )

    /// What the directory's id for a person is called in each CSV export (Google's is the
    /// organisation's own Employee ID, which stays when an address changes); nil: none.
    func idColumns() -> [String] {
        switch self {
        case .google: return [DirectoryFormat.googleColumns.employeeID]
        case .entra: return ["objectid", "id"]
        case .okta: return ["id"]
        case .snipeIT: return ["employee number", "employee_num"]
        case .scim, .csv: return []
        }
    }

    /// A person's directory id as owatch keeps it: the format's name first, so ids of two directories never meet.
    func directoryID(_ raw: String?) -> String? {
        guard let raw = raw?.trimmed(.whitespaces), !raw.isEmpty, raw.count <= 200 else { return nil }
        // Entra and SCIM ids are GUIDs, written in either case.
        let id = self == .entra ? raw.lowercased() : raw
        return "\(rawValue):\(id)"
    }
}

extension DirectoryPerson {
    /// Service and directory-sync accounts, by the names directories give them: Entra Connect's
    /// `Sync_SERVER_…@` and "On-Premises Directory Synchronization Service Account", `svc-…@`,
    /// `noreply@`. Not people: never added by a sync.
    static func looksLikeService(email: String, name: String?) -> Bool {
        let local = email.split(separator: "@").first.map { $0.lowercased() } ?? ""
        if ["sync_", "svc-", "svc_", "svc.", "service-account", "serviceaccount"].contains(where: { local.hasPrefix($0) }) { return true }
        if ["noreply", "no-reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster"].contains(local) { return true }
        // `includes`, a byte search: the standard library's `contains` built a substring searcher per
        // call, a fifth of a 10,000-person sync (callgrind).
        return name?.lowercased().includes("service account") == true
    }

    /// Entra's guests: userType Guest, or an invited address (`…#EXT#@tenant.onmicrosoft.com`).
    package static func kind(email: String, upn: String?, name: String?, type: String?) -> Kind {
        let t = type?.trimmed(.whitespaces).lowercased() ?? ""
        if t == "guest" || t == "external" || (upn ?? email).lowercased().includes("#ext#") { return .guest }
        if t == "service" || t == "service account" || looksLikeService(email: email, name: name) { return .service }
        return .member
    }
}

/// `owatch user sync`: the directory export against the ledger's people, as one diff applied in
/// one transaction. People are matched by e-mail across the whole export first, then by a full
/// name (or user name) unique on both sides, never guessed between namesakes; admins and scanners are never
/// offboarded by a sync; running the same export twice changes nothing the second time.
public enum DirectorySync {
    public enum ChangeKind: String, Sendable { case add, email, dept, name, guest, offboard, missing, kept, ambiguous, offer }

    public struct Change: Sendable {
        public let kind: ChangeKind
        public let user: String
        public let email: String?
        public let what: String
    }

    public struct Outcome: Sendable {
        public var format: DirectoryFormat = .csv
        public var people = 0
        public var changes: [Change] = []
        public var dryRun = false
        public var freedSeats = 0
        public var monthlySaving: [Money] = []
        /// Rows not brought in: service accounts, and guests without `includeGuests`.
        public var skipped: [DirectoryPerson] = []
    }

    /// What the admin says beyond the export: sync guests (as guests), and rows that are people
    /// already here (`--match NAME=ADDRESS`, the answer to an offer).
    public struct Options: Sendable {
        public var offboardMissing = false
        public var includeGuests = false
        public var matches: [(user: String, email: String)] = []
        public init(offboardMissing: Bool = false, includeGuests: Bool = false, matches: [(user: String, email: String)] = []) {
            self.offboardMissing = offboardMissing
            self.includeGuests = includeGuests
            self.matches = matches
        }
    }

    // MARK: The diff (reading the exports: DirectoryExports.swift)

    /// Reads the export, works out the diff and (unless `dryRun`) applies it in one transaction.
    public static func run(_ session: Session, text: String, format: DirectoryFormat?, dryRun: Bool, offboardMissing: Bool) throws
        -> Outcome
    {
        try run(session, text: text, format: format, dryRun: dryRun, options: Options(offboardMissing: offboardMissing))
    }

    public static func run(_ session: Session, text: String, format: DirectoryFormat?, dryRun: Bool, options: Options) throws -> Outcome {
        let (format, people) = try read(text, format: format)
        var outcome = Outcome(format: format, people: people.count, dryRun: dryRun)
        // A first sync rewrites every person's row and then reads every seat: with SQLite's 2 MB
        // page cache a large office's pages would be evicted and read again mid-transaction.
        if people.count > 2_000 { try session.db.setCacheSize(mebibytes: 32) }
        try session.write {
            // A dry run writes nothing, stale findings included; a real one refreshes them once, at its end.
            if dryRun {
                try diff(session, people, format: format, options: options, into: &outcome)
            } else {
                try session.deferringStaleFindings {
                    try diff(session, people, format: format, options: options, into: &outcome)
                }
            }
        }
        return outcome
    }

    /// Works out the diff and, unless the outcome is a dry run's, applies it (inside `write`).
    private static func diff(
        _ session: Session, _ people: [DirectoryPerson], format: DirectoryFormat, options: Options,
        into outcome: inout Outcome
    ) throws {
        let dryRun = outcome.dryRun
        let offboardMissing = options.offboardMissing
        let db = session.db
        // Read before anything changes: whether only the seats of the people this sync changes can need a new finding.
        let findingsWereCurrent = try !dryRun && SeatFindings.areCurrent(db, now: session.now)
        let users = try Users.list(db)
        let matching = try DirectoryMatching(users: users, people: people, matches: options.matches)
        var changes = matching.changes
        let (assigned, matched, undecided) = (matching.assigned, matching.matched, matching.undecided)
        var taken = Set(users.map { $0.name.lowercased() })
        var toOffboard: [(User, String)] = []
        var updates: [Users.Edit] = []
        changes.reserveCapacity(people.count)
        updates.reserveCapacity(people.count)
        for (k, p) in people.enumerated() {
            if assigned[k] == -1 { continue }
            guard let i = assigned[k] else {
                guard p.status != .gone else { continue }  // someone who left before owatch knew them
                if p.kind == .service || (p.kind == .guest && !options.includeGuests) {
                    outcome.skipped.append(p)
                    continue
                }
                let directoryID = matching.directoryID(of: p, for: nil)
                changes.append(try add(p, session, directoryID: directoryID, dryRun: dryRun, taken: &taken))
                continue
            }
            let u = users[i]
            guard u.isActive else { continue }
            let (edited, edit) = self.edit(
                u, row: p, sure: matching.isSure(row: k, i), directoryID: matching.directoryID(of: p, for: i),
                includeGuests: options.includeGuests)
            changes += edited
            if !dryRun { updates.append(edit) }
            if p.status == .gone { toOffboard.append((u, "\(format.rawValue) says suspended or deprovisioned")) }
        }
        // Active people the export does not list: gone, or only missing from this export.
        for (i, u) in users.enumerated() where u.isActive && !matched[i] && !undecided[i] && u.role != .scanner {
            if offboardMissing {
                toOffboard.append((u, "not in the export"))
            } else if u.role != .admin {
                changes.append(
                    Change(kind: .missing, user: u.name, email: u.email, what: "not in the export; kept (--offboard-missing offboards)"))
                if !dryRun { updates.append(Users.Edit(user: u, directory: ("missing", nil))) }
            }
        }
        // One statement for every person's edits; recorded in the sync's own event (one event per
        // person would be 10,000 for an office's first sync).
        var edited: [JSON] = []
        for (edit, changed) in zip(updates, try Users.update(db, updates)) where !changed.isEmpty {
            edited.append(.obj([("user", .string(edit.user.name))] + changed))
        }
        // Whose seats can be orphaned now, or no longer: the directory's word on them changed, or they leave.
        func orphaned(_ directory: String?) -> Bool { directory == "suspended" || directory == "missing" }
        var standingChanged = Set(
            updates.compactMap { e in
                e.directory.flatMap { orphaned($0.status) != orphaned(e.user.directoryStatus) ? e.user.id : nil }
            })
        let leaving = try offboard(toOffboard, session, dryRun: dryRun, changes: &changes, outcome: &outcome)
        standingChanged.formUnion(leaving)
        if findingsWereCurrent { session.seatFindingsChangedFor = standingChanged }
        outcome.changes = changes
        // Seat findings (orphaned, inactive) are refreshed once, at the end, by deferringStaleFindings.
        if !dryRun && (!changes.isEmpty || !edited.isEmpty) {
            try session.audit(
                "user.sync", "users",
                .obj([
                    ("format", .string(format.rawValue)), ("people", .int(Int64(people.count))),
                    ("changes", .int(Int64(changes.count))), ("edits", .array(edited)),
                ]))
        }
    }

    /// Whether a user name (`marta`, `mschulz`) fits a row's full name or address: one of its
    /// names, or first and last name run together, either cut to its initial.
    static func nameFits(_ user: String, _ p: DirectoryPerson) -> Bool {
        func fold(_ s: String) -> String {
            Fold.diacriticsAndCase(s).lowercased()
        }
        func words(_ s: String) -> [String] { fold(s).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init) }
        let u = words(user).joined()
        guard u.count >= 2 else { return false }
        let local = String(p.email.split(separator: "@").first ?? "")
        var fits = Set<String>()
        for ws in [words(p.fullName ?? ""), words(local)] where !ws.isEmpty {
            fits.formUnion(ws)
            fits.insert(ws.joined())
            if let first = ws.first, let last = ws.last, ws.count >= 2 {
                fits.insert(String(first.prefix(1)) + last)
                fits.insert(first + String(last.prefix(1)))
            }
        }
        return fits.contains(u)
    }

    /// A user name from an e-mail's local part: ASCII, valid, unique ("zoë.lefèvre" → "zoe.lefevre", then "zoe.lefevre2").
    static func uniqueName(for email: String, taken: inout Set<String>) -> String {
        let local = String(email.split(separator: "@").first ?? "user")
        let folded = Fold.diacriticsAndCase(local)
        var base = String(
            folded.unicodeScalars.filter { $0.isASCII && (ScalarSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
                .map(Character.init))
        base = String(base.drop(while: { !$0.isLetter && !$0.isNumber }).prefix(56))
        if base.isEmpty { base = "user" }
        var name = base
        var n = 1
        while taken.contains(name.lowercased()) {
            n += 1
            name = "\(base)\(n)"
        }
        taken.insert(name.lowercased())
        return name
    }
}

/// Where each item of a JSON array starts, as a line number (for errors about one user).
package enum JSONLines {
    static func positions(of count: Int, in text: String) -> [Int] {
        // Objects one level inside the outer array (or the Resources array) start with "{" at depth 1 or 2.
        var out: [Int] = []
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        let arrayDepth = text.contains("\"Resources\"") ? 2 : 1
        for b in text.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                if b == UInt8(ascii: "{") && depth == arrayDepth { out.append(line) }
                depth += 1
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                depth -= 1
            }
            if b == 10 { line += 1 }
        }
        return out.count >= count ? out : out + Array(repeating: 1, count: count - out.count)
    }
}
