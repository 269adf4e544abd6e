import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// Messages and statements a scan died on (a crash in a reader, a kill), as the reading journal
/// left them: skipped from then on, said, and raised as `unreadable` findings.
public enum StoppedItems {
    /// Why a message a scan died on is skipped from then on (the `seen_items.skipped` it is remembered with).
    public static let reason = "owatch stopped while reading this message"

    /// Remembers each message a dead scan was reading as skipped, with an `unreadable` finding for
    /// the admin, in one transaction.
    static func record(_ dead: [ReadingJournal.Entry], _ session: Session, result: inout ScanResult) throws {
        try session.write {
            let db = session.db
            var found: [Int64] = []
            for entry in dead {
                guard let source = try db.one("SELECT path FROM scan_sources WHERE id = ?", entry.sourceID) else { continue }
                try db.run(
                    "INSERT OR IGNORE INTO seen_items(key, source_id, seen_at, skipped) VALUES (?,?,?,?)", entry.key, entry.sourceID,
                    Time.rfc3339(session.now), reason)
                result.skipped += 1
                result.warnings.append("\(entry.place): skipped: \(reason)\(entry.crashed ? " (it crashed)" : "")")
                let how =
                    entry.crashed
                    ? "it crashed" : "the process was killed after reading it for \(Int(entry.seconds)) s, past the time a message may take"
                if let id = try Findings.record(
                    db, kind: .unreadable, key: "unreadable:\(entry.sourceID):\(entry.key)", vendor: nil, licenseID: nil, chargeID: nil,
                    amount: nil, monthly: nil,
                    summary: "\(entry.place): \(reason) (\(how)); it is skipped from now on and any charge in it is not counted. "
                        + "Keep the message for a bug report; `owatch scan inspect` reads one message alone",
                    now: session.now)
                {
                    found.append(id)
                    result.findings.append(try Findings.get(db, id))
                }
                try session.audit(
                    "scan.stopped", "source:\(try source.text("path"))",
                    .obj([("item", .string(entry.key)), ("crashed", .bool(entry.crashed)), ("findings", .array(found.map { .int($0) }))]))
            }
        }
    }

    /// An mbox message's key for the journal and, once it stopped a scan, for seen_items: its
    /// place and size (known before it is read; a rewritten mbox reads every message again).
    static func key(sourceID: Int64, start: Int, size: Int) -> String { "stopped:\(sourceID):\(start):\(size)" }
}
