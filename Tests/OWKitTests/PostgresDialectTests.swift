import XCTest

@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWRemote
@testable import OWReports

/// The SQLite → PostgreSQL translation (issue 35), statement by statement; the e2e tests
/// (test_postgres.py) run the result on a real server.
final class PostgresDialectTests: XCTestCase {
    let dialect = PostgresDialect(primaryKey: { $0 == "license_terms" ? ["license_id"] : [] }, hasIdentity: { $0 == "licenses" })

    func sql(_ s: String) -> String { dialect.translate(s).sql }

    func testParametersAreNumberedPerOccurrence() {
        let t = dialect.translate("SELECT * FROM events WHERE (?1 IS NULL OR action = ?1) AND seq > ?")
        XCTAssertEqual(t.sql, "SELECT * FROM events WHERE ($1 IS NULL OR action = $2) AND seq > $3")
        XCTAssertEqual(t.parameters.map(\.argument), [0, 0, 1])
        XCTAssertEqual(t.parameters.map(\.textual), [true, false, false])
    }

    func testInsertOrIgnoreAndReplace() {
        XCTAssertEqual(
            sql("INSERT OR IGNORE INTO seen_items(key) VALUES (?)"), "INSERT INTO seen_items(key) VALUES ($1) ON CONFLICT DO NOTHING")
        XCTAssertEqual(
            sql("INSERT OR REPLACE INTO license_terms(license_id, notice) VALUES (?,?)"),
            "INSERT INTO license_terms(license_id, notice) VALUES ($1,$2) ON CONFLICT (license_id) DO UPDATE SET notice = EXCLUDED.notice")
        let t = dialect.translate("INSERT INTO licenses(name) VALUES (?)")
        XCTAssertTrue(t.returnsID && t.sql.hasSuffix(" RETURNING id"))
    }

    func testUpsertColumnsAreQualified() {
        XCTAssertEqual(
            sql("INSERT INTO m(k, n) VALUES (?, 1) ON CONFLICT(k) DO UPDATE SET n = n + excluded.n"),
            "INSERT INTO m(k, n) VALUES ($1, 1) ON CONFLICT(k) DO UPDATE SET n = m.n + excluded.n")
    }

    func testFunctionsAndOperators() {
        XCTAssertEqual(sql("SELECT date(?, '-3 days')"), "SELECT to_char(CAST($1 AS date) + (-3), 'YYYY-MM-DD')")
        XCTAssertEqual(sql("SELECT iif(a IS NULL, 1, 2)"), "SELECT (CASE WHEN a IS NULL THEN 1 ELSE 2 END)")
        XCTAssertEqual(sql("SELECT max(a, b), max(c) FROM t"), "SELECT greatest(a, b), max(c) FROM t")
        XCTAssertEqual(sql("SELECT 1 WHERE a IS NOT b AND c IS d"), "SELECT 1 WHERE a IS DISTINCT FROM b AND c IS NOT DISTINCT FROM d")
        XCTAssertEqual(sql("SELECT 1 WHERE name LIKE ? ESCAPE '\\'"), "SELECT 1 WHERE name ILIKE $1 COLLATE \"C\" ESCAPE '\\'")
        XCTAssertEqual(
            sql("SELECT key FROM seen_items WHERE key GLOB 'stmt:[0-9]*'"),
            "SELECT key FROM seen_items WHERE key ~ '^stmt:[0-9].*$' COLLATE \"C\"")
        XCTAssertEqual(sql("SELECT CAST(x AS INTEGER) FROM main.t"), "SELECT CAST(x AS bigint) FROM t")
        XCTAssertEqual(sql("PRAGMA user_version"), "SELECT version AS user_version FROM owatch_schema")
        XCTAssertTrue(sql("SELECT value FROM json_each(?)").hasSuffix("AS je(value)) AS pg_json_each"))
    }

    func testJoinsAndReservedNames() {
        XCTAssertEqual(
            sql("SELECT u.name AS user FROM seats s CROSS JOIN users u ON u.id = s.user_id CROSS JOIN t"),
            "SELECT u.name AS \"user\" FROM seats s JOIN users u ON u.id = s.user_id CROSS JOIN t")
    }

    func testNumbersAsConditions() {
        XCTAssertEqual(sql("SELECT a FROM t WHERE 1 AND b = 2 LIMIT 1"), "SELECT a FROM t WHERE TRUE AND b = 2 LIMIT 1")
    }

    func testTriggersBecomePLpgSQL() {
        let out = PostgresSchema.trigger(
            "CREATE TRIGGER t_u BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'append-only'); END", name: "t_u", dialect: dialect)
        XCTAssertEqual(
            out[0],
            "CREATE FUNCTION t_u_fn() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RAISE EXCEPTION 'append-only'; RETURN NEW; END $fn$")
        XCTAssertEqual(out[1], "CREATE TRIGGER t_u BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION t_u_fn()")
    }

    func testRedaction() {
        XCTAssertEqual(LedgerLocation.redact("postgresql://u:p%40ss@db/x?sslmode=require"), "postgresql://u:***@db/x?sslmode=require")
        XCTAssertEqual(LedgerLocation.redact("postgres://db/x?user=u&password=secret&a=b"), "postgres://db/x?user=u&password=***&a=b")
        XCTAssertEqual(LedgerLocation("sqlite:/tmp/l.db"), .sqlite(path: "/tmp/l.db"))
    }

    /// What pg_dump is given: the URL without its password, and the password decoded for PGPASSWORD.
    func testPasswordSplitForPgDump() {
        let user = LedgerLocation.splitPassword("postgresql://u:p%40ss%2F@db/x?sslmode=require")
        XCTAssertEqual(user.url, "postgresql://u@db/x?sslmode=require")
        XCTAssertEqual(user.password, "p@ss/")
        let query = LedgerLocation.splitPassword("postgres://db/x?password=s%3Acret&user=u")
        XCTAssertEqual(query.url, "postgres://db/x?user=u")
        XCTAssertEqual(query.password, "s:cret")
        let last = LedgerLocation.splitPassword("postgres://db/x?user=u&password=pw")
        XCTAssertEqual(last.url, "postgres://db/x?user=u")
        XCTAssertEqual(last.password, "pw")
        XCTAssertNil(LedgerLocation.splitPassword("postgresql://u@db/x").password)
    }
}
