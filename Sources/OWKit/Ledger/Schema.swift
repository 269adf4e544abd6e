/// The ledger's schema, one migration per `PRAGMA user_version` step. Forward-only:
/// a migration is never edited once shipped; a new one is appended.
enum Schema {
    static let migrations: [String] = [
        // 1: identity, configuration and the audit chain.
        """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE config(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE users(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('admin','employee','scanner')),
            dept TEXT,
            email TEXT,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','offboarded')),
            created_at TEXT NOT NULL,
            offboarded_at TEXT
        );
        CREATE TABLE issuers(
            kid TEXT PRIMARY KEY,
            public_key BLOB NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        ) WITHOUT ROWID;
        CREATE TABLE tokens(
            jti TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            role TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX tokens_by_user ON tokens(user_id);
        CREATE TABLE revoked_tokens(
            jti TEXT PRIMARY KEY,
            revoked_at TEXT NOT NULL,
            revoked_by TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE events(
            seq INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            object TEXT NOT NULL,
            details TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TABLE seals(
            id INTEGER PRIMARY KEY,
            seq INTEGER NOT NULL,
            head_hash TEXT NOT NULL,
            time TEXT NOT NULL,
            kid TEXT NOT NULL,
            signature BLOB NOT NULL
        );
        -- Append-only through owatch. An attacker with file access can drop these;
        -- the hash chain and seals are what detect that (SPEC §6).
        CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
        CREATE TRIGGER events_append_only_d BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
        CREATE TRIGGER seals_append_only_u BEFORE UPDATE ON seals BEGIN SELECT RAISE(ABORT, 'seals are append-only'); END;
        CREATE TRIGGER seals_append_only_d BEFORE DELETE ON seals BEGIN SELECT RAISE(ABORT, 'seals are append-only'); END;
        """,
    ]

    static var currentVersion: Int { migrations.count }
}
