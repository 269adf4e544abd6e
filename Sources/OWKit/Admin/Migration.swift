import FoundationEssentials
import Glibc
import OWChannel
import OWCore
import OWIdentity
import OWOffice
import OWReports

/// `owatch migrate --to`: the whole ledger copied to another backend (issue 35), a SQLite file
/// or an empty PostgreSQL database, in one transaction on the target. The source's chain and
/// state digest are checked first; the target's are checked inside its transaction before it
/// commits (same head, same digest), so a copy that does not match is never left behind.
public enum Migration {
    public struct Result: Sendable {
        public let target: String
        public let tables: Int
        public let rows: Int
        public let events: Int
        public let head: String?
        public let digest: String
    }

    /// Rows per INSERT batch held in memory at once.
    static let batchRows = 2000

    public static func copy(_ session: Session, to destination: String) throws -> Result {
        let location = LedgerLocation(destination)
        let source = session.ledger
        if let path = location.filePath, absolute(path) == absolute(source.path) {
            throw OWError.usage("--to names the ledger itself")
        }
        let plan = try CopyPlan.current()
        let result = try source.db.read {
            let expected = try sourceCheck(source)
            switch location {
            case .sqlite(let path): return try SQLiteTarget.copy(source, plan: plan, to: path, expect: expected)
            case .postgres(let url): return try PostgresTarget.copy(source, plan: plan, to: url, expect: expected)
            }
        }
        // Recorded on the source after the copy: the copy holds the chain as it was, head for head.
        try session.write {
            try session.audit(
                "ledger.migrate", "ledger:\(location.display)",
                .obj([("events", .int(Int64(result.events))), ("rows", .int(Int64(result.rows)))]))
        }
        return result
    }

    /// What the copy must reproduce: the chain's head and the audited tables' digest.
    struct Expected {
        let events: Int
        let head: String?
        let digest: String
    }

    static func sourceCheck(_ ledger: Ledger) throws -> Expected {
        let chain = try AuditLog.verify(ledger)
        if let problem = chain.problem {
            throw OWError.badData(
                "the ledger's audit chain does not verify: \(problem); nothing was copied", hint: "run `owatch audit verify`")
        }
        let state = try AuditLog.verifyState(ledger)
        if let problem = state?.problem {
            throw OWError.badData("\(problem); nothing was copied", hint: "run `owatch audit verify --state`")
        }
        // The tables were just found to match the last event's digest: that digest is theirs.
        let recorded = try state.flatMap { _ in
            try ledger.db.one("SELECT state FROM events ORDER BY seq DESC LIMIT 1")?.lenientText("state")
        }
        return Expected(events: chain.events, head: chain.head, digest: try recorded ?? StateDigest.recompute(ledger.db).hex)
    }

    /// Checks the target inside its transaction: the chain verifies to the same head, the state too.
    static func targetCheck(_ db: Database, expect: Expected, rows: Int, tables: Int, display: String) throws -> Result {
        let copy = try Ledger.wrapping(db)
        let chain = try AuditLog.verify(copy)
        // The same events to the same head, and tables of the digest the source's last event records:
        // `audit verify --state` holds on the copy as on the source.
        let digest = try StateDigest.recompute(db).hex
        guard chain.ok, chain.head == expect.head, chain.events == expect.events, digest == expect.digest else {
            let why = chain.problem ?? (digest != expect.digest ? "the state digest differs" : "the chain's head differs")
            throw OWError(.io, "the copy at \(display) does not match the ledger (\(why)); it was rolled back")
        }
        return Result(target: display, tables: tables, rows: rows, events: chain.events, head: chain.head, digest: digest)
    }

    /// Every table's rows into the target (whose triggers are off), in dependency order, streamed:
    /// a PostgreSQL source through a cursor, a PostgreSQL target through COPY, batched otherwise,
    /// so memory stays flat however many rows a table holds.
    static func copyRows(_ plan: CopyPlan, from source: Database, to target: Database) throws -> Int {
        for table in plan.tables.reversed() {
            try target.run("DELETE FROM \(quoted(table.name))")  // the rows the schema seeds
        }
        var total = 0
        for table in plan.tables {
            let names = table.columns.map(quoted)
            let width = table.columns.count
            let select = "SELECT \(names.joined(separator: ", ")) FROM \(quoted(table.name)) ORDER BY \(table.order)"
            if let pg = target.postgres {
                let copy = try PostgresCopyIn(pg, table: quoted(table.name), columns: names)
                try stream(select, from: source) { try copy.add($0.values[...]) }
                try copy.finish()
                total += copy.rows
                continue
            }
            let into = "\(quoted(table.name))(\(names.joined(separator: ", ")))"
            var batch: [SQLValue] = []
            try stream(select, from: source) { row in
                batch += row.values
                total += 1
                if batch.count >= batchRows * width {
                    try target.insertRows(into: into, width: width, values: batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try target.insertRows(into: into, width: width, values: batch) }
        }
        return total
    }

    /// A query's rows one at a time (a cursor on PostgreSQL: `Database.stream`).
    static func stream(_ select: String, from source: Database, each: (Row) throws -> Void) throws {
        try source.stream(select, batch: batchRows, each)
    }

    static func quoted(_ name: String) -> String { "\"" + name + "\"" }
    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
}

/// The ledger's tables as this owatch's schema has them, parents before children (foreign keys).
struct CopyPlan {
    struct Table {
        let name: String
        let columns: [String]
        /// The ORDER BY that reads rows as they were written: the primary key, else the rowid.
        let order: String
        /// The single INTEGER PRIMARY KEY column (an identity column on PostgreSQL), if any.
        let identity: String?
    }

    let tables: [Table]

    static func current() throws -> CopyPlan {
        let scratch = try Database(path: ":memory:", create: true)
        try Ledger.migrate(scratch, services: .office)
        var tables: [String: Table] = [:]
        var parents: [String: Set<String>] = [:]
        let names = try scratch.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY rowid")
            .map { try $0.text("name") }
        for name in names {
            let info = try scratch.query("SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", name)
            let keys = info.filter { $0.lenientInteger("pk") > 0 }.sorted { $0.lenientInteger("pk") < $1.lenientInteger("pk") }
            let keyNames = keys.map { $0.lenientText("name") }
            let identity = keys.count == 1 && keys[0].lenientText("type").uppercased() == "INTEGER" ? keyNames.first : nil
            tables[name] = Table(
                name: name, columns: info.map { $0.lenientText("name") },
                order: keyNames.isEmpty ? "rowid" : keyNames.map(Migration.quoted).joined(separator: ", "), identity: identity)
            parents[name] = Set(try scratch.query("SELECT \"table\" AS t FROM pragma_foreign_key_list(?)", name).map { try $0.text("t") })
                .subtracting([name])
        }
        var ordered: [Table] = []
        var placed: Set<String> = []
        while ordered.count < names.count {
            let ready = names.filter { !placed.contains($0) && parents[$0, default: []].isSubset(of: placed) }
            guard !ready.isEmpty else { throw OWError(.badData, "the ledger's tables reference each other in a cycle") }
            for name in ready {
                ordered.append(tables[name]!)
                placed.insert(name)
            }
        }
        return CopyPlan(tables: ordered)
    }
}
