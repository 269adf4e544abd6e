import CZlib
import FoundationEssentials
import OWBase

/// The tables `.ci/gen-charset-tables` generated from Python's codecs (CharsetTables.swift),
/// unpacked once on first use.
package enum CharsetTables {
    static let unpacked: [UInt16] = {
        guard let packed = Data(base64Encoded: packed, options: .ignoreUnknownCharacters) else { return [] }
        var raw = [UInt8](repeating: 0, count: rawSize)
        var size = uLongf(rawSize)
        let status = packed.withUnsafeBytes { src in
            uncompress(&raw, &size, src.bindMemory(to: Bytef.self).baseAddress, uLong(packed.count))
        }
        guard status == Z_OK, size == uLongf(rawSize) else { return [] }
        return (0..<rawSize / 2).map { (i: Int) -> UInt16 in
            let low = UInt16(raw[2 * i])
            let high = UInt16(raw[2 * i + 1])
            return low | high << 8
        }
    }()

    /// The table `name`; empty when there is none (a fallback, never a trap).
    package static func table(_ name: String) -> ArraySlice<UInt16> {
        guard let (offset, count) = index[name], offset + count <= unpacked.count else { return [] }
        return unpacked[offset..<(offset + count)]
    }
}

/// Legacy charsets by owatch's own tables. Valid bytes decode as Python's codecs decode them;
/// a byte or sequence that is not valid gives U+FFFD and decoding goes on at the next byte, so
/// the characters after a damaged one are never lost.
package enum LegacyCharsets {
    static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// A single-byte charset: ASCII below 0x80, its table above.
    static func singleByte(_ bytes: some Collection<UInt8>, _ name: String) -> String {
        let high = CharsetTables.table(name + ".high")
        var s = String.UnicodeScalarView()
        for b in bytes {
            if b < 0x80 {
                s.append(Unicode.Scalar(b))
            } else {
                let i = high.startIndex + Int(b) - 0x80
                s.append(i < high.endIndex ? scalar(high[i]) : replacement)
            }
        }
        return String(s)
    }

    package static func scalar(_ v: UInt16) -> Unicode.Scalar { v == 0 ? replacement : Unicode.Scalar(v) ?? replacement }

    /// A code point from a lead × trail grid (lead 0x81…0xFE, trail 0x40…0xFE); nil when undefined.
    package static func pair(_ table: ArraySlice<UInt16>, _ lead: UInt8, _ trail: UInt8) -> Unicode.Scalar? {
        guard (0x81...0xFE).contains(lead), (0x40...0xFE).contains(trail) else { return nil }
        let i = table.startIndex + (Int(lead) - 0x81) * 191 + Int(trail) - 0x40
        guard i < table.endIndex, table[i] != 0 else { return nil }
        return Unicode.Scalar(table[i])
    }

    /// Shift_JIS (as Windows-31J), EUC-JP, GB18030, Big5 (as CP950) or EUC-KR (as CP949).
    static func multiByte(_ input: some Collection<UInt8>, _ name: String) -> String {
        let b = Array(input)
        let leads = CharsetTables.table(name + ".lead")
        let pairs = CharsetTables.table(name + ".pair")
        let triples = name == "euc-jp" ? CharsetTables.table("euc-jp.triple") : []
        let gb = name == "gb18030"
        var s = String.UnicodeScalarView()
        var i = 0
        while i < b.count {
            let c = b[i]
            let kind = c < 0x80 ? UInt16(c) : leads.isEmpty ? 0 : leads[leads.startIndex + Int(c) - 0x80]
            if c < 0x80 || kind > 2 {
                s.append(c < 0x80 ? Unicode.Scalar(c) : scalar(kind))
                i += 1
            } else if gb, i + 1 < b.count, (0x30...0x39).contains(b[i + 1]) {
                // Four bytes: lead, digit, 0x81…0xFE, digit.
                if i + 3 < b.count, (0x81...0xFE).contains(b[i + 2]), (0x30...0x39).contains(b[i + 3]) {
                    s.append(gb18030Four(c, b[i + 1], b[i + 2], b[i + 3]) ?? replacement)
                    i += 4
                } else {
                    s.append(replacement)
                    i += 1
                }
            } else if kind == 2, i + 2 < b.count, let v = pair(triples, b[i + 1], b[i + 2]) {
                s.append(v)
                i += 3
            } else if kind == 1, i + 1 < b.count, let v = pair(pairs, c, b[i + 1]) {
                s.append(v)
                i += 2
            } else {
                s.append(replacement)
                i += 1
            }
        }
        return String(s)
    }

    /// GB18030's four-byte sequences by its ranges: the BMP from the generated runs, the
    /// supplementary planes by arithmetic from pointer 189000 (U+10000).
    /// Bytes outside lead 0x81…0xFE, digit, 0x81…0xFE, digit are no sequence (nil): the caller's
    /// lead may be 0x80 or 0xFF, which made the subtraction below trap (found by fuzzing).
    static func gb18030Four(_ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8) -> Unicode.Scalar? {
        guard (0x81...0xFE).contains(b1), (0x30...0x39).contains(b2), (0x81...0xFE).contains(b3), (0x30...0x39).contains(b4)
        else { return nil }
        let pointer = ((Int(b1 - 0x81) * 10 + Int(b2 - 0x30)) * 126 + Int(b3 - 0x81)) * 10 + Int(b4 - 0x30)
        if (189_000...1_237_575).contains(pointer) { return Unicode.Scalar(UInt32(0x10000 + pointer - 189_000)) }
        guard pointer < 39420 else { return nil }
        let runs = gbRanges
        // The last run starting at or before the pointer (binary search over starts).
        var lo = 0
        var hi = runs.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if runs[mid].pointer <= pointer { lo = mid } else { hi = mid - 1 }
        }
        guard lo < runs.count, runs[lo].defined, runs[lo].pointer <= pointer else { return nil }
        return Unicode.Scalar(UInt32(runs[lo].codePoint + pointer - runs[lo].pointer))
    }

    static let gbRanges: [(pointer: Int, codePoint: Int, defined: Bool)] = {
        // Spelled out: as one `map` building a tuple of conversions, this took the type checker five to seven
        // seconds, in every build.
        let t = Array(CharsetTables.table("gb18030.ranges"))
        var runs: [(pointer: Int, codePoint: Int, defined: Bool)] = []
        runs.reserveCapacity(t.count / 3)
        for i in stride(from: 0, to: t.count - 2, by: 3) {
            let pointer = Int(t[i])
            let codePoint = Int(t[i + 1])
            runs.append((pointer, codePoint, t[i + 2] != 0))
        }
        return runs
    }()
}
