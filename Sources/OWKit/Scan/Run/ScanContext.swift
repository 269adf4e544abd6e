import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// What a scan reads with: the ledger, the catalog, the limits, and where progress goes.
package struct ScanContext {
    package let session: Session
    package let index: VendorIndex
    package let currency: Currency
    let limits: ScanLimits
    package let progress: ((String) -> Void)?
    let snapshot: ReadSnapshot
    /// Where the scan marks the messages it is reading.
    package let journal: ReadingJournal
    /// A dry run's messages a dead scan stopped on (a real scan remembers them in seen_items first).
    let stoppedOn: Set<String>
    /// Whether the ledger remembers statement lines by migration 18's rewrite of old keys: only
    /// then does a line need its second lookup (most ledgers never had one).
    let legacyStatementKeys: Bool

    var reading: MailReading { MailReading(index: index, currency: currency, limits: limits, journal: journal) }

    package func seen(_ key: String) throws -> Bool {
        try snapshot.open()
        return try session.db.one("SELECT 1 AS x FROM seen_items WHERE key = ?", key) != nil
    }
}

/// Reading between two batch writes happens in one read transaction: a lookup outside one
/// starts and ends its own (the WAL read lock, each time), which was a tenth of a first scan.
/// Closed before every write, which needs its own BEGIN IMMEDIATE; at most a batch (half a
/// second of reading) long, so it never holds a checkpoint back for long.
package final class ReadSnapshot {
    private let db: Database
    private var isOpen = false
    package init(_ db: Database) { self.db = db }

    package func open() throws {
        guard !isOpen, !db.isInTransaction else { return }
        try db.execute("BEGIN DEFERRED")
        isOpen = true
    }

    package func close() {
        guard isOpen else { return }
        isOpen = false
        if db.isInTransaction { try? db.execute("COMMIT") }
    }
}
