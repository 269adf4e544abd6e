import FoundationEssentials

/// A small strict scanner for the XML and SGML that bank statements come in (OFX 1 and 2,
/// CAMT.053): start tags with their attributes, end tags and text, in order. Hostile input is
/// bounded: no DTD is read, no entity but the five predefined and numeric ones is expanded,
/// and tags nest at most `maxDepth` deep.
package enum Markup {
    package enum Event {
        case open(name: String, attributes: [String: String])
        case close(name: String)
        case text(String)
    }

    package static let maxDepth = 64
    package static let maxTagBytes = 4096

    /// The events of `text`, local names only (`ns:Amt` is `Amt`). Throws bad data on a tag left
    /// open at the end of the file, a tag longer than `maxTagBytes` or nesting past `maxDepth`.
    package static func scan(_ text: String, _ body: (Event) throws -> Void) throws {
        let bytes = Array(text.utf8)
        var i = 0
        // Open elements; an SGML leaf (`<TRNAMT>-6.60` with no end tag) closes at the next tag.
        var open: [String] = []
        var leaf = false
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else {
                let start = i
                while i < bytes.count, bytes[i] != UInt8(ascii: "<") { i += 1 }
                let t = decode(bytes[start..<i]).trimmed(.whitespacesAndNewlines)
                if !t.isEmpty {
                    try body(.text(t))
                    leaf = !open.isEmpty
                }
                continue
            }
            if starts(bytes, i, "<![CDATA[") {
                guard let end = find(bytes, from: i + 9, "]]>") else { throw OWError.badData("an unterminated CDATA section") }
                let t = String(decoding: bytes[(i + 9)..<end], as: UTF8.self).trimmed(.whitespacesAndNewlines)
                if !t.isEmpty { try body(.text(t)) }
                i = end + 3
                continue
            }
            if starts(bytes, i, "<!--") {
                i = (find(bytes, from: i + 4, "-->") ?? bytes.count - 3) + 3
                continue
            }
            // Declarations (DOCTYPE, ENTITY) and processing instructions are read past, never obeyed.
            guard let end = bytes[i...].prefix(maxTagBytes).firstIndex(of: UInt8(ascii: ">")) else {
                throw OWError.badData("a tag longer than \(maxTagBytes) bytes or never closed")
            }
            defer { i = end + 1 }
            if bytes[i + 1] == UInt8(ascii: "!") || bytes[i + 1] == UInt8(ascii: "?") { continue }
            if bytes[i + 1] == UInt8(ascii: "/") {
                let name = localName(bytes[(i + 2)..<end])
                try body(.close(name: name))
                if let at = open.lastIndex(of: name) { open.removeSubrange(at...) }
                leaf = false
                continue
            }
            let selfClosing = bytes[end - 1] == UInt8(ascii: "/")
            let (name, attributes) = tag(bytes[(i + 1)..<(selfClosing ? end - 1 : end)])
            guard !name.isEmpty else { continue }
            if leaf { open.removeLast() }
            leaf = false
            open.append(name)
            guard open.count <= maxDepth else { throw OWError.badData("elements nested more than \(maxDepth) deep") }
            try body(.open(name: name, attributes: attributes))
            if selfClosing {
                try body(.close(name: name))
                open.removeLast()
            }
        }
    }

    package static func starts(_ b: [UInt8], _ i: Int, _ s: String) -> Bool { b[i...].starts(with: s.utf8) }

    package static func find(_ b: [UInt8], from: Int, _ s: String) -> Int? {
        let needle = Array(s.utf8)
        var i = from
        while i + needle.count <= b.count {
            if b[i] == needle[0], b[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    package static func localName(_ b: ArraySlice<UInt8>) -> String {
        let name = String(decoding: b, as: UTF8.self).trimmed(.whitespaces)
        return name.split(separator: ":").last.map(String.init) ?? name
    }

    /// `Amt Ccy="EUR"`: the name and its attributes (quoted with " or ').
    package static func tag(_ b: ArraySlice<UInt8>) -> (String, [String: String]) {
        let s = String(decoding: b, as: UTF8.self)
        guard let nameEnd = s.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else {
            return (localName(b), [:])
        }
        var attributes: [String: String] = [:]
        var rest = s[nameEnd...]
        while let eq = rest.firstIndex(of: "=") {
            let key = rest[..<eq].trimmed(.whitespaces)
            let after = rest[rest.index(after: eq)...].drop(while: { $0 == " " })
            guard let q = after.first, q == "\"" || q == "'", let close = after.dropFirst().firstIndex(of: q) else { break }
            let k = key.split(separator: ":").last.map(String.init) ?? key
            attributes[k] = decode(Array(after[after.index(after: after.startIndex)..<close].utf8)[...])
            rest = after[after.index(after: close)...]
        }
        return (localName(Array(s[..<nameEnd].utf8)[...]), attributes)
    }

    /// Text with `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and `&#NN;` decoded; any other `&name;` is kept as written.
    package static func decode(_ b: ArraySlice<UInt8>) -> String {
        let s = String(decoding: b, as: UTF8.self)
        guard s.contains("&") else { return s }
        var out = ""
        var rest = s[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(10).firstIndex(of: ";") else {
                out += "&"
                rest = after
                continue
            }
            let name = after[..<semi]
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"][String(name)]
            var numeric: String? = nil
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                numeric = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else if name.hasPrefix("#") {
                numeric = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            }
            if let r = named ?? numeric {
                out += r
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }
}
