import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// Items read but not yet written, and (for an mbox) the offset just past the last one.
package struct ScanBatch {
    package let source: ScanSource
    package var items: [ScanItem] = []
    var mboxEnd: Int?
    var startedAt = MessageBudget.now()
    /// Merchants nobody registered with new card lines: the recurring-charge detector looks at them when the source is done.
    var merchants = Set<String>()

    /// Items per write: on PostgreSQL each statement is a round trip, so a batch of 1,000 held
    /// the write lock for seconds (a writer with a 3 s busy timeout got exit 75); 100 hold it
    /// about as long as SQLite's 1,000.
    var maxItems = 1000
    static let maxNanoseconds: UInt64 = 500_000_000
    /// How long one write transaction of a batch may go on before it commits and another takes
    /// the rest: a writer waiting for the lock (3 s at the least) gets in between.
    static let maxWriteNanoseconds: UInt64 = 1_000_000_000
    /// Items marked seen (`SeenItems.mark`) and written between two looks at the clock.
    static let itemsPerStep = 50

    package init(source: ScanSource, postgres: Bool = false) {
        self.source = source
        if postgres { maxItems = 100 }
    }

    var isFull: Bool { items.count >= maxItems || MessageBudget.now() - startedAt > ScanBatch.maxNanoseconds }

    /// Writes the items with the source's progress, in transactions of at most about a second
    /// each (at load on PostgreSQL, 100 items' round trips held the write lock past a writer's
    /// 3 s wait); joins the dry run's transaction when there is one. A scan killed between two
    /// of them kept the first: its items are seen, the mbox offset is the old one, and the next
    /// scan passes over them.
    package mutating func write(_ context: ScanContext, result: inout ScanResult, finished: Bool = false) throws {
        var rest = items[...]
        if !rest.isEmpty || mboxEnd != nil || finished {
            repeat {
                // The transaction's work on copies, kept once it commits: a retried one starts over.
                (result, merchants, rest) = try context.session.write {
                    try writeSome(rest, context, result: result, merchants: merchants, finished: finished)
                }
            } while !rest.isEmpty
        }
        items = []
        mboxEnd = nil
        startedAt = MessageBudget.now()
    }

    /// One transaction: items, a few at a time, until they are all written or it has run
    /// `maxWriteNanoseconds`; with the last of them, the source's progress. Returns what is left.
    private func writeSome(
        _ items: ArraySlice<ScanItem>, _ context: ScanContext, result: ScanResult, merchants: Set<String>, finished: Bool
    ) throws -> (ScanResult, Set<String>, ArraySlice<ScanItem>) {
        let session = context.session
        let started = MessageBudget.now()
        var (result, merchants, rest) = (result, merchants, items)
        var matcher = try Matcher(session: session, index: context.index)
        let (chargesBefore, skippedBefore) = (result.charges, result.skipped)
        let seenAt = Time.rfc3339(session.now)
        var written = 0
        while !rest.isEmpty && (written == 0 || MessageBudget.now() - started < ScanBatch.maxWriteNanoseconds) {
            let part = Array(rest.prefix(ScanBatch.itemsPerStep))
            let fresh = try SeenItems.mark(part, sourceID: source.id, at: seenAt, session.db)
            for (item, isNew) in zip(part, fresh) { try ScanBatch.apply(item, isNew: isNew, matcher: &matcher, result: &result) }
            for case .merchantLine(let l) in part.map(\.outcome) { merchants.insert(l.merchant.key) }
            rest = rest.dropFirst(part.count)
            written += part.count
        }
        if rest.isEmpty {
            if finished { try matcher.detectSubscriptions(merchants) }
            if let end = mboxEnd {
                try session.db.run(
                    "UPDATE scan_sources SET read_offset = ?, read_check = ? WHERE id = ?",
                    end, MboxReader.check(path: source.path, offset: end), source.id)
            }
            if finished {
                try session.db.run("UPDATE scan_sources SET last_scan = ? WHERE id = ?", Time.rfc3339(session.now), source.id)
            }
        }
        let found = try matcher.newFindings()
        result.findings += found
        // What the scan wrote goes into the audit chain (its rows into the state digest).
        if AuditLog.hasUnrecordedChanges(session.db) {
            try session.audit(
                "scan.write", "source:\(source.path)",
                .obj([
                    ("charges", .int(Int64(result.charges - chargesBefore))), ("items", .int(Int64(written))),
                    ("skipped", .int(Int64(result.skipped - skippedBefore))), ("findings", .array(found.map { .int($0.id) })),
                ]))
        }
        return (result, merchants, rest)
    }

    /// Writes one item `SeenItems.mark` marked seen: records its charge, unless it was seen
    /// before (`isNew` false), or what else it was.
    static func apply(_ item: ScanItem, isNew: Bool, matcher: inout Matcher, result: inout ScanResult) throws {
        let db = matcher.session.db
        guard let key = item.key else { return }
        guard isNew else {
            result.alreadySeen += 1
            return
        }
        switch item.outcome {
        case .charge(let charge):
            do {
                switch try matcher.record(charge) {
                case .new: result.charges += 1
                case .seen: result.alreadySeen += 1
                case .held: break  // a review finding, among the run's findings
                }
            } catch  where LedgerTotals.isChargesOverflow(error) {
                // Refused by the ledger's bound on its total (the statement was undone, the batch
                // goes on): bad data, named like an amount too large to be true, and not read again.
                let why = (error as? OWError)?.message ?? "\(error)"
                try db.run("UPDATE seen_items SET skipped = ? WHERE key = ?", why, key)
                result.skipped += 1
                result.badLines.append(
                    "\(item.place ?? "\(charge.vendor.name) \(charge.amount.display) (\(String(charge.description.prefix(60))))"): \(why)")
            }
        case .notACharge(let fromVendor):
            if fromVendor { result.notCharges += 1 }
        case .unknownVendor(let spend):
            try matcher.recordUnknown(spend)
        case .merchantLine(let line):
            if try matcher.recordMerchantLine(line) == .new { result.charges += 1 }
        case .trial(let vendor, let ends, let subject):
            result.notCharges += 1  // not a charge yet
            try matcher.recordTrial(vendor, ends: ends, subject: subject)
        case .unread(let unread, let vendor, let subject):
            try matcher.recordUnread(unread, vendor: vendor, subject: subject, key: key)
        case .skipped:
            break
        }
    }
}
