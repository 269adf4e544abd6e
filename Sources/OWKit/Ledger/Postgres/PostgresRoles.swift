import FoundationEssentials

/// Who may do what to a PostgreSQL ledger (issue 35). The role model:
///
/// - The **owner** (the URL's user when `owatch init --ledger URL` runs) creates and owns the
///   tables. Even the owner loses UPDATE, DELETE and TRUNCATE on `events`: only a deliberate
///   `GRANT` gives them back, and the append-only trigger still refuses row edits.
/// - The **application role** (`init --role ROLE`, `owatch grant --role ROLE`) is what owatch
///   connects as every day: it reads and writes the data tables but may only INSERT and SELECT
///   `events` and only SELECT `owatch_schema`. Not owning the tables, it cannot grant itself more.
/// - A **reader** (`init --reader ROLE`, `owatch grant --reader ROLE`) may SELECT the tables and
///   views, except the secret ones (`secretTables`), for reporting and BI.
///
/// The roles are created by the database's administrator (`CREATE ROLE … LOGIN`); owatch only grants.
/// A direct edit of a data table by anyone is still found by `audit verify --state`.
public enum PostgresRoles {
    /// Tables a reader never sees: token ids and revocations, issuer keys, notification targets
    /// (webhook URLs carry secrets) and what is queued for them, settings and the ledger's own notes.
    public static let secretTables = ["tokens", "revoked_tokens", "issuers", "notify_channels", "outbox", "config", "meta"]
    /// Roles asked for on a SQLite ledger (a usage error, before anything is made).
    public static let notOnSQLite = OWError.usage(
        "--role and --reader grant PostgreSQL roles; a SQLite ledger is guarded by its file's permissions",
        hint: "use --ledger postgresql://…, or leave out --role and --reader")
    /// What owatch's own rows may only grow by.
    static let appendOnly = ["events"]

    /// The roles to grant while a ledger is created (`owatch init --role/--reader`).
    public struct Grants: Sendable, Equatable {
        public var application: String?
        public var readers: [String]
        public init(application: String? = nil, readers: [String] = []) {
            self.application = application
            self.readers = readers
        }
        public var isEmpty: Bool { application == nil && readers.isEmpty }
        /// For the audit event recording them.
        public var details: JSON {
            var pairs: [(String, JSON)] = []
            if let application { pairs.append(("role", .string(application))) }
            if !readers.isEmpty { pairs.append(("readers", .array(readers.map(JSON.string)))) }
            return .obj(pairs)
        }
    }

    /// Revokes the edits of `events` from everyone, the owner included (run when the schema is made).
    static func protectEvents(_ pg: PostgresStorage) throws {
        for table in appendOnly {
            try pg.exec("REVOKE UPDATE, DELETE, TRUNCATE ON \(table) FROM PUBLIC, CURRENT_USER")
        }
    }

    /// Applies `grants` on the database `db` is connected to; the connected user must own the tables.
    public static func apply(_ grants: Grants, on db: Database) throws {
        guard let pg = db.postgres else {
            throw notOnSQLite
        }
        guard !grants.isEmpty else { return }
        let names = ([grants.application].compactMap { $0 } + grants.readers)
        for name in names { try requireRole(name, on: db) }
        try requireOwner(db)
        if let app = grants.application { try grantApplication(app, pg: pg, db: db) }
        for reader in grants.readers { try grantReader(reader, pg: pg, db: db) }
    }

    /// Only the tables' owner (or a superuser) can grant on them; anyone else's GRANT is a mere
    /// warning from the server, and would look like success.
    static func requireOwner(_ db: Database) throws {
        let row = try db.one(
            """
            SELECT pg_get_userbyid(c.relowner) AS owner, pg_has_role(c.relowner, 'USAGE') OR r.rolsuper AS may
            FROM pg_class c, pg_roles r WHERE c.oid = to_regclass('events') AND r.rolname = current_user
            """)
        guard let row, try row.integer("may") == 1 else {
            let owner = try row?.text("owner") ?? "the owner"
            throw OWError.notPermitted(
                "only the owner of the ledger's tables (\(owner)) can grant roles on them",
                hint: "run owatch --ledger postgresql://\(owner)@…/DATABASE grant …")
        }
    }

    /// A role that exists; owatch never creates roles (that is the database administrator's).
    static func requireRole(_ name: String, on db: Database) throws {
        guard !name.isEmpty, name.count <= 63, !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw OWError.usage("a PostgreSQL role name is 1 to 63 characters, without control characters")
        }
        guard try db.scalar("SELECT count(*) FROM pg_roles WHERE rolname = ?", name) == 1 else {
            throw OWError.refused(
                "the PostgreSQL role \(name) does not exist",
                hint: "create it first as the database administrator: CREATE ROLE \(quoted(name)) LOGIN")
        }
    }

    private static func grantApplication(_ role: String, pg: PostgresStorage, db: Database) throws {
        let r = quoted(role)
        try pg.exec("GRANT USAGE ON SCHEMA \(currentSchema(db)) TO \(r)")
        for table in try relations(db) {
            try pg.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON \(table) TO \(r)")
        }
        for table in appendOnly { try pg.exec("REVOKE UPDATE, DELETE, TRUNCATE ON \(table) FROM \(r)") }
        try pg.exec("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON owatch_schema FROM \(r)")
        try pg.exec("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA \(currentSchema(db)) TO \(r)")
    }

    private static func grantReader(_ role: String, pg: PostgresStorage, db: Database) throws {
        let r = quoted(role)
        try pg.exec("GRANT USAGE ON SCHEMA \(currentSchema(db)) TO \(r)")
        for table in try relations(db) {
            if secretTables.contains(table) {
                try pg.exec("REVOKE ALL ON \(table) FROM \(r)")  // re-run on a role that had more
            } else {
                try pg.exec("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON \(table) FROM \(r)")
                try pg.exec("GRANT SELECT ON \(table) TO \(r)")
            }
        }
    }

    /// The ledger's tables and views, by name.
    static func relations(_ db: Database) throws -> [String] {
        try db.query(
            """
            SELECT table_name AS t FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type IN ('BASE TABLE', 'VIEW') ORDER BY table_name
            """
        ).map { try $0.text("t") }
    }

    private static func currentSchema(_ db: Database) throws -> String {
        quoted(try db.one("SELECT current_schema() AS s")?.text("s") ?? "public")
    }

    /// An identifier as SQL spells it: double quotes, inner quotes doubled.
    static func quoted(_ name: String) -> String { "\"" + name.replacingAll("\"", with: "\"\"") + "\"" }
}
