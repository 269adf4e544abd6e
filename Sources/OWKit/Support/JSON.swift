/// A JSON value that keeps object member order and number text exactly as written,
/// so money and hashes never pass through floating point.
public enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)  // the literal, e.g. "12.50" or "1700000000"
    case string(String)
    case array([JSON])
    case object([Member])

    public struct Member: Equatable, Sendable {
        public let key: String
        public let value: JSON
        public init(_ key: String, _ value: JSON) {
            self.key = key
            self.value = value
        }
    }

    public static func int<I: BinaryInteger>(_ i: I) -> JSON { .number(String(i)) }
    public static func obj(_ pairs: [(String, JSON)]) -> JSON { .object(pairs.map { Member($0.0, $0.1) }) }

    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
    public var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }
    public var members: [Member]? {
        if case .object(let m) = self { return m }
        return nil
    }

    /// An integer value; nil for fractions, exponents, or anything beyond Int64.
    public var intValue: Int64? {
        guard case .number(let text) = self else { return nil }
        return Int64(text)
    }

    // MARK: Encoding

    /// Compact encoding. With `sortedKeys`, the canonical form hashed by the audit chain.
    public func encoded(sortedKeys: Bool = false) -> String {
        var out: [UInt8] = []
        write(to: &out, sortedKeys: sortedKeys)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes UTF-8 bytes: output is built as bytes and turned into text once, at the end.
    public func write(to out: inout [UInt8], sortedKeys: Bool = false) {
        switch self {
        case .null: out.append(contentsOf: JSON.nullBytes)
        case .bool(let b): out.append(contentsOf: b ? JSON.trueBytes : JSON.falseBytes)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out, sortedKeys: sortedKeys)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let ordered = sortedKeys ? members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) } : members
            for (i, m) in ordered.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.writeString(m.key, to: &out)
                out.append(UInt8(ascii: ":"))
                m.value.write(to: &out, sortedKeys: sortedKeys)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    package static let nullBytes = Array("null".utf8), trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Bytes that need a look before copying: controls, `"`, `\\`, and 0xE2 (which starts
    /// U+2028/U+2029). Everything else is copied in bulk.
    static let needsLook: [Bool] = (0..<256).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }

    /// Escapes per RFC 8259, plus U+2028/U+2029 so the output is also safe inside JavaScript.
    /// Runs of plain bytes are copied in bulk.
    package static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            let n = bytes.count
            var runStart = 0
            var i = 0
            needsLook.withUnsafeBufferPointer { look in
                while i < n {
                    let b = bytes[i]
                    if !look[Int(b)] {
                        i += 1
                        continue
                    }
                    var width = 1
                    let escape: [UInt8]?
                    switch b {
                    case UInt8(ascii: "\""): escape = [92, 34]
                    case UInt8(ascii: "\\"): escape = [92, 92]
                    case 0x0A: escape = [92, UInt8(ascii: "n")]
                    case 0x0D: escape = [92, UInt8(ascii: "r")]
                    case 0x09: escape = [92, UInt8(ascii: "t")]
                    case 0x08: escape = [92, UInt8(ascii: "b")]
                    case 0x0C: escape = [92, UInt8(ascii: "f")]
                    case 0..<0x20: escape = [92, UInt8(ascii: "u"), 48, 48, hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]]
                    case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                        escape = Array("\\u202".utf8) + [bytes[i + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")]
                        width = 3
                    default: escape = nil
                    }
                    guard let escape else {
                        i += 1
                        continue
                    }
                    if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                    out.append(contentsOf: escape)
                    i += width
                    runStart = i
                }
            }
            if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A decimal integer written as ASCII digits, without making a String.
    package static func writeInt(_ v: Int64, to out: inout [UInt8]) {
        if v == 0 {
            out.append(48)
            return
        }
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while m > 0 {
                d[count] = UInt8(48 + m % 10)
                m /= 10
                count += 1
            }
            for k in stride(from: count - 1, through: 0, by: -1) { out.append(d[k]) }
        }
    }

    // MARK: Parsing

    /// Parses hostile input: bounded depth, duplicate member names rejected
    /// (RFC 8725 §3.1 advises rejecting ambiguous JOSE headers), strict RFC 8259 grammar.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 32) throws -> JSON {
        var parser = Parser(bytes: bytes, maxDepth: maxDepth)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.pos == bytes.count else { throw parser.fail("trailing characters") }
        return value
    }

    public static func parse(_ text: String, maxDepth: Int = 32) throws -> JSON {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    package struct Parser {
        package let bytes: [UInt8]
        package let maxDepth: Int
        package var pos = 0

        package init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        package func fail(_ why: String) -> OWError { OWError.badData("invalid JSON at byte \(pos): \(why)") }

        mutating func skipSpace() {
            while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
        }

        package mutating func expect(_ literal: String, _ value: JSON) throws -> JSON {
            let lit = Array(literal.utf8)
            guard pos + lit.count <= bytes.count, Array(bytes[pos..<pos + lit.count]) == lit else { throw fail("unexpected token") }
            pos += lit.count
            return value
        }

        package mutating func value(depth: Int) throws -> JSON {
            guard depth <= maxDepth else { throw fail("nested deeper than \(maxDepth)") }
            guard pos < bytes.count else { throw fail("unexpected end") }
            switch bytes[pos] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            default: return try number()
            }
        }

        package mutating func object(depth: Int) throws -> JSON {
            pos += 1
            var members: [Member] = []
            var seen = Set<String>()
            skipSpace()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
                pos += 1
                return .object([])
            }
            while true {
                skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("expected member name") }
                let key = try string()
                guard seen.insert(key).inserted else { throw fail("duplicate member \"\(key)\"") }
                skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                pos += 1
                skipSpace()
                members.append(Member(key, try value(depth: depth + 1)))
                skipSpace()
                guard pos < bytes.count else { throw fail("unexpected end") }
                if bytes[pos] == UInt8(ascii: ",") {
                    pos += 1
                    continue
                }
                if bytes[pos] == UInt8(ascii: "}") {
                    pos += 1
                    return .object(members)
                }
                throw fail("expected ',' or '}'")
            }
        }

        package mutating func array(depth: Int) throws -> JSON {
            pos += 1
            var items: [JSON] = []
            skipSpace()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
                pos += 1
                return .array([])
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard pos < bytes.count else { throw fail("unexpected end") }
                if bytes[pos] == UInt8(ascii: ",") {
                    pos += 1
                    continue
                }
                if bytes[pos] == UInt8(ascii: "]") {
                    pos += 1
                    return .array(items)
                }
                throw fail("expected ',' or ']'")
            }
        }

        package mutating func number() throws -> JSON {
            let start = pos
            func digits() -> Int {
                let s = pos
                while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
                return pos - s
            }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            let intStart = pos
            let n = digits()
            guard n > 0 else { throw fail("unexpected character") }
            if n > 1, bytes[intStart] == UInt8(ascii: "0") { throw fail("leading zero") }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
                pos += 1
                guard digits() > 0 else { throw fail("digit expected after '.'") }
            }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
                pos += 1
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
                guard digits() > 0 else { throw fail("digit expected in exponent") }
            }
            return .number(String(decoding: bytes[start..<pos], as: UTF8.self))
        }

        mutating func hex4() throws -> UInt32 {
            guard pos + 4 <= bytes.count else { throw fail("short \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[pos]
                let d: UInt8
                switch c {
                case 0x30...0x39: d = c - 0x30
                case 0x41...0x46: d = c - 0x41 + 10
                case 0x61...0x66: d = c - 0x61 + 10
                default: throw fail("bad \\u escape")
                }
                v = v << 4 | UInt32(d)
                pos += 1
            }
            return v
        }

        package mutating func string() throws -> String {
            pos += 1
            var scalars = String.UnicodeScalarView()
            var runStart = pos
            var raw: [UInt8] = []
            while true {
                guard pos < bytes.count else { throw fail("unterminated string") }
                let c = bytes[pos]
                if c == UInt8(ascii: "\"") {
                    raw.append(contentsOf: bytes[runStart..<pos])
                    pos += 1
                    break
                }
                if c < 0x20 { throw fail("control character in string") }
                if c == UInt8(ascii: "\\") {
                    raw.append(contentsOf: bytes[runStart..<pos])
                    pos += 1
                    guard pos < bytes.count else { throw fail("unterminated escape") }
                    let e = bytes[pos]
                    pos += 1
                    var scalar: Unicode.Scalar
                    switch e {
                    case UInt8(ascii: "\""): scalar = "\""
                    case UInt8(ascii: "\\"): scalar = "\\"
                    case UInt8(ascii: "/"): scalar = "/"
                    case UInt8(ascii: "b"): scalar = "\u{08}"
                    case UInt8(ascii: "f"): scalar = "\u{0C}"
                    case UInt8(ascii: "n"): scalar = "\n"
                    case UInt8(ascii: "r"): scalar = "\r"
                    case UInt8(ascii: "t"): scalar = "\t"
                    case UInt8(ascii: "u"):
                        var v = try hex4()
                        if (0xD800..<0xDC00).contains(v) {
                            guard pos + 2 <= bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                                throw fail("lone surrogate")
                            }
                            pos += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw fail("lone surrogate") }
                            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00..<0xE000).contains(v) {
                            throw fail("lone surrogate")
                        }
                        guard let s = Unicode.Scalar(v) else { throw fail("bad code point") }
                        scalar = s
                    default: throw fail("bad escape")
                    }
                    // Flush raw UTF-8 collected so far, then the escaped scalar.
                    guard let prefix = String(validating: raw, as: UTF8.self) else { throw fail("invalid UTF-8") }
                    scalars.append(contentsOf: prefix.unicodeScalars)
                    raw.removeAll(keepingCapacity: true)
                    scalars.append(scalar)
                    runStart = pos
                    continue
                }
                pos += 1
            }
            guard let rest = String(validating: raw, as: UTF8.self) else { throw fail("invalid UTF-8") }
            scalars.append(contentsOf: rest.unicodeScalars)
            return String(scalars)
        }
    }
}
