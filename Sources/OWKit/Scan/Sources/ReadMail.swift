import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// What a worker made of one message's bytes, within the message's budget.
package enum ReadMail: Sendable {
    /// Not readable as mail: remembered under the hash of its bytes.
    case unreadable(key: String, why: String)
    /// Parsed: the key that recognises it, its subject, and its receipt or why reading
    /// that ran over the budget.
    case parsed(key: String, subject: String, receipt: Result<Receipt, OverBudget>)
    /// An error that ends the scan, thrown again in the message's turn.
    case failed(any Error)

    /// Parses one message and reads its receipt; touches nothing shared, so it runs on any core.
    static func read(_ bytes: [UInt8], _ reading: MailReading) -> ReadMail {
        #if DEBUG
            TestFault.reading(bytes)
        #endif
        let budget = MessageBudget(reading.limits)
        let contentKey = { "sha256:" + Crypto.hex(Crypto.sha256(bytes)) }
        let message: MailMessage
        do {
            message = try MIME.parse(
                StandaloneDocument.xmlMessage(bytes, name: "e-invoice.xml") ?? StandaloneDocument.htmlMessage(bytes, name: "document.html")
                    ?? bytes, budget: budget)
        } catch let over as OverBudget {
            return .unreadable(key: contentKey(), why: over.reason)
        } catch let e as OWError {
            return .unreadable(key: contentKey(), why: e.message)
        } catch {
            return .failed(error)
        }
        guard !message.root.headers.isEmpty else { return .unreadable(key: contentKey(), why: "not an email message") }
        let key = message.messageID.map { "mid:" + $0 } ?? contentKey()
        do {
            var receipt = try ReceiptReader.read(message, index: reading.index, defaultCurrency: reading.currency, budget: budget)
            receipt.noteUnreadPDFs(message)
            return .parsed(key: key, subject: message.subject, receipt: .success(receipt))
        } catch let over as OverBudget {
            return .parsed(key: key, subject: message.subject, receipt: .failure(over))
        } catch {
            return .failed(error)
        }
    }
}
