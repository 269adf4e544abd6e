import OWBase

/// The standard stream filters (ISO 32000-1 §7.4) that carry text: ASCII85, ASCIIHex, LZW,
/// RunLength and Flate, with PNG and TIFF predictors. Every decoder stops at `limit` output
/// bytes and at the end of its input: hostile data never loops or allocates past the limit.
package enum PDFFilters {
    /// A filter's full name from the abbreviations inline images use.
    package static func fullName(_ name: String) -> String {
        switch name {
        case "A85": return "ASCII85Decode"
        case "AHx": return "ASCIIHexDecode"
        case "LZW": return "LZWDecode"
        case "RL": return "RunLengthDecode"
        case "Fl": return "FlateDecode"
        case "CCF": return "CCITTFaxDecode"
        case "DCT": return "DCTDecode"
        default: return name
        }
    }

    /// Decoding parameters (`DecodeParms`) the predictors and LZW read.
    package struct Parms {
        package var predictor = 1
        package var colors = 1
        package var bitsPerComponent = 8
        package var columns = 1
        package var earlyChange = 1

        package init(_ d: [String: PDFObject]? = nil) {
            guard let d else { return }
            func int(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) -> Int {
                guard let v = d[key]?.number.flatMap(Int.init(checked:)), range.contains(v) else { return fallback }
                return v
            }
            predictor = int("Predictor", 1, 1...15)
            colors = int("Colors", 1, 1...32)
            bitsPerComponent = int("BitsPerComponent", 8, 1...16)
            columns = int("Columns", 1, 0...(1 << 24))
            earlyChange = int("EarlyChange", 1, 0...1)
        }
    }

    /// `bytes` through one filter; nil for a filter owatch does not decode (images) or data that gives nothing.
    package static func decode(_ bytes: [UInt8], filter: String, parms: Parms, limit: Int) -> [UInt8]? {
        let out: [UInt8]?
        switch fullName(filter) {
        case "FlateDecode": out = PDFText.inflate(bytes, limit: limit)
        case "ASCIIHexDecode": out = Array(PDFText.hex([UInt8(ascii: "<")] + bytes, from: 0).0.prefix(limit))
        case "ASCII85Decode": out = ascii85(bytes, limit: limit)
        case "LZWDecode": out = lzw(bytes, earlyChange: parms.earlyChange, limit: limit)
        case "RunLengthDecode": out = runLength(bytes, limit: limit)
        default: return nil
        }
        guard let out else { return nil }
        let predicted = ["FlateDecode", "LZWDecode"].contains(fullName(filter))
        return predicted && parms.predictor > 1 ? unpredict(out, parms) : out
    }

    /// ASCII85 (btoa): groups of five characters `!`…`u` for four bytes, `z` for four zeros,
    /// whitespace ignored, `~>` the end; a short last group gives one byte less than its characters.
    static func ascii85(_ input: [UInt8], limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        var group: UInt64 = 0
        var count = 0
        var i = input.starts(with: [0x3C, 0x7E]) ? 2 : 0  // an optional "<~"
        func emit(_ value: UInt64, _ n: Int) {
            for k in 0..<n where out.count < limit { out.append(UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt64(k)))) }
        }
        while i < input.count, out.count < limit {
            let c = input[i]
            i += 1
            if PDFParser.isWhite(c) { continue }
            if c == UInt8(ascii: "~") { break }
            if c == UInt8(ascii: "z") && count == 0 {
                emit(0, 4)
                continue
            }
            guard (33...117).contains(c) else { break }  // not ASCII85: the data ends here
            group = group * 85 + UInt64(c - 33)
            count += 1
            if count == 5 {
                emit(group, 4)
                group = 0
                count = 0
            }
        }
        if count > 1 {
            for _ in count..<5 { group = group * 85 + 84 }
            emit(group, count - 1)
        }
        return out
    }

    /// RunLength: a length byte L then L+1 literal bytes (L < 128) or one byte repeated 257−L times; 128 ends.
    static func runLength(_ input: [UInt8], limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < input.count, out.count < limit {
            let l = Int(input[i])
            i += 1
            if l == 128 { break }
            if l < 128 {
                let end = min(i + l + 1, input.count)
                out += input[i..<end].prefix(limit - out.count)
                i = end
            } else if i < input.count {
                out += repeatElement(input[i], count: min(257 - l, limit - out.count))
                i += 1
            }
        }
        return out
    }

    /// LZW as PDF writes it: 9…12-bit codes most significant bit first, 256 clears the table,
    /// 257 ends; with EarlyChange 1 (the default) the code widens one code early.
    static func lzw(_ input: [UInt8], earlyChange: Int, limit: Int) -> [UInt8] {
        var prefix = [Int](repeating: -1, count: 4096)
        var suffix = [UInt8](repeating: 0, count: 4096)
        var length = [Int](repeating: 1, count: 4096)
        for k in 0..<256 { suffix[k] = UInt8(k) }
        var next = 258
        var width = 9
        var previous = -1
        var bits = 0
        var buffer = 0
        var out: [UInt8] = []
        var entry: [UInt8] = []
        func string(_ code: Int) -> [UInt8] {
            var s = [UInt8](repeating: 0, count: length[code])
            var c = code
            for k in stride(from: s.count - 1, through: 0, by: -1) {
                s[k] = suffix[c]
                c = prefix[c]
            }
            return s
        }
        var i = 0
        while out.count < limit {
            while bits < width, i < input.count {
                buffer = (buffer << 8 | Int(input[i])) & 0xFFFFFF
                bits += 8
                i += 1
            }
            guard bits >= width else { break }
            let code = (buffer >> (bits - width)) & ((1 << width) - 1)
            bits -= width
            if code == 256 {
                next = 258
                width = 9
                previous = -1
                continue
            }
            if code == 257 { break }
            if previous < 0 {
                guard code < 256 else { break }
                entry = [UInt8(code)]
            } else if code < next {
                entry = string(code)
            } else if code == next {
                entry = string(previous)
                entry.append(entry[0])
            } else {
                break  // a code not yet defined: corrupt data ends here
            }
            if previous >= 0 && next < 4096 {
                prefix[next] = previous
                suffix[next] = entry[0]
                length[next] = length[previous] + 1
                next += 1
            }
            let edge = next + earlyChange
            width = edge >= 2048 ? 12 : edge >= 1024 ? 11 : edge >= 512 ? 10 : 9
            out += entry.prefix(limit - out.count)
            previous = code
        }
        return out
    }
}
