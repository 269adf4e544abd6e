import Foundation
import OWKit

enum ScanCommand {
    /// How owatch reads one message: headers, part tree, decoded texts and what it extracts.
    static func inspect(_ inv: Invocation) throws {
        let path = inv.argument(0)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OWError(.missingInput, "no file \(path)")
        }
        let message = try MIME.parse([UInt8](data))
        var types: [String] = []
        var texts: [String] = []
        message.root.walk { p in
            types.append(p.contentType)
            if p.children.isEmpty, p.contentType.hasPrefix("text/"), let t = p.text { texts.append(t) }
        }
        inv.emit(Record([("subject", .text(message.subject)), ("from", .text(message.from)), ("date", .text(message.date)),
                         ("message_id", .text(message.messageID)), ("parts", .list(types)), ("texts", .list(texts))]))
    }
}
