import FoundationEssentials
import OWCore
import OWOffice
import OWReaders

/// A document on its own, not a mail: an e-invoice XML or an HTML page (a receipt saved from a
/// browser, a vendor's receipt template) is read as a message carrying it with its own type, so an
/// HTML page is turned into text as an HTML mail part is, never read with its markup and style
/// sheet as plain text (where `line-height:1.2em` after a row class "total" once read as a total).
package enum StandaloneDocument {
    static func documentMessage(_ bytes: [UInt8], name: String) -> [UInt8]? {
        xmlMessage(bytes, name: name) ?? htmlMessage(bytes, name: name)
    }

    /// The first `n` bytes of a document past a UTF-8 byte order mark and blanks: where its type shows.
    static func documentHead(_ bytes: [UInt8], within n: Int) -> ArraySlice<UInt8> {
        bytes.prefix(n).drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || PDFParser.isWhite($0) }
    }

    /// An HTML file on its own (starting, past a byte order mark and blanks, with `<!DOCTYPE html`
    /// or `<html`) as a message whose one part is text/html; nil for anything else, a mail included:
    /// a mail starts with its headers.
    static func htmlMessage(_ bytes: [UInt8], name: String) -> [UInt8]? {
        let head = documentHead(bytes, within: 512)
        let lower = head.prefix(15).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        for opening in ["<!doctype html", "<html"] {
            let o = Array(opening.utf8)
            guard lower.starts(with: o) else { continue }
            let next = lower.count > o.count ? lower[o.count] : UInt8(ascii: ">")
            if next == UInt8(ascii: ">") || PDFParser.isWhite(next) { return pdfMessage(bytes, name: name, type: "text/html") }
        }
        return nil
    }

    /// A message with no sender whose one part is the PDF, for `scan inspect invoice.pdf`.
    static func pdfMessage(_ pdf: [UInt8], name: String, type: String = "application/pdf") -> [UInt8] {
        let safe = String(name.unicodeScalars.filter { $0.isASCII && $0.value >= 32 && $0 != "\"" && $0 != "\\" }.map(Character.init))
        let header =
            "Subject: \(safe)\r\nMIME-Version: 1.0\r\nContent-Type: \(type); name=\"\(safe)\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        return Array(header.utf8) + Array(Data(pdf).base64EncodedString(options: .lineLength76Characters).utf8) + [13, 10]
    }

    /// An e-invoice XML file on its own (an XRechnung, a Peppol UBL invoice), or another business
    /// document of the same vocabularies (an order, a despatch advice), as a message carrying it;
    /// nil for anything else.
    static func xmlMessage(_ bytes: [UInt8], name: String) -> [UInt8]? {
        let head = documentHead(bytes, within: 8)
        guard head.first == UInt8(ascii: "<"), DeclaredDocument.of(bytes) != nil else { return nil }
        return pdfMessage(bytes, name: name, type: "application/xml")
    }

    /// NUL bytes, or mostly control bytes, in the first 4 KB: not text, so not a message.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(4096)
        if head.contains(0) { return true }
        let control = head.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }.count
        return control * 10 > head.count
    }
}
