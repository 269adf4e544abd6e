import FoundationEssentials

extension Database {
    /// A query's rows one at a time, in bounded memory. libpq holds a whole result in memory, so on
    /// PostgreSQL the rows come through a cursor, `batch` at a time, inside a read transaction (the
    /// caller's, if one is open); SQLite steps through its rows anyway.
    package func stream(_ select: String, batch: Int = 5_000, _ each: (Row) throws -> Void) throws {
        guard isPostgres else { return try forEach(select, each) }
        try read {
            try execute("DECLARE owatch_rows NO SCROLL CURSOR FOR \(select)")
            defer { try? execute("CLOSE owatch_rows") }
            var fetched = batch
            while fetched == batch {
                fetched = 0
                try forEach("FETCH \(batch) FROM owatch_rows") { row in
                    fetched += 1
                    try each(row)
                }
            }
        }
    }
}
