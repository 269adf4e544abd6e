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

    /// The trigger function and each table's three statement triggers (one event each: PostgreSQL
    /// gives transition tables only to those). Re-runnable: `CREATE OR REPLACE`.
    package static func schemaObjects(tables: [String]) -> [String] {
        var out = [
            """
            CREATE OR REPLACE FUNCTION owatch_state_rows() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF current_setting('owatch.state_rows', true) = 'on' THEN
                    IF TG_OP <> 'INSERT' THEN
                        EXECUTE format('INSERT INTO pg_temp.%I SELECT * FROM owatch_old', 'owatch_rows_' || TG_TABLE_NAME);
                    END IF;
                    IF TG_OP <> 'DELETE' THEN
                        EXECUTE format('INSERT INTO pg_temp.%I SELECT * FROM owatch_new', 'owatch_rows_' || TG_TABLE_NAME);
                    END IF;
                END IF;
                RETURN NULL;
            END $fn$
            """
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
        try StateDigest.tables.filter { try db.scalar("SELECT count(*) FROM pragma_table_info(?)", $0) > 0 }
    }

    /// Sets this session up: the triggers when the ledger lacks them (one made by an owatch
    /// before them), a TEMP table per described table, then the setting that makes the triggers copy.
    init(_ db: Database) throws {
        guard let pg = db.postgres else { preconditionFailure("PostgresStateRows on a SQLite ledger") }
        self.db = db
        self.pg = pg
        let tables = try PostgresStateRows.describedTables(db)
        columns = try tables.map { table in
            let names = try db.query("SELECT name FROM pragma_table_info(?)", table).map { try $0.text("name") }
            return (table, names.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        touchedQuery = tables.map { "SELECT '\($0)' AS t WHERE EXISTS (SELECT 1 FROM \(PostgresStateRows.temp($0)))" }
            .joined(separator: " UNION ALL ")
        try PostgresStateRows.ensureTriggers(pg, tables: tables)
        try pg.exec(
            tables.map { "CREATE TEMP TABLE IF NOT EXISTS owatch_rows_\($0) AS SELECT * FROM \"\($0)\" WITH NO DATA; " }.joined()
                + "SET owatch.state_rows = 'on'")
    }

    private static func ensureTriggers(_ pg: PostgresStorage, tables: [String]) throws {
        var present: Int64 = 0
        try pg.runNative(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                + "WHERE t.tgname LIKE 'owatch\\_state\\_%' AND c.relnamespace = current_schema()::regnamespace"
        ) { present = try $0.integer(0) }
        guard present < tables.count * 3 else { return }
        // Under the write lock: two owatch processes must not create them at once.
        try pg.beginWrite()
        do {
            for statement in schemaObjects(tables: tables) { try pg.exec(statement) }
            try pg.commit()
        } catch {
            pg.rollback()
            throw error
        }
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
