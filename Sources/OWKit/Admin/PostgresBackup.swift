import FoundationEssentials
import Glibc

/// `owatch backup` of a PostgreSQL ledger: `pg_dump` in its custom format (compressed; restored
/// with `pg_restore` into an empty database), taken from a snapshot owatch exports, so the count
/// of audit events it reports is exactly what the dump holds. The password never reaches the
/// command line: pg_dump gets the URL without it and the password in `PGPASSWORD` (libpq's own
/// variable; `~/.pgpass`, `PGPASSFILE` and `PGSERVICE` work as for owatch).
enum PostgresBackup {
    static let format = "pg_dump custom format"
    static let restoreHint = "restore: createdb NEW && pg_restore --no-owner --dbname postgresql://…/NEW FILE"

    static func dump(_ session: Session, url: String, into tmp: String) throws -> Int64 {
        guard let pgDump = Subprocess.find("pg_dump"), let pgRestore = Subprocess.find("pg_restore") else {
            throw OWError(
                .unavailable, "backing up a PostgreSQL ledger needs pg_dump and pg_restore, which are not on PATH",
                hint: "install the Debian package postgresql-client (apt-get install postgresql-client)")
        }
        guard let pg = session.db.postgres else { throw OWError.usage("not a PostgreSQL ledger") }
        let (bare, password) = LedgerLocation.splitPassword(url)
        let env = password.map { ["PGPASSWORD": $0] } ?? [:]
        // One snapshot for pg_dump and for the count of events: the transaction stays open while it runs.
        try pg.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { pg.rollback() }
        let snapshot = try session.db.one("SELECT pg_export_snapshot() AS s")?.text("s") ?? ""
        let events = try session.db.scalar("SELECT count(*) FROM events")
        let dumped = Subprocess.run(
            pgDump, ["--format=custom", "--no-password", "--snapshot=\(snapshot)", "--file=\(tmp)", "--dbname=\(bare)"],
            input: [], timeout: 6 * 3600, extraEnvironment: env)
        try check(dumped, "pg_dump", hiding: password)
        // The archive reads back whole (its table of contents), or the backup is not kept.
        let listed = Subprocess.run(pgRestore, ["--list", tmp], input: [], timeout: 600)
        try check(listed, "pg_restore --list", hiding: password)
        return events
    }

    private static func check(_ result: Subprocess.Result, _ what: String, hiding password: String?) throws {
        guard result.ending != .exited(0) else { return }
        let said = PostgresStorage.hide(password.map { [$0] } ?? [], in: String(decoding: result.stderr.prefix(2000), as: UTF8.self))
        let printable = String(said.unicodeScalars.map { $0.value < 0x20 && $0 != "\n" ? "?" : Character($0) }).trimmed()
        throw OWError(.io, "\(what) failed (\(result.ending)): \(printable)", hint: "the ledger was not changed; no backup was written")
    }
}
