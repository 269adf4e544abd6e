import FoundationEssentials

/// The statements a connection runs again and again (a scan's seen-item lookups, the matcher's
/// query per charge, its inserts: thousands of times each) parsed and planned once on the server.
/// A statement is prepared on its second successful run with the same parameter types, and later
/// runs only bind and execute; a statement run once, as most of a command's are, costs what it did.
struct PostgresPrepared {
    struct Key: Hashable {
        let sql: String
        let types: [UInt32]
    }

    /// Statements kept per connection at most: a generated text (a multi-row insert of a
    /// varying size) must not fill the server's memory.
    static let limit = 256
    /// Run once successfully; prepared if run again.
    var ranOnce: Set<Key> = []
    var names: [Key: String] = [:]
}

extension PostgresStorage {
    /// The name of the prepared statement to run `key` as, preparing it now if it ran before;
    /// nil: run it unprepared (its first run, too many prepared already, or the server would not).
    func preparedName(_ key: PostgresPrepared.Key) -> String? {
        if let name = prepared.names[key] { return name }
        guard prepared.ranOnce.contains(key), prepared.names.count < PostgresPrepared.limit else { return nil }
        let name = "owatch_\(prepared.names.count)"
        let result = pq.prepare(connection, name, key.sql, Int32(key.types.count), key.types)
        defer { pq.clear(result) }
        guard pq.resultStatus(result) == LibPQ.commandOK else { return nil }
        prepared.names[key] = name
        return name
    }

    /// After a successful run: the next one prepares it.
    func ranSuccessfully(_ key: PostgresPrepared.Key) {
        if prepared.names[key] == nil, prepared.ranOnce.count < 4 * PostgresPrepared.limit { prepared.ranOnce.insert(key) }
    }

    /// The schema changed (a migration): plans and result columns may differ, so prepare again.
    func forgetPrepared() {
        if !prepared.names.isEmpty { try? exec("DEALLOCATE ALL") }
        prepared = PostgresPrepared()
    }
}
