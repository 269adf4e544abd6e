import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// What reading a message needs besides its bytes; a worker thread reads with it (never the ledger).
package struct MailReading: Sendable {
    package let index: VendorIndex
    package let currency: Currency
    let limits: ScanLimits
    package let journal: ReadingJournal
}

/// Reads a source's items (mbox messages, message files, statement lines) on every core and
/// hands each over as a `ScanItem`, in the order it was read.
package enum SourceReader {
    package static func read(
        _ source: ScanSource, _ context: ScanContext, result: inout ScanResult,
        emit: (ScanItem, _ mboxEnd: Int?, inout ScanResult) throws -> Void
    ) throws {
        let name = Path.lastComponent(source.path)
        switch source.kind {
        case .mbox: try readMbox(source, context, name: name, result: &result, emit: emit)
        case .maildir, .eml: try readMailFiles(source, context, result: &result, emit: emit)
        default: try StatementSource.read(source, context, name: name, result: &result, emit: emit)
        }
    }

    /// Messages are read this many at a time on every core (or fewer, up to `chunkBytes` of
    /// mail), then written in their order: memory stays that of one chunk.
    static let chunkMessages = 64
    static let chunkBytes = 16 << 20

    static func readMbox(
        _ source: ScanSource, _ context: ScanContext, name: String, result: inout ScanResult,
        emit: (ScanItem, _ mboxEnd: Int?, inout ScanResult) throws -> Void
    ) throws {
        guard let size = InputFile.size(source.path) else {
            throw OWError(.missingInput, "cannot read \(source.path)")
        }
        let offset = try resumeOffset(source, context, size: size)
        guard offset < size else { return }
        let reader = try MboxReader(path: source.path, offset: offset, maxMessageBytes: context.limits.maxMessageBytes)
        let reading = context.reading
        // Messages a dead scan stopped on: known by their place in the mbox, before they are read.
        let stopped = try context.stoppedOn.union(
            context.session.db.query("SELECT key FROM seen_items WHERE source_id = ? AND key LIKE 'stopped:%'", source.id).map {
                try $0.text("key")
            })
        var n = 0
        let sourceID = source.id
        try Pipeline<MboxChunk>.run(ahead: 4) { put in
            var reader = reader
            var chunk: [(MboxEntry, place: String)] = []
            var bytes = 0
            var more = true
            var count = 0
            while more {
                if let entry = reader.next() {
                    count += 1
                    let start: Int
                    switch entry {
                    case .message(let mail, let s, _):
                        bytes += mail.bytes.count
                        start = s
                    case .oversized(let s, _, _): start = s
                    }
                    chunk.append((entry, "\(name) message \(count) (byte \(start))"))
                    if chunk.count < chunkMessages && bytes < chunkBytes { continue }
                } else {
                    more = false
                }
                let entries = Array(chunk.enumerated()).concurrentMap { slot, item in
                    ReadEntry(item.0, reading, slot: slot, sourceID: sourceID, place: item.place, stopped: stopped)
                }
                let read = MboxChunk(entries: entries, junkBytes: more ? 0 : reader.junkBytes)
                guard put(read) else { return }
                chunk.removeAll(keepingCapacity: true)
                bytes = 0
            }
        } consume: { chunk in
            for entry in chunk.entries {
                n += 1
                switch entry {
                case .message(let read, let start, let end):
                    try emit(
                        try ScanItem.of(read, place: "\(name) message \(n) (byte \(start))", fileKey: nil, context, result: &result), end,
                        &result)
                case .oversized(let start, let size, let end):
                    result.messages += 1
                    try emit(
                        ScanItem.skip(
                            "oversize:\(source.id):\(start):\(size)", "\(name) message \(n) (byte \(start))",
                            ScanLimits.tooLarge(size, context.limits), result: &result), end, &result)
                case .stopped(let key, let start, let end):
                    result.messages += 1
                    // Remembered as skipped when the dead scan was found (a dry run has it in memory only).
                    if try context.seen(key) {
                        result.alreadySeen += 1
                        try emit(ScanItem(key: nil, fileKey: nil, outcome: .notACharge(fromVendor: false)), end, &result)
                    } else {
                        try emit(
                            ScanItem.skip(key, "\(name) message \(n) (byte \(start))", StoppedItems.reason, result: &result), end, &result)
                    }
                }
            }
            if chunk.junkBytes > 0 { result.warnings.append("\(name): skipped \(chunk.junkBytes) bytes that were not mail") }
        }
    }

    /// Where reading an mbox of `size` bytes starts: where the last scan got to if the mbox only
    /// grew since, else its start.
    static func resumeOffset(_ source: ScanSource, _ context: ScanContext, size: Int) throws -> Int {
        let row = try context.session.db.one("SELECT read_offset, read_check FROM scan_sources WHERE id = ?", source.id)!
        var offset = Int(try row.integer("read_offset"))
        // Grown: read from the old end, if what was read is unchanged. Otherwise read it all again
        // (seen messages are recognised and skipped).
        if try offset > size || (offset > 0 && MboxReader.check(path: source.path, offset: offset) != row.optionalText("read_check")) {
            offset = 0
        }
        return offset
    }

    /// An mbox entry as the reading thread hands it over: read (its bytes are not kept), or too
    /// large to read.
    package enum ReadEntry: Sendable {
        case message(ReadMail, start: Int, end: Int)
        case oversized(start: Int, size: Int, end: Int)
        /// A message a dead scan stopped on: not read again.
        case stopped(key: String, start: Int, end: Int)

        /// Reads the entry in journal slot `slot` (its place in the chunk).
        package init(_ entry: MboxEntry, _ reading: MailReading, slot: Int, sourceID: Int64, place: String, stopped: Set<String>) {
            switch entry {
            case .message(let mail, let start, let end):
                let key = StoppedItems.key(sourceID: sourceID, start: start, size: mail.bytes.count)
                if stopped.contains(key) {
                    self = .stopped(key: key, start: start, end: end)
                } else {
                    self = .message(
                        reading.journal.reading(slot: slot, sourceID: sourceID, key: key, place: place) {
                            ReadMail.read(mail.bytes, reading)
                        },
                        start: start, end: end)
                }
            case .oversized(let start, let size, let end): self = .oversized(start: start, size: size, end: end)
            }
        }
    }

    /// Entries read together; the last chunk of an mbox says how many bytes in it were not mail.
    package struct MboxChunk: Sendable {
        package let entries: [ReadEntry]
        let junkBytes: Int
    }

    static func readMailFiles(
        _ source: ScanSource, _ context: ScanContext, result: inout ScanResult,
        emit: (ScanItem, _ mboxEnd: Int?, inout ScanResult) throws -> Void
    ) throws {
        let files = source.kind == .maildir ? try MailFiles.maildir(source.path) : try MailFiles.eml(source.path)
        // A file a dead scan stopped on is in seen_items already (or, in a dry run, in stoppedOn).
        let unseen = try files.filter { try !context.seen($0.key) && !context.stoppedOn.contains($0.key) }
        result.alreadySeen += files.count - unseen.count
        let reading = context.reading
        let sourceID = source.id
        try Pipeline<[ReadFile]>.run(ahead: 4) { put in
            for start in stride(from: 0, to: unseen.count, by: chunkMessages) {
                let chunk = Array(unseen[start..<min(unseen.count, start + chunkMessages)].enumerated())
                guard
                    put(
                        chunk.concurrentMap { slot, file in
                            ReadFile(path: file.path, key: file.key, reading, slot: slot, sourceID: sourceID)
                        })
                else { return }
            }
        } consume: { chunk in
            for file in chunk {
                switch file.contents {
                case .unreadable:
                    result.skipped += 1
                    result.warnings.append("\(file.path): unreadable")
                case .tooLarge(let size):
                    result.messages += 1
                    try emit(ScanItem.skip(file.key, file.path, ScanLimits.tooLarge(size, context.limits), result: &result), nil, &result)
                case .read(let read):
                    try emit(try ScanItem.of(read, place: file.path, fileKey: file.key, context, result: &result), nil, &result)
                }
            }
        }
    }

    /// A message file as the reading thread hands it over.
    package struct ReadFile: Sendable {
        package enum Contents: Sendable {
            case read(ReadMail)
            case tooLarge(Int)
            case unreadable
        }

        package let path: String
        package let key: String
        package let contents: Contents

        package init(path: String, key: String, _ reading: MailReading, slot: Int, sourceID: Int64) {
            self.path = path
            self.key = key
            switch MailFiles.read(path, maxBytes: reading.limits.maxMessageBytes) {
            case .unreadable: contents = .unreadable
            case .tooLarge(let size): contents = .tooLarge(size)
            case .bytes(let bytes):
                contents = .read(
                    reading.journal.reading(slot: slot, sourceID: sourceID, key: key, place: path) { ReadMail.read(bytes, reading) })
            }
        }
    }
}
