import FoundationEssentials
import OWCore

/// A document on its own, not a mail: an e-invoice XML or an HTML page (a receipt saved from a
/// browser, a vendor's receipt template) is read as a message carrying it with its own type, so an
/// HTML page is turned into text as an HTML mail part is, never read with its markup and style
/// sheet as plain text (where `line-height:1.2em` after a row class "total" once read as a total).
extension Scanner {
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
}
