import FoundationEssentials

extension PostgresStorage {
    /// `before` (statements without parameters) and then the statement, in one round trip (libpq's
    /// pipeline mode): a write inside a transaction sets its savepoint this way, where it cost a
    /// round trip of its own (a quarter of a scan's). The statement's result is returned (the
    /// caller clears it); a failure of `before` throws, and the statement did not run. `prepared`:
    /// the name the statement was prepared as (`PostgresPrepared`), or nil.
    func pipelined(
        _ p: LibPQ.Pipeline, _ before: [String], _ sql: String, _ prepared: String?, _ types: [UInt32],
        _ values: [UnsafePointer<CChar>?], _ lengths: [Int32], _ formats: [Int32]
    ) throws -> OpaquePointer? {
        let count = Int32(types.count)
        guard p.enter(connection) == 1 else {
            try exec(before.joined(separator: "; "))
            if let prepared { return pq.execPrepared(connection, prepared, count, values, lengths, formats, 0) }
            return pq.execParams(connection, sql, count, types, values, lengths, formats, 0)
        }
        defer { _ = p.exit(connection) }
        var sent = true
        for statement in before { sent = sent && p.sendQueryParams(connection, statement, 0, nil, nil, nil, nil, 0) == 1 }
        if let prepared {
            sent = sent && p.sendQueryPrepared(connection, prepared, count, values, lengths, formats, 0) == 1
        } else {
            sent = sent && p.sendQueryParams(connection, sql, count, types, values, lengths, formats, 0) == 1
        }
        sent = sent && p.sync(connection) == 1
        var failure: Error?
        var last: OpaquePointer?
        // Each statement's results end with a nil; the sync point's result ends the pipeline.
        while let r = p.getResult(connection) {
            if pq.resultStatus(r) == LibPQ.pipelineSync {
                pq.clear(r)
                break
            }
            if let previous = last {
                if failure == nil {
                    do { try check(previous, sql: before.first ?? sql) } catch { failure = error }
                }
                pq.clear(previous)
            }
            last = r
            while let extra = p.getResult(connection) { pq.clear(extra) }
        }
        if let failure {
            pq.clear(last)
            throw failure
        }
        guard sent else {
            pq.clear(last)
            throw OWError(.unavailable, "lost the connection to the PostgreSQL ledger \(location) while sending a statement")
        }
        return last
    }
}
