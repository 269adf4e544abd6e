import OWBase

/// A PDF object (ISO 32000-1 §7.3). Streams keep their dictionary and raw bytes.
package indirect enum PDFObject {
    case null
    case bool(Bool)
    case number(Double)
    case string([UInt8])
    case name(String)
    case array([PDFObject])
    case dict([String: PDFObject])
    case ref(Int, Int)
    case stream([String: PDFObject], ArraySlice<UInt8>)

    var dict: [String: PDFObject]? {
        switch self {
        case .dict(let d), .stream(let d, _): return d
        default: return nil
        }
    }
    package var array: [PDFObject]? {
        if case .array(let a) = self { return a }
        return nil
    }
    package var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }
    package var name: String? {
        if case .name(let n) = self { return n }
        return nil
    }
    package var bytes: [UInt8]? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// Reads PDF syntax from bytes: numbers, strings, names, arrays, dictionaries, references and
/// stream headers, bounded in nesting. Malformed input stops a value, never the process.
/// The position is always within the bytes (`0...data.count`): whatever moves it — a step past
/// a value that ended the data, an offset read from the file — lands on an edge, never outside.
package struct PDFParser {
    package let data: [UInt8]
    var pos: Int {
        didSet { if pos < 0 || pos > data.count { pos = min(max(pos, 0), data.count) } }
    }
    static let maxDepth = 64

    package init(_ data: [UInt8], at pos: Int = 0) {
        self.data = data
        self.pos = min(max(pos, 0), data.count)
    }

    package static func isWhite(_ b: UInt8) -> Bool { b == 0 || b == 9 || b == 10 || b == 12 || b == 13 || b == 32 }
    static func isDelimiter(_ b: UInt8) -> Bool {
        switch b {
        case 0x28, 0x29, 0x3C, 0x3E, 0x5B, 0x5D, 0x7B, 0x7D, 0x2F, 0x25: return true  // ( ) < > [ ] { } / %
        default: return false
        }
    }

    mutating func skipBlanks() {
        while pos < data.count {
            let b = data[pos]
            if PDFParser.isWhite(b) {
                pos += 1
            } else if b == UInt8(ascii: "%") {
                while pos < data.count && data[pos] != 10 && data[pos] != 13 { pos += 1 }
            } else {
                return
            }
        }
    }

    /// A bare word (keyword or number text) at the position.
    mutating func word() -> String {
        let start = pos
        while pos < data.count && !PDFParser.isWhite(data[pos]) && !PDFParser.isDelimiter(data[pos]) { pos += 1 }
        return String(decoding: data[start..<pos], as: UTF8.self)
    }

    /// The next value; `N G R` references are recognised after two numbers.
    package mutating func value(depth: Int = 0) -> PDFObject? {
        guard depth < PDFParser.maxDepth else { return nil }
        skipBlanks()
        guard pos < data.count else { return nil }
        let b = data[pos]
        switch b {
        case UInt8(ascii: "/"): return name()
        case UInt8(ascii: "("):
            let (s, next) = PDFText.literal(data, from: pos)
            pos = next
            return .string(s)
        case UInt8(ascii: "<"):
            if pos + 1 < data.count && data[pos + 1] == UInt8(ascii: "<") { return dictionary(depth: depth) }
            let (s, next) = PDFText.hex(data, from: pos)
            pos = next
            return .string(s)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "]"), UInt8(ascii: ">"), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            pos += 1
            return nil
        default: return numberOrKeyword()
        }
    }

    /// A name (`/Type`), its `#xx` escapes decoded; `pos` is at the slash.
    private mutating func name() -> PDFObject {
        pos += 1
        var name: [UInt8] = []
        while pos < data.count && !PDFParser.isWhite(data[pos]) && !PDFParser.isDelimiter(data[pos]) {
            if data[pos] == UInt8(ascii: "#"), pos + 2 < data.count,
                let h = UInt8(String(decoding: data[(pos + 1)...(pos + 2)], as: UTF8.self), radix: 16)
            {
                name.append(h)
                pos += 3
            } else {
                name.append(data[pos])
                pos += 1
            }
        }
        return .name(String(decoding: name, as: UTF8.self))
    }

    /// A dictionary (`<< /Key value … >>`); `pos` is at its `<<`.
    private mutating func dictionary(depth: Int) -> PDFObject {
        pos += 2
        var d: [String: PDFObject] = [:]
        while true {
            skipBlanks()
            guard pos < data.count else { return .dict(d) }
            if data[pos] == UInt8(ascii: ">") {
                pos = min(pos + 2, data.count)
                break
            }
            guard case .name(let key)? = value(depth: depth + 1) else {
                pos += 1
                continue
            }
            guard let v = value(depth: depth + 1) else { break }
            d[key] = v
        }
        return .dict(d)
    }

    /// An array (`[ … ]`, at most 100,000 items); `pos` is at its `[`.
    private mutating func array(depth: Int) -> PDFObject {
        pos += 1
        var a: [PDFObject] = []
        while true {
            skipBlanks()
            guard pos < data.count else { return .array(a) }
            if data[pos] == UInt8(ascii: "]") {
                pos += 1
                return .array(a)
            }
            guard let v = value(depth: depth + 1) else {
                pos += 1
                continue
            }
            a.append(v)
            if a.count > 100_000 { return .array(a) }
        }
    }

    /// A number, an `N G R` reference, `true`, `false`, `null`, or another keyword (an operator).
    private mutating func numberOrKeyword() -> PDFObject? {
        let w = word()
        if w.isEmpty {
            pos += 1
            return nil
        }
        if let n = Double(w) {
            // `N G R`: look ahead for a generation number and R.
            let save = pos
            skipBlanks()
            let g = word()
            if let gen = Int(g), let num = Int(w) {
                skipBlanks()
                if pos < data.count, data[pos] == UInt8(ascii: "R"),
                    pos + 1 >= data.count || PDFParser.isWhite(data[pos + 1]) || PDFParser.isDelimiter(data[pos + 1])
                {
                    pos += 1
                    return .ref(num, gen)
                }
            }
            pos = save
            return .number(n)
        }
        switch w {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: return .name("#" + w)  // a stray keyword, kept apart from real names
        }
    }
}

/// The objects of one PDF, found by scanning for `N G obj` (later definitions win, as an
/// incremental update's do) and inside object streams, so a broken or missing xref table
/// costs nothing. Bounded: objects, nesting, and the message's inflate budget.
package final class PDFDocument {
    package let data: [UInt8]
    private(set) var offsets: [Int: Int] = [:]  // object number → offset of its value
    private var inStreams: [Int: (stream: Int, index: Int)] = [:]
    private var cache: [Int: PDFObject] = [:]
    private var objectStreams: [Int: [Int: PDFObject]] = [:]
    package let budget: MessageBudget
    static let maxObjects = 200_000

    /// Set for an encrypted document that opens with the empty password: streams are decrypted as read.
    private(set) var security: PDFSecurity?
    /// Encrypted, and not with the empty password (or not with a handler owatch reads): no text.
    private(set) var needsPassword = false
    private var generations: [Int: Int] = [:]

    package init(_ data: [UInt8], budget: MessageBudget) {
        self.data = data
        self.budget = budget
        scanObjects()
        findSecurity()
    }

    /// The trailer's /Encrypt (the last one: incremental updates append trailers) and the
    /// document's first /ID string, read straight from the bytes — the encryption dictionary
    /// is never in an object stream, and nothing read here may be a stream yet to decrypt.
    private func findSecurity() {
        let haystack = LowerText(lowered: data)
        func last(_ word: String) -> Int? {
            var from = 0
            var found: Int?
            let needle = Array(word.utf8)
            while let at = haystack.find(needle, from: from) {
                let next = at + needle.count < data.count ? data[at + needle.count] : 32
                if PDFParser.isWhite(next) || next == UInt8(ascii: "[") || next == UInt8(ascii: "<") || (48...57).contains(next) {
                    found = at
                }
                from = at + needle.count
            }
            return found
        }
        guard let at = last("/Encrypt") else { return }
        needsPassword = true
        var p = PDFParser(data, at: at + 8)
        var dict: [String: PDFObject]?
        switch p.value() {
        case .ref(let n, _)?:
            if let off = offsets[n] {
                var q = PDFParser(data, at: off)
                dict = q.value()?.dict
            }
        case .dict(let d)?: dict = d
        default: break
        }
        var id: [UInt8] = []
        if let idAt = last("/ID") {
            var q = PDFParser(data, at: idAt + 3)
            if case .string(let first)? = q.value()?.array?.first { id = first }
        }
        guard let dict,
            let handler = PDFSecurity(
                dict, id: id,
                resolve: { [unowned self] o in
                    if case .ref(let n, _)? = o, let off = self.offsets[n] {
                        var q = PDFParser(self.data, at: off)
                        return q.value()
                    }
                    return o
                })
        else { return }
        security = handler
        needsPassword = false
    }

    /// `N G obj` anywhere in the file: the offsets of every object's body.
    private func scanObjects() {
        let obj = Array("obj".utf8)
        var i = 0
        let n = data.count
        while i + 3 <= n, offsets.count < PDFDocument.maxObjects {
            guard data[i] == obj[0], data[i + 1] == obj[1], data[i + 2] == obj[2] else {
                i += 1
                continue
            }
            // Preceded by whitespace, a generation and an object number.
            var j = i - 1
            guard j >= 0, PDFParser.isWhite(data[j]) else {
                i += 3
                continue
            }
            while j >= 0 && PDFParser.isWhite(data[j]) { j -= 1 }
            let genEnd = j + 1
            while j >= 0 && (48...57).contains(data[j]) { j -= 1 }
            guard genEnd > j + 1, j >= 0, PDFParser.isWhite(data[j]) else {
                i += 3
                continue
            }
            while j >= 0 && PDFParser.isWhite(data[j]) { j -= 1 }
            let numEnd = j + 1
            while j >= 0 && (48...57).contains(data[j]) { j -= 1 }
            guard numEnd > j + 1, numEnd - (j + 1) <= 10, let num = Int(String(decoding: data[(j + 1)..<numEnd], as: UTF8.self)) else {
                i += 3
                continue
            }
            offsets[num] = i + 3
            let gen =
                genEnd - (numEnd + 1) <= 5
                ? Int(String(decoding: data[(numEnd + 1)..<genEnd].filter { (48...57).contains($0) }, as: UTF8.self)) ?? 0 : 0
            if gen != 0 { generations[num] = gen } else { generations[num] = nil }
            i += 3
        }
    }

    /// Object `num`, references left as they are.
    func object(_ num: Int) -> PDFObject? {
        if let hit = cache[num] { return hit }
        var result: PDFObject?
        if let at = offsets[num] {
            var p = PDFParser(data, at: at)
            if let v = p.value() {
                result = v
                if case .dict(let d) = v {
                    p.skipBlanks()
                    let save = p.pos
                    if p.word() == "stream" {
                        var raw = streamBytes(d, after: p.pos)
                        // Cross-reference streams are never encrypted; every other stream is.
                        if let security, d["Type"]?.name != "XRef" {
                            raw = ArraySlice(security.decrypt(Array(raw), num: num, gen: generations[num] ?? 0) ?? [])
                        }
                        result = .stream(d, raw)
                    } else {
                        p.pos = save
                    }
                }
            }
        } else {
            result = fromObjectStreams(num)
        }
        if let result { cache[num] = result }
        return result
    }

    /// The raw bytes of a stream whose keyword ends at `at`: /Length when it is direct and fits, else up to `endstream`.
    private func streamBytes(_ d: [String: PDFObject], after at: Int) -> ArraySlice<UInt8> {
        var start = at
        if start < data.count && data[start] == 13 { start += 1 }
        if start < data.count && data[start] == 10 { start += 1 }
        var length: Int?
        if case .number(let l)? = d["Length"] { length = Int(checked: l) }
        if case .ref(let n, _)? = d["Length"], n != -1, offsets[n] != nil, case .number(let l)? = resolveShallow(n) {
            length = Int(checked: l)
        }
        if let l = length, l >= 0, l <= data.count - start {
            // Trust /Length only when `endstream` follows it.
            var q = start + l
            while q < data.count && PDFParser.isWhite(data[q]) { q += 1 }
            if q + 9 <= data.count && data[q..<(q + 9)].elementsEqual("endstream".utf8) { return data[start..<(start + l)] }
        }
        let end = LowerText(lowered: data).find(Array("endstream".utf8), from: start) ?? data.count
        var stop = end
        if stop > start && data[stop - 1] == 10 { stop -= 1 }
        if stop > start && data[stop - 1] == 13 { stop -= 1 }
        return data[start..<max(start, stop)]
    }

    /// A number object without following its stream (for /Length).
    private func resolveShallow(_ num: Int) -> PDFObject? {
        guard let at = offsets[num] else { return nil }
        var p = PDFParser(data, at: at)
        return p.value()
    }

    /// Objects kept in object streams (`/Type /ObjStm`), indexed on first need.
    private var indexedStreams = false
    private func fromObjectStreams(_ num: Int) -> PDFObject? {
        if !indexedStreams {
            indexedStreams = true
            for (n, _) in offsets {
                guard case .stream(let d, _)? = object(n), d["Type"]?.name == "ObjStm" else { continue }
                // Counts and offsets are the file's word: read only where they make sense.
                guard let content = decoded(n), let count = d["N"]?.number.flatMap(Int.init(checked:)),
                    let first = d["First"]?.number.flatMap(Int.init(checked:)), (0...content.count).contains(first)
                else { continue }
                var p = PDFParser(content)
                var entries: [(Int, Int)] = []
                for _ in 0..<min(max(count, 0), 100_000) {
                    guard case .number(let objNum)? = p.value(), case .number(let off)? = p.value(),
                        let num = Int(checked: objNum), let at = Int(checked: off), (0...(content.count - first)).contains(at)
                    else { break }
                    entries.append((num, at))
                }
                var table: [Int: PDFObject] = [:]
                for (i, e) in entries.enumerated() where inStreams[e.0] == nil && offsets[e.0] == nil {
                    var q = PDFParser(content, at: first + e.1)
                    if let v = q.value() {
                        table[e.0] = v
                        inStreams[e.0] = (n, i)
                    }
                }
                objectStreams[n] = table
            }
        }
        guard let loc = inStreams[num] else { return nil }
        return objectStreams[loc.stream]?[num]
    }

    /// Follows references (a chain of at most 32).
    package func resolve(_ o: PDFObject?) -> PDFObject? {
        var o = o
        var hops = 0
        while case .ref(let n, _)? = o, hops < 32 {
            o = object(n)
            hops += 1
        }
        if case .ref? = o { return nil }
        return o
    }

    func dict(_ o: PDFObject?) -> [String: PDFObject]? { resolve(o)?.dict }

    /// A stream's bytes after its filters (every standard one that can carry text, chained, each
    /// with its own parameters); nil for filters owatch does not read (image codecs).
    func decoded(_ num: Int) -> [UInt8]? { decoded(object(num)) }

    func decoded(_ o: PDFObject?) -> [UInt8]? {
        guard case .stream(let d, let raw)? = resolve(o) else { return nil }
        return decode(Array(raw), filter: d["Filter"], parms: d["DecodeParms"])
    }

    /// `bytes` through `filter` (a name or an array of names) with `parms` (a dictionary, or an
    /// array of them with null entries), every step's output charged to the message's budget.
    package func decode(_ bytes: [UInt8], filter: PDFObject?, parms: PDFObject?) -> [UInt8]? {
        var filters: [String] = []
        var parameters: [[String: PDFObject]?] = []
        switch resolve(filter) {
        case .name(let n)?:
            filters = [n]
            parameters = [dict(parms)]
        case .array(let a)?:
            filters = a.prefix(16).compactMap { resolve($0)?.name }
            let list = resolve(parms)?.array
            parameters = filters.indices.map { i in list.flatMap { i < $0.count ? dict($0[i]) : nil } }
        default: break
        }
        var bytes = bytes
        for (f, p) in zip(filters, parameters) {
            let parms = PDFFilters.Parms(p?.mapValues { resolve($0) ?? .null })  // `/Columns 12 0 R` is a number too
            guard budget.inflatedLeft > 0, let out = PDFFilters.decode(bytes, filter: f, parms: parms, limit: budget.inflatedLeft)
            else { return nil }
            budget.spendInflated(out.count)
            bytes = out
        }
        return bytes
    }

    /// The pages in order, each with its inherited resources: from the catalog's page tree, or
    /// (no usable tree) every `/Type /Page` object in number order.
    func pages() -> [(page: [String: PDFObject], resources: [String: PDFObject])] {
        var out: [([String: PDFObject], [String: PDFObject])] = []
        var seen = Set<Int>()
        func walk(_ o: PDFObject?, inherited: [String: PDFObject]?, depth: Int) {
            guard depth < 32, out.count < 2_000 else { return }
            if case .ref(let n, _)? = o { guard seen.insert(n).inserted else { return } }
            guard let d = dict(o) else { return }
            let resources = dict(d["Resources"]) ?? inherited ?? [:]
            if d["Type"]?.name == "Pages" || d["Kids"] != nil {
                for kid in resolve(d["Kids"])?.array ?? [] { walk(kid, inherited: resources, depth: depth + 1) }
            } else {
                out.append((d, resources))
            }
        }
        if let catalog = catalog() { walk(catalog["Pages"], inherited: nil, depth: 0) }
        if out.isEmpty {
            for n in offsets.keys.sorted() {
                if let d = object(n)?.dict, d["Type"]?.name == "Page" { out.append((d, dict(d["Resources"]) ?? [:])) }
            }
        }
        return out
    }

    /// The document catalog: the last `/Type /Catalog` object found by scanning (incremental
    /// updates append newer ones), else the trailer's `/Root` (a catalog inside an object stream).
    package func catalog() -> [String: PDFObject]? {
        if let found = scannedCatalog() { return found }
        var from = 0
        var root: PDFObject?
        let needle = Array("/Root".utf8)
        let haystack = LowerText(lowered: data)  // a byte search: "/Root" is matched as written
        while let at = haystack.find(needle, from: from) {
            var p = PDFParser(data, at: at + needle.count)
            if case .ref(let n, let g)? = p.value() { root = .ref(n, g) }
            from = at + needle.count
        }
        return dict(root)
    }

    private func scannedCatalog() -> [String: PDFObject]? {
        offsets.keys.sorted().lazy.compactMap { n -> [String: PDFObject]? in
            guard let d = self.object(n)?.dict, d["Type"]?.name == "Catalog" else { return nil }
            return d
        }.last
    }
}
