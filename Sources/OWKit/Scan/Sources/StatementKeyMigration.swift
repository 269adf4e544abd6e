import OWCore
import OWOffice
import OWReaders

extension StatementIdentity {
    /// Migration 18: every remembered key of a statement line from before identities is
    /// rewritten (and the old one dropped). Re-runnable: a key already rewritten is no old key.
    package static func migrate(_ db: Database) throws {
        let old = try db.query("SELECT key FROM seen_items WHERE key GLOB 'stmt:[0-9]*'").map { try $0.text("key") }
        for key in old {
            guard let new = rekeyed(legacy: key) else { continue }
            try db.run(
                "INSERT OR IGNORE INTO seen_items(key, source_id, seen_at, skipped) SELECT ?, source_id, seen_at, skipped FROM seen_items WHERE key = ?",
                new, key)
            try db.run("DELETE FROM seen_items WHERE key = ?", key)
        }
    }
}
