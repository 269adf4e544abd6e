import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// A statement source read as the scan reads it: its text, its lines in order, each a `ScanItem`.
enum StatementSource {
    /// A statement's text, in the charset its bytes, its `--map charset=` or the locale say (`StatementCharset`).
    static func statementText(_ bytes: [UInt8], name: String, map: String?) throws -> String {
        try StatementCharset.text(bytes, name: name, charset: StatementMap(map).charset, environment: ProcessInfo.processInfo.environment)
            .text
    }

    /// The largest statement read: a year of a busy card is well under a megabyte.
    static let maxStatementBytes = 32 << 20

    static func read(
        _ source: ScanSource, _ context: ScanContext, name: String, result: inout ScanResult,
        emit: (ScanItem, _ mboxEnd: Int?, inout ScanResult) throws -> Void
    ) throws {
        let bytes: [UInt8]
        switch MailFiles.read(source.path, maxBytes: maxStatementBytes) {
        case .unreadable: throw OWError(.missingInput, "cannot read \(source.path)")
        case .tooLarge(let size):
            result.skipped += 1
            result.warnings.append(
                "\(name): skipped: \(size) bytes, larger than the \(maxStatementBytes >> 20) MB a statement may be; split it")
            return
        case .bytes(let b): bytes = b
        }
        // A statement that stopped a scan is known by its bytes' hash, and skipped whole.
        let key = "stopped:\(source.id):sha256:\(Crypto.hex(Crypto.sha256(bytes)))"
        if try context.seen(key) { return }  // counted and said when the dead scan was found
        if context.stoppedOn.contains(key) {
            result.skipped += 1
            result.warnings.append("\(name): skipped: \(StoppedItems.reason)")
            return
        }
        let statement = try context.journal.reading(slot: 0, sourceID: source.id, key: key, place: name) {
            #if DEBUG
                TestFault.reading(bytes)
            #endif
            return try StatementReader.read(
                try statementText(bytes, name: name, map: source.map), map: source.map, index: context.index,
                defaultCurrency: context.currency)
        }
        result.skipped += statement.skipped
        if statement.skipped > 0 { result.warnings.append("\(name): skipped \(statement.skipped) unreadable line(s)") }
        for bad in statement.badLines {
            if try context.seen(bad.key) { continue }
            result.badLines.append("\(name) line \(bad.line): \(bad.why)")
            try emit(ScanItem.skip(bad.key, "\(name) line \(bad.line)", bad.why, result: &result), nil, &result)
        }
        // Oldest first, and a day's spend before its money back: banks often list newest first, and
        // a refund is linked to the charge it pays back only once that charge is there.
        let inOrder = statement.lines.enumerated().sorted {
            ($0.element.date, $0.element.amount.minor < 0 ? 1 : 0, $0.offset) < (
                $1.element.date, $1.element.amount.minor < 0 ? 1 : 0, $1.offset
            )
        }.map(\.element)
        for l in inOrder {
            // Known by its identity, from whichever file (or by the key a ledger from before identities kept).
            if try context.seen(l.key) || (context.legacyStatementKeys && StatementIdentity.legacy(of: l.key).map(context.seen) == true) {
                result.alreadySeen += 1
                result.statementLinesKnown += 1
                continue
            }
            result.messages += 1
            let outcome: ScanItem.Outcome
            switch l.payee {
            case .vendor(let vendor):
                outcome = .charge(
                    ObservedCharge(
                        key: l.key, origin: "statement", vendor: vendor, amount: l.amount, on: l.date, invoiceNo: nil, period: nil,
                        description: l.description))
            case .merchant(let merchant):
                outcome = .merchantLine(
                    MerchantLine(key: l.key, merchant: merchant, on: l.date, amount: l.amount, description: l.description))
            }
            try emit(ScanItem(key: l.key, fileKey: nil, outcome: outcome, place: "\(name) line \(l.line)"), nil, &result)
        }
    }
}
