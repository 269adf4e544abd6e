import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// `scan inspect`: what the scan would make of one file, read as the scan reads it.
public enum Inspection {
    /// Every row of one statement file as the scan reads it, with the vendor each pays (for
    /// `scan inspect`).
    public static func statement(_ session: Session, path: String, map: String?) throws -> (
        StatementFile, [(StatementRow, Vendor?)]
    ) {
        let bytes = try read(path, maxBytes: StatementSource.maxStatementBytes) { "\(path) is \($0) bytes, larger than a statement may be" }
        let index = try VendorIndex(session.db)
        let file = try StatementReader.rows(
            StatementSource.statementText(bytes, name: path, map: map), map: map, index: index,
            defaultCurrency: try Currency.parse(session.ledger.currency),
            sourceKey: "inspect")
        return (file, file.rows.map { ($0, StatementReader.vendor(of: $0, index)) })
    }

    /// What the scan would make of one message file (for `scan inspect`), read within the
    /// same limits as a scan.
    public static func message(_ session: Session, path: String) throws -> (MailMessage, Receipt) {
        let limits = try ScanLimits.configured(session.ledger)
        let bytes = try read(path, maxBytes: limits.maxMessageBytes) { "\(path) is not read: \(ScanLimits.tooLarge($0, limits))" }
        let budget = MessageBudget(limits)
        do {
            // A PDF on its own (an invoice saved from a portal) is read as a message carrying it.
            let message =
                PDFText.isPDF(bytes)
                ? try MIME.parse(StandaloneDocument.pdfMessage(bytes, name: Path.lastComponent(path)), budget: budget)
                : try MIME.parse(StandaloneDocument.documentMessage(bytes, name: Path.lastComponent(path)) ?? bytes, budget: budget)
            // Text without headers is read as a body (as Python's email does); empty or binary is no message.
            if message.root.headers.isEmpty && (bytes.isEmpty || StandaloneDocument.looksBinary(bytes)) {
                throw OWError.badData(
                    "\(path) is not an email message (\(bytes.isEmpty ? "it is empty" : "it is binary"))",
                    hint: "scan inspect reads one message: a .eml file, or one message cut from a mailbox")
            }
            var receipt = try ReceiptReader.read(
                message, index: try VendorIndex(session.db), defaultCurrency: try Currency.parse(session.ledger.currency),
                budget: budget)
            receipt.noteUnreadPDFs(message)
            return (message, receipt)
        } catch let over as OverBudget {
            throw OWError.badData("\(path): the message \(over.reason)")
        }
    }

    /// The file's bytes, at most `maxBytes`; a missing, unreadable or larger file is an error
    /// (`tooLarge` words the last, given the size).
    static func read(_ path: String, maxBytes: Int, tooLarge: (Int) -> String) throws -> [UInt8] {
        switch MailFiles.read(path, maxBytes: maxBytes) {
        case .unreadable:
            throw OWError(
                FileSystem.exists(path) ? .io : .missingInput, FileSystem.exists(path) ? "cannot read \(path)" : "no file \(path)")
        case .tooLarge(let size): throw OWError.badData(tooLarge(size))
        case .bytes(let b): return b
        }
    }
}
