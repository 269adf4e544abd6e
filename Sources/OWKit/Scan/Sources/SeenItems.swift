import FoundationEssentials
import OWCore
import OWOffice

/// The messages, files and lines a scan has read (`seen_items`), marked a batch at a time.
enum SeenItems {
    /// Keys per lookup: within SQLite's and PostgreSQL's bound parameters, a batch in one or two.
    static let keysPerLookup = 500

    /// Marks every item of a batch seen (its file's key, then its own) in a few statements where a
    /// statement per item was a round trip each on PostgreSQL. Returns, per item, whether its key
    /// was new: not in the ledger before (a concurrent scan may have written it) nor earlier in the batch.
    static func mark(_ items: [ScanItem], sourceID: Int64, at: String, _ db: Database) throws -> [Bool] {
        var known = try existing(items.flatMap { [$0.fileKey, $0.key].compactMap { $0 } }, db)
        var values: [SQLValue] = []
        var fresh: [Bool] = []
        fresh.reserveCapacity(items.count)
        for item in items {
            if let fileKey = item.fileKey, known.insert(fileKey).inserted {
                values += [.text(fileKey), .int(sourceID), .text(at), .null]
            }
            guard let key = item.key, known.insert(key).inserted else {
                fresh.append(false)
                continue
            }
            var skipped = SQLValue.null
            if case .skipped(let why) = item.outcome { skipped = .text(why) }
            values += [.text(key), .int(sourceID), .text(at), skipped]
            fresh.append(true)
        }
        if !values.isEmpty {
            try db.insertRows(
                into: "seen_items(key, source_id, seen_at, skipped)", width: 4, values: values, tail: "ON CONFLICT(key) DO NOTHING")
        }
        return fresh
    }

    /// Which of `keys` the ledger holds already.
    static func existing(_ keys: [String], _ db: Database) throws -> Set<String> {
        var found = Set<String>()
        var start = 0
        while start < keys.count {
            let part = Array(keys[start..<min(start + keysPerLookup, keys.count)])
            let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
            for row in try db.query("SELECT key FROM seen_items WHERE key IN (\(marks))", arguments: part) {
                found.insert(try row.text("key"))
            }
            start += part.count
        }
        return found
    }
}
