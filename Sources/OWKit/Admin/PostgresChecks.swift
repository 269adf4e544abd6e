import FoundationEssentials

/// What `owatch doctor` says about a PostgreSQL ledger beyond the checks both backends share:
/// the server, the role owatch connects as, and the other roles granted on the ledger (issue 35).
enum PostgresChecks {
    /// The oldest server owatch's schema is written for (ICU collations, identity columns, EXECUTE FUNCTION).
    static let minimumServer = 130_000

    static func checks(_ db: Database) throws -> [Maintenance.Check] {
        [try server(db), try caseFolding(db), try connectedRole(db), try grantedRoles(db)]
    }

    /// Whether names fold as on SQLite. A case-blind column is `citext`, whose equality folds by
    /// the database's own LC_CTYPE (or ICU locale): in C it folds ASCII letters only, as SQLite's
    /// NOCASE does; in C.UTF-8, en_US.UTF-8 … "Éclair" and "éclair" are one license name on
    /// PostgreSQL and two on SQLite.
    static func caseFolding(_ db: Database) throws -> Maintenance.Check {
        // datlocprovider is PostgreSQL 15's (an ICU default locale); read through to_jsonb, older servers give null.
        let row = try db.one(
            """
            SELECT d.datctype AS ctype, coalesce(to_jsonb(d) ->> 'datlocprovider', 'c') AS provider
            FROM pg_database d WHERE d.datname = current_database()
            """)
        let ctype = try row?.text("ctype") ?? "?"
        let provider = try row?.text("provider") ?? "c"
        guard provider == "c", ctype == "C" || ctype == "POSIX" else {
            let locale = provider == "i" ? "an ICU locale" : "LC_CTYPE \(ctype)"
            return Maintenance.Check(
                name: "case folding", status: .warn,
                detail: "the database has \(locale): names differing only in the case of non-ASCII letters (Éclair, éclair) "
                    + "are one name here and two on SQLite (createdb -T template0 --lc-ctype=C gives a database that folds as SQLite)")
        }
        return Maintenance.Check(
            name: "case folding", status: .ok, detail: "LC_CTYPE \(ctype): names fold ASCII letters only, as on SQLite")
    }

    static func server(_ db: Database) throws -> Maintenance.Check {
        let row = try db.one(
            "SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n, pg_is_in_recovery() AS standby")
        let version = try row?.text("v") ?? "?"
        let number = Int(try row?.text("n") ?? "") ?? 0
        let standby = try row?.integer("standby") == 1
        let detail = "PostgreSQL \(version)" + (standby ? " (a hot standby: read-only)" : "")
        guard number >= minimumServer else {
            return Maintenance.Check(name: "server", status: .fail, detail: detail + "; owatch needs PostgreSQL 13 or later")
        }
        return Maintenance.Check(name: "server", status: .ok, detail: detail)
    }

    /// The role owatch is connected as: it may insert audit events but never edit them.
    static func connectedRole(_ db: Database) throws -> Maintenance.Check {
        let row = try db.one(
            """
            SELECT current_user AS who, r.rolsuper AS super, pg_get_userbyid(c.relowner) = current_user AS owner
            FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = to_regclass('events')
            """)
        guard let row else { return Maintenance.Check(name: "database role", status: .fail, detail: "no events table") }
        let who = try row.text("who")
        let (inserts, edits) = try eventRights(of: who, db)
        if try row.integer("super") == 1 {
            return Maintenance.Check(
                name: "database role", status: .warn,
                detail: "\(who) is a superuser: no privilege binds it (connect as an application role: owatch grant --role ROLE)")
        }
        guard inserts, edits.isEmpty else {
            let what = inserts ? "may \(edits.joined(separator: ", ")) events" : "may not insert audit events"
            return Maintenance.Check(name: "database role", status: .fail, detail: "\(who) \(what)")
        }
        let owns = try row.integer("owner") == 1 ? "; it owns the tables, so it could grant itself more (owatch grant --role)" : ""
        return Maintenance.Check(name: "database role", status: .ok, detail: "\(who) may insert audit events, never edit them\(owns)")
    }

    /// Every other role granted on the ledger's tables: application roles (they insert events)
    /// must not edit events, readers must not see a secret table.
    static func grantedRoles(_ db: Database) throws -> Maintenance.Check {
        let roles = try db.query(
            """
            SELECT DISTINCT pg_get_userbyid(a.grantee) AS role
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v') AND a.grantee <> 0 AND a.grantee <> c.relowner
            AND pg_get_userbyid(a.grantee) <> current_user ORDER BY 1
            """
        ).map { try $0.text("role") }
        var described: [String] = []
        var problems: [String] = []
        for role in roles {
            let (inserts, edits) = try eventRights(of: role, db)
            if inserts {
                described.append("\(role) (application)")
                if !edits.isEmpty { problems.append("\(role) may \(edits.joined(separator: ", ")) events") }
            } else {
                described.append("\(role) (reader)")
                let seen = try PostgresRoles.secretTables.filter { try privilege(role, $0, "SELECT", db) }
                if !seen.isEmpty { problems.append("reader \(role) can read \(seen.joined(separator: ", "))") }
            }
        }
        if !problems.isEmpty { return Maintenance.Check(name: "roles", status: .fail, detail: problems.joined(separator: "; ")) }
        let detail = described.isEmpty ? "no other role is granted on the ledger" : described.joined(separator: ", ")
        return Maintenance.Check(name: "roles", status: .ok, detail: detail)
    }

    /// Whether `role` may insert into events, and which edits of events it may make.
    private static func eventRights(of role: String, _ db: Database) throws -> (inserts: Bool, edits: [String]) {
        let edits = try ["UPDATE", "DELETE", "TRUNCATE"].filter { try privilege(role, "events", $0, db) }
        return (try privilege(role, "events", "INSERT", db), edits)
    }

    private static func privilege(_ role: String, _ table: String, _ what: String, _ db: Database) throws -> Bool {
        try db.one(
            "SELECT to_regclass(?) IS NOT NULL AND has_table_privilege(?, ?, ?) AS p", table, role, table, what
        )?.integer("p") == 1
    }
}
