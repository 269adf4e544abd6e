import FoundationEssentials
import OWCore

/// The state digest per changed row on PostgreSQL (issue 35), as SQLite's TEMP triggers keep it.
///
/// Statement triggers on every described table copy the rows a statement inserted, deleted or
/// updated (old and new) into a TEMP table of the same columns, but only in a session that set
/// `owatch.state_rows` (owatch's own): a write made with psql changes the tables, not the digest
/// the next event records, so `audit verify --state` finds it. At each event owatch takes those
/// rows out and folds them in with the same Swift hashing as `StateDigest.recompute`
/// (`Digest.row` over the values as the tables return them), so both backends record the same
/// digest for the same rows. A rolled-back write takes its copied rows with it.
package final class PostgresStateRows {
    private let db: Database
    private let pg: PostgresStorage
    /// Each described table and its quoted columns, as `StateDigest.recompute` reads them.
    private let columns: [(table: String, list: String)]
    /// One query: which TEMP tables hold rows.
    private let touchedQuery: String
    private let hasher = Crypto.SHA256()

    static func temp(_ table: String) -> String { "pg_temp.owatch_rows_" + table }
    /// Present in a ledger whose trigger makes the TEMP tables when first needed.
    static let touchedFunction = "owatch_rows_touched"

    /// The trigger function and each table's three statement triggers (one event each: PostgreSQL
    /// gives transition tables only to those). Re-runnable: `CREATE OR REPLACE`.
    package static func schemaObjects(tables: [String]) -> [String] {
        var out = [
            // The TEMP table is made on the session's first write to its table: a command writes a
            // few tables, and making all of them cost 70 ms of server time per connection.
            """
            CREATE OR REPLACE FUNCTION owatch_state_rows() RETURNS trigger LANGUAGE plpgsql AS $fn$
            DECLARE
                rows text := 'owatch_rows_' || TG_TABLE_NAME;
            BEGIN
                IF current_setting('owatch.state_rows', true) = 'on' THEN
                    IF to_regclass('pg_temp.' || quote_ident(rows)) IS NULL THEN
                        EXECUTE format('CREATE TEMP TABLE %I AS SELECT * FROM %I.%I WITH NO DATA', rows, TG_TABLE_SCHEMA, TG_TABLE_NAME);
                    END IF;
                    IF TG_OP <> 'INSERT' THEN
                        EXECUTE format('INSERT INTO pg_temp.%I SELECT * FROM owatch_old', rows);
                    END IF;
                    IF TG_OP <> 'DELETE' THEN
                        EXECUTE format('INSERT INTO pg_temp.%I SELECT * FROM owatch_new', rows);
                    END IF;
                END IF;
                RETURN NULL;
            END $fn$
            """,
            // The tables whose TEMP table holds rows, in one round trip.
            """
            CREATE OR REPLACE FUNCTION \(touchedFunction)() RETURNS SETOF text LANGUAGE plpgsql AS $fn$
            DECLARE
                rows text;
                held boolean;
            BEGIN
                FOR rows IN SELECT c.relname FROM pg_class c
                            WHERE c.relnamespace = pg_my_temp_schema() AND c.relname LIKE 'owatch\\_rows\\_%' ORDER BY c.relname LOOP
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM pg_temp.%I)', rows) INTO held;
                    IF held THEN
                        RETURN NEXT substr(rows, 13);
                    END IF;
                END LOOP;
            END $fn$
            """,
        ]
        for table in tables {
            for (suffix, event, referencing) in [
                ("i", "INSERT", "NEW TABLE AS owatch_new"), ("d", "DELETE", "OLD TABLE AS owatch_old"),
                ("u", "UPDATE", "OLD TABLE AS owatch_old NEW TABLE AS owatch_new"),
            ] {
                out.append(
                    "CREATE OR REPLACE TRIGGER owatch_state_\(table)_\(suffix) AFTER \(event) ON \"\(table)\" "
                        + "REFERENCING \(referencing) FOR EACH STATEMENT EXECUTE FUNCTION owatch_state_rows()")
            }
        }
        return out
    }

    /// The described tables this database holds (all of them in a ledger of the current schema).
    package static func describedTables(_ db: Database) throws -> [String] {
        if let pg = db.postgres { return try pg.columns(of: StateDigest.tables).map(\.table) }
        return try StateDigest.tables.filter { try db.scalar("SELECT count(*) FROM pragma_table_info(?)", $0) > 0 }
    }

    /// Sets this session up: the triggers when the ledger lacks them or has them from an owatch
    /// before lazy TEMP tables (else, when this role may not replace them, every TEMP table now),
    /// then the setting that makes the triggers copy.
    init(_ db: Database) throws {
        guard let pg = db.postgres else { preconditionFailure("PostgresStateRows on a SQLite ledger") }
        self.db = db
        self.pg = pg
        let described = try pg.columns(of: StateDigest.tables)
        let tables = described.map(\.table)
        columns = described.map { ($0.table, $0.names.map { "\"\($0)\"" }.joined(separator: ", ")) }
        if try PostgresStateRows.ensureTriggers(pg, tables: tables) {
            touchedQuery = "SELECT t FROM \(PostgresStateRows.touchedFunction)() AS t"
            try pg.exec("SET owatch.state_rows = 'on'")
            return
        }
        touchedQuery = tables.map { "SELECT '\($0)' AS t WHERE EXISTS (SELECT 1 FROM \(PostgresStateRows.temp($0)))" }
            .joined(separator: " UNION ALL ")
        try pg.exec(
            tables.map { "CREATE TEMP TABLE IF NOT EXISTS owatch_rows_\($0) AS SELECT * FROM \"\($0)\" WITH NO DATA; " }.joined()
                + "SET owatch.state_rows = 'on'")
    }

    /// Whether the ledger's triggers make their TEMP tables (made or replaced now if not): false
    /// where they are an older owatch's and this role may not replace them.
    private static func ensureTriggers(_ pg: PostgresStorage, tables: [String]) throws -> Bool {
        var (present, lazy): (Int64, Bool) = (0, false)
        try pg.runNative(
            "SELECT (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                + "WHERE t.tgname LIKE 'owatch\\_state\\_%' AND c.relnamespace = current_schema()::regnamespace), "
                + "EXISTS (SELECT 1 FROM pg_proc WHERE proname = '\(touchedFunction)' AND pronamespace = current_schema()::regnamespace)"
        ) { row in (present, lazy) = (try row.integer(0), try row.integer(1) == 1) }
        let complete = present >= tables.count * 3
        guard !complete || !lazy else { return true }
        // Under the write lock: two owatch processes must not create them at once.
        do {
            try pg.beginWrite()
            do {
                for statement in schemaObjects(tables: tables) { try pg.exec(statement) }
                try pg.commit()
            } catch {
                pg.rollback()
                throw error
            }
        } catch  where complete {
            return false
        }
        return true
    }

    /// The tables whose rows changed since the last `take` (without taking them).
    func touched() throws -> [String] {
        var out: [String] = []
        try pg.runNative(touchedQuery) { out.append(try $0.text(0)) }
        return out
    }

    /// The digest of the rows changed since the last call, which empties the TEMP tables.
    func take() throws -> StateDigest.Digest {
        var d = StateDigest.Digest()
        for table in try touched() {
            let list = columns.first { $0.table == table }!.list
            try pg.runNative("DELETE FROM \(PostgresStateRows.temp(table)) RETURNING \(list)") { row in
                d.toggle(StateDigest.Digest.row(table, row.values, with: hasher))
            }
        }
        return d
    }
}
