import FoundationEssentials
import OWBase

/// HTML to plain text for reading receipts: tags removed, scripts and styles dropped,
/// block elements on their own lines, entities decoded. Linear in the input.
package enum HTMLText {
    static let blockTags: Set<String> = [
        "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tbody", "thead",
        "tfoot", "ul", "ol", "section", "article", "header", "footer", "hr", "blockquote", "pre", "title",
    ]
    static let cellTags: Set<String> = ["td", "th"]
    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "euro": "€", "pound": "£", "yen": "¥",
        "cent": "¢", "copy": "©", "reg": "®", "trade": "™", "ndash": "–", "mdash": "—", "hellip": "…", "laquo": "«", "raquo": "»",
        "middot": "·", "times": "×", "auml": "ä", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß",
        "eacute": "é", "egrave": "è", "agrave": "à", "ccedil": "ç", "ecirc": "ê", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“",
        "zwnj": "", "shy": "", "thinsp": " ", "ensp": " ", "emsp": " ",
    ]

    package static func text(_ html: String) -> String {
        let chars = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func lower(_ s: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(s)).lowercased() }
        func newline() { if out.last != "\n" { out.append("\n") } }
        while i < chars.count {
            let c = chars[i]
            if c == "<" {
                // Comments, then tags; an unterminated tag ends the text.
                if i + 3 < chars.count, chars[i + 1] == "!", chars[i + 2] == "-", chars[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < chars.count, !(chars[j] == "-" && chars[j + 1] == "-" && chars[j + 2] == ">") { j += 1 }
                    i = j + 3
                    continue
                }
                var j = i + 1
                while j < chars.count, chars[j] != ">" { j += 1 }
                guard j < chars.count else { break }
                var nameStart = i + 1
                if nameStart < j, chars[nameStart] == "/" { nameStart += 1 }
                var nameEnd = nameStart
                while nameEnd < j, chars[nameEnd].properties.isAlphabetic || ("0"..."9").contains(chars[nameEnd]) { nameEnd += 1 }
                let name = lower(chars[nameStart..<nameEnd])
                i = j + 1
                if (name == "script" || name == "style" || name == "head") && chars[i - 2] != "/" && chars[nameStart - 1] != "/" {
                    // Skip to the matching close tag.
                    let close = Array("</\(name)".unicodeScalars)
                    var k = i
                    while k + close.count <= chars.count {
                        if lower(chars[k..<k + close.count]) == "</\(name)" { break }
                        k += 1
                    }
                    while k < chars.count, chars[k] != ">" { k += 1 }
                    i = min(chars.count, k + 1)
                    if name == "head" { newline() }
                    continue
                }
                if blockTags.contains(name) { newline() } else if cellTags.contains(name) { out.append(" ") }
                continue
            }
            if c == "&" {
                if let (scalars, next) = reference(chars, at: i) {
                    out.append(contentsOf: scalars)
                    i = next
                    continue
                }
                out.append(c)
                i += 1
                continue
            }
            if c.properties.isWhitespace {
                if c == "\n" || c == "\r" || c == "\t" || c == " " || c == "\u{A0}" {
                    if let last = out.last, last != " ", last != "\n" { out.append(" ") }
                } else {
                    out.append(" ")
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        // Tidy: trim each line, drop empty runs.
        return String(out).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmed(.whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// The character reference at `i` (`&amp;`, `&#8364;`, `&#x20AC;`) and the index just past it;
    /// nil when none is there (the `&` is then text).
    static func reference(_ chars: [Unicode.Scalar], at i: Int) -> (String.UnicodeScalarView, next: Int)? {
        var j = i + 1
        while j < chars.count, j - i <= 10, chars[j] != ";", chars[j] != "&", chars[j] != "<", !chars[j].properties.isWhitespace {
            j += 1
        }
        if j < chars.count, chars[j] == ";" {
            let name = String(String.UnicodeScalarView(chars[(i + 1)..<j]))
            if name.hasPrefix("#") {
                let digits = name.dropFirst()
                let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                if let v = value, let s = Unicode.Scalar(v), v != 0 {
                    var one = String.UnicodeScalarView()
                    one.append(s)
                    return (one, j + 1)
                }
            } else if let e = entities[name] {
                return (e.unicodeScalars, j + 1)
            }
        }
        return nil
    }
}
