import FoundationEssentials
import OWCore

/// Whether a person still works here as far as owatch knows (the `users.status` column).
public enum UserStatus: String, Sendable, CaseIterable {
    case active
    case offboarded
}

/// A person in the office.
public struct User: Sendable {
    public let id: Int64
    public let name: String
    public let role: Role
    public let dept: String?
    public let email: String?
    public let fullName: String?
    public let status: UserStatus
    public let createdAt: String
    public let offboardedAt: String?
    /// What the last `user sync` said: active, suspended or missing (nil: never synced), and the
    /// directory's last sign-in.
    public let directoryStatus: String?
    public let lastSignIn: String?
    /// The directory's own id for the person (`entra:…`, `google:…`, `okta:…`, `scim:…`), from a sync.
    public let directoryID: String?
    /// A guest of the office (an Entra B2B guest, say), synced only with `--include-guests`: no leave allowance.
    public let isGuest: Bool
}

extension User: FetchableRow {
    public static let selection =
        "users.id, users.name, users.role, users.dept, users.email, users.full_name, users.status, users.created_at, "
        + "users.offboarded_at, users.directory_status, users.last_sign_in, users.directory_id, users.guest"

    public init(row: Row) throws {
        id = try row.integer(0)
        name = try row.text(1)
        role = try row.value(2, as: Role.self)
        dept = try row.optionalText(3)
        email = try row.optionalText(4)
        fullName = try row.optionalText(5)
        status = try row.value(6, as: UserStatus.self)
        createdAt = try row.text(7)
        offboardedAt = try row.optionalText(8)
        directoryStatus = try row.optionalText(9)
        lastSignIn = try row.optionalText(10)
        directoryID = try row.optionalText(11)
        isGuest = try row.integer(12) != 0
    }

    public var isActive: Bool { status == .active }
}

/// A token just issued: the text to hand over, and its claims.
public struct IssuedToken: Sendable {
    public let text: String
    public let claims: Claims
}

/// The people of the office and their tokens.
public enum Users {
    /// Names are what people type: letters, digits, dot, dash, underscore; 1–64 characters.
    public static func validateName(_ name: String) throws {
        func isAlnum(_ c: Unicode.Scalar) -> Bool {
            c.isASCII && (("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c))
        }
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 64, isAlnum(first),
            scalars.allSatisfy({ isAlnum($0) || $0 == "." || $0 == "-" || $0 == "_" })
        else {
            throw OWError.usage(
                "invalid user name '\(name.prefix(80))'",
                hint: "use 1-64 ASCII letters, digits, '.', '-' or '_', starting with a letter or digit")
        }
    }

    package static func validateEmail(_ email: String) throws {
        let bytes = email.utf8
        let at = bytes.firstIndex(of: UInt8(ascii: "@"))
        guard let at, at != bytes.startIndex, bytes.lastIndex(of: UInt8(ascii: "@")) == at,
            bytes[bytes.index(after: at)...].contains(UInt8(ascii: ".")), bytes.count <= 254, !hasWhitespace(email)
        else {
            throw OWError.usage("invalid email '\(email)'")
        }
    }

    /// Byte by byte when the text is ASCII (a directory sync checks 10,000 addresses).
    private static func hasWhitespace(_ text: String) -> Bool {
        var ascii = true
        for b in text.utf8 {
            if b >= 0x80 {
                ascii = false
                break
            }
            if b == 0x20 || (0x09...0x0D).contains(b) { return true }
        }
        return !ascii && text.contains(where: { $0.isWhitespace })
    }

    /// A full name is free text on one line: "Zoë Lefèvre", "María José García-López".
    package static func validateFullName(_ fullName: String) throws {
        // Printable ASCII (most names of a 10,000-person sync) needs no Unicode properties.
        let printableASCII = fullName.utf8.count <= 200 && fullName.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        guard !fullName.isEmpty,
            printableASCII
                || (fullName.count <= 200 && !fullName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }))
        else {
            throw OWError.usage("a full name is 1-200 characters on one line, without control characters")
        }
    }

    /// `user edit`: department, e-mail and full name; an empty value clears one. Audited with
    /// what changed.
    public static func edit(_ session: Session, name: String, dept: String?, email: String?, fullName: String?) throws -> User {
        if let email, !email.isEmpty { try validateEmail(email) }
        if let fullName, !fullName.isEmpty { try validateFullName(fullName) }
        guard dept != nil || email != nil || fullName != nil else {
            throw OWError.usage("nothing to change", hint: "owatch user edit NAME [--dept D] [--email E] [--full-name 'First Last']")
        }
        return try session.write {
            let user = try get(session.db, name)
            let changes = try update(session.db, [Edit(user: user, dept: dept, email: email, fullName: fullName)])[0]
            guard !changes.isEmpty else { throw OWError.refused("\(user.name) already has these details") }
            try session.audit("user.edit", "user:\(user.name)", .obj(changes))
            return try get(session.db, name)
        }
    }

    /// New details for one person (nil: unchanged; an empty value clears one) and, from a
    /// sync, what the directory says (status, last sign-in; not audited as edits).
    package struct Edit {
        package let user: User
        package var dept: String?
        package var email: String?
        package var fullName: String?
        package var directory: (status: String, lastSignIn: String?)?
        /// From a sync: the directory's id for the person, and whether they are a guest ("1") or not ("0").
        package var directoryID: String?
        package var guest: String?

        package init(
            user: User, dept: String? = nil, email: String? = nil, fullName: String? = nil,
            directory: (status: String, lastSignIn: String?)? = nil, directoryID: String? = nil, guest: String? = nil
        ) {
            self.user = user
            self.dept = dept
            self.email = email
            self.fullName = fullName
            self.directory = directory
            self.directoryID = directoryID
            self.guest = guest
        }
    }

    /// The columns an `Edit` can set.
    private static let editable = ["dept", "email", "full_name", "directory_status", "last_sign_in", "directory_id", "guest"]

    /// Sets the details that differ and returns them per edit, for the caller's audit event:
    /// `user edit` records one per person, `user sync` all of its edits in one. Rows are staged
    /// in a TEMP table and written by one UPDATE, none when nothing differs: a first sync of
    /// 10,000 people changes 10,000 rows, and a statement per row (each its own statement
    /// journal, the state-digest triggers being able to fail) costs more than the rows.
    package static func update(_ db: Database, _ edits: [Edit]) throws -> [[(String, JSON)]] {
        var audited: [[(String, JSON)]] = []
        audited.reserveCapacity(edits.count)
        try db.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS user_edits(id INTEGER PRIMARY KEY, mask INTEGER NOT NULL,
                dept TEXT, email TEXT, full_name TEXT, directory_status TEXT, last_sign_in TEXT, directory_id TEXT, guest INTEGER);
            DELETE FROM temp.user_edits;
            """)
        var staged: [SQLValue] = []
        for edit in edits {
            var values: [String?] = Array(repeating: nil, count: editable.count)
            var mask = 0
            var changes: [(String, JSON)] = []
            func set(_ column: Int, _ value: String?, _ old: String?, audited: Bool = true) {
                guard let value else { return }
                let new: String? = value.isEmpty ? nil : value
                guard new != old else { return }
                values[column] = new
                mask |= 1 << column
                if audited { changes.append((editable[column], new.map(JSON.string) ?? .null)) }
            }
            let u = edit.user
            set(0, edit.dept, u.dept)
            set(1, edit.email, u.email)
            set(2, edit.fullName, u.fullName)
            if let directory = edit.directory {
                set(3, directory.status, u.directoryStatus, audited: false)
                set(4, directory.lastSignIn, u.lastSignIn, audited: false)
            }
            set(5, edit.directoryID, u.directoryID)
            set(6, edit.guest, u.isGuest ? "1" : "0")
            audited.append(changes)
            guard mask != 0 else { continue }
            staged.append(.int(u.id))
            staged.append(.int(Int64(mask)))
            for v in values { staged.append(v.map(SQLValue.text) ?? .null) }
        }
        try db.insertRows(into: "temp.user_edits", width: 2 + editable.count, values: staged)
        guard !staged.isEmpty else { return audited }
        // A column whose bit is not in the mask keeps its value; one whose bit is set takes the staged one (NULL clears it).
        let assignments = editable.enumerated().map { i, c in "\(c) = iif((e.mask & \(1 << i)) != 0, e.\(c), users.\(c))" }
        try db.execute(
            "UPDATE users SET " + assignments.joined(separator: ", ")
                + " FROM temp.user_edits e WHERE users.id = e.id; DELETE FROM temp.user_edits;")
        return audited
    }

    /// `user reactivate`: an offboarded person is active again, with the role they had. Their
    /// old tokens stay revoked: they need a new one (`user token`).
    public static func reactivate(_ session: Session, name: String) throws -> User {
        try session.write {
            let user = try get(session.db, name)
            guard !user.isActive else { throw OWError.refused("\(user.name) is active") }
            try session.db.run(
                "UPDATE users SET status = 'active', offboarded_at = NULL, tokens_after = ? WHERE id = ?",
                Time.epochSeconds(session.now), user.id)
            try session.audit("user.reactivate", "user:\(user.name)", .obj([("role", .string(user.role.rawValue))]))
            return try get(session.db, name)
        }
    }

    public static func find(_ db: Database, _ name: String) throws -> User? {
        try db.fetchOne(User.self, "SELECT \(User.selection) FROM users WHERE name = ?", name)
    }

    public static func get(_ db: Database, _ name: String) throws -> User {
        guard let user = try find(db, name) else {
            throw OWError.notFound("user '\(name)'", hint: "see `owatch user list`")
        }
        return user
    }

    public static func list(_ db: Database, includeOffboarded: Bool = true, role: Role? = nil, dept: String? = nil) throws -> [User] {
        try db.fetchAll(
            User.self,
            """
            SELECT \(User.selection) FROM users
            WHERE (?1 = 1 OR status = 'active') AND (?2 IS NULL OR role = ?2) AND (?3 IS NULL OR dept = ?3 COLLATE NOCASE)
            ORDER BY name COLLATE NOCASE
            """, includeOffboarded, role?.rawValue, dept)
    }

    /// Inserts a user; must run inside a write transaction.
    package static func insert(
        _ db: Database, name: String, role: Role, dept: String?, email: String?, fullName: String? = nil,
        directory: (status: String, lastSignIn: String?)? = nil, directoryID: String? = nil, guest: Bool = false, now: Date
    ) throws -> User {
        try validateName(name)
        if let email { try validateEmail(email) }
        if let fullName { try validateFullName(fullName) }
        if try find(db, name) != nil { throw OWError.refused("user '\(name)' already exists") }
        try db.run(
            """
            INSERT INTO users(name, role, dept, email, full_name, directory_status, last_sign_in, directory_id, guest, created_at)
            VALUES (?,?,?,?,?,?,?,?,?,?)
            """,
            name, role.rawValue, dept, email, fullName, directory?.status, directory?.lastSignIn, directoryID, guest, Time.rfc3339(now))
        return try db.fetchOne(User.self, "SELECT \(User.selection) FROM users WHERE id = ?", db.lastInsertRowID)!
    }

    public static func add(_ session: Session, name: String, role: Role, dept: String?, email: String?) throws -> User {
        try session.write {
            let user = try insert(session.db, name: name, role: role, dept: dept, email: email, now: session.now)
            try session.audit(
                "user.add", "user:\(user.name)", .obj([("role", .string(role.rawValue)), ("dept", dept.map(JSON.string) ?? .null)]))
            return user
        }
    }

    /// Changes a role. Every token issued for the old role stops working at once.
    public static func setRole(_ session: Session, name: String, role: Role) throws -> User {
        try session.write {
            let user = try get(session.db, name)
            guard user.isActive else { throw OWError.refused("user '\(user.name)' was offboarded") }
            guard user.role != role else { throw OWError.refused("user '\(user.name)' is already \(role.rawValue)") }
            if user.role == .admin { try ensureAnotherAdmin(session.db, besides: user) }
            try session.db.run(
                "UPDATE users SET role = ?, tokens_after = ? WHERE id = ?", role.rawValue, Time.epochSeconds(session.now), user.id)
            let stamp = Time.rfc3339(session.now)
            try session.db.run(
                """
                INSERT OR IGNORE INTO revoked_tokens(jti, revoked_at, revoked_by)
                SELECT jti, ?, ? FROM tokens WHERE user_id = ?
                """, stamp, session.actor.name, user.id)
            let revoked = session.db.changes
            try session.audit(
                "user.role", "user:\(user.name)",
                .obj([
                    ("from", .string(user.role.rawValue)), ("to", .string(role.rawValue)),
                    ("revoked_tokens", .int(revoked)),
                ]))
            return try get(session.db, name)
        }
    }

    package static func ensureAnotherAdmin(_ db: Database, besides user: User) throws {
        let others = try db.scalar("SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active' AND id != ?", user.id)
        guard others > 0 else {
            throw OWError.refused(
                "\(user.name) is the last active admin", hint: "make someone else admin first (`owatch user role NAME admin`)")
        }
    }

    public struct Offboarding: Sendable {
        public let user: User
        public let revokedTokens: Int
        public let freedSeats: [String]  // license names
        public let monthlySaving: [Money]  // per currency

        package init(user: User, revokedTokens: Int, freedSeats: [String], monthlySaving: [Money]) {
            self.user = user
            self.revokedTokens = revokedTokens
            self.freedSeats = freedSeats
            self.monthlySaving = monthlySaving
        }
    }
}
