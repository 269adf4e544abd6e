import OWBase

/// An inline image (`BI … ID data EI`, ISO 32000-1 §8.9.7) is skipped by reading its dictionary:
/// the data's length follows from its filter's end marker or its size, so image bytes that
/// happen to spell "EI" do not end it early (ASCII85 data often does).
package enum PDFInlineImage {
    /// Moves a parser standing just after `BI` to after its `EI`.
    package static func skip(_ p: inout PDFParser) { p.pos = end(&p) }

    package static func end(_ p: inout PDFParser) -> Int {
        let content = p.data
        var d: [String: PDFObject] = [:]
        var pairs = 0
        while pairs < 64 {
            pairs += 1
            let before = p.pos
            guard let key = p.value() else {
                if p.pos == before { return content.count }
                continue
            }
            if case .name("#ID") = key { break }
            guard case .name(let k) = key, let v = p.value() else { continue }
            d[k] = v
        }
        // One whitespace byte ends the ID keyword; the data follows.
        let start = min(p.pos + 1, content.count)
        let text = LowerText(lowered: content)
        var from = start
        let filters = filterNames(d["F"] ?? d["Filter"])
        switch filters.first.map(PDFFilters.fullName) {
        case "ASCII85Decode"?: from = text.find(Array("~>".utf8), from: start).map { $0 + 2 } ?? start
        case "ASCIIHexDecode"?: from = text.find([UInt8(ascii: ">")], from: start).map { $0 + 1 } ?? start
        case nil: from = min(start + (rawLength(d) ?? 0), content.count)
        default: break
        }
        // EI standing alone: whitespace before it, and whitespace, a delimiter or the end after it.
        var at = from
        while let ei = text.find(Array("EI".utf8), from: at) {
            let after = ei + 2
            let beforeOK = ei == from || PDFParser.isWhite(content[ei - 1])
            let afterOK = after >= content.count || PDFParser.isWhite(content[after]) || PDFParser.isDelimiter(content[after])
            if beforeOK && afterOK { return after }
            at = ei + 1
        }
        return content.count
    }

    static func filterNames(_ o: PDFObject?) -> [String] {
        switch o {
        case .name(let n)?: return [n]
        case .array(let a)?: return a.compactMap(\.name)
        default: return []
        }
    }

    /// Unfiltered image data: rows of width × components × bits, rounded up to bytes, times the height.
    static func rawLength(_ d: [String: PDFObject]) -> Int? {
        func int(_ a: String, _ b: String) -> Int? { (d[a] ?? d[b])?.number.flatMap(Int.init(checked:)) }
        guard let w = int("W", "Width"), let h = int("H", "Height"), (1...100_000).contains(w), (1...100_000).contains(h) else {
            return nil
        }
        let mask = d["IM"] ?? d["ImageMask"]
        var bits = int("BPC", "BitsPerComponent") ?? 8
        var colors = 1
        if case .bool(true)? = mask { bits = 1 }
        switch (d["CS"] ?? d["ColorSpace"])?.name {
        case "RGB"?, "DeviceRGB"?, "CalRGB"?: colors = 3
        case "CMYK"?, "DeviceCMYK"?: colors = 4
        default: colors = 1
        }
        guard (1...16).contains(bits) else { return nil }
        return (w * colors * bits + 7) / 8 * h
    }
}
