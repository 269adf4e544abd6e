import Foundation

/// Lower-cased UTF-8 text searched with libc's memchr and memcmp. On Linux, `String.contains` and
/// `range(of:)` go through NSString (UTF-16 conversion and CFStringFind); those were two
/// thirds of a scan's time. Needles are lower-case and encoded once (`Needles`).
struct LowerText {
    let bytes: [UInt8]

    init(_ text: String) { bytes = Array(text.lowercased().utf8) }
    init(lowered: [UInt8]) { bytes = lowered }

    /// Byte offset of the first occurrence of `needle` at or after `from`.
    func find(_ needle: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, from >= 0, bytes.count - from >= needle.count else { return nil }
        return bytes.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let base = h.baseAddress!, last = h.count - n.count   // the last offset a match can start at
                var i = from
                while i <= last {
                    guard let hit = memchr(base + i, Int32(n[0]), last - i + 1) else { return nil }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }

    func contains(_ needle: [UInt8]) -> Bool { find(needle) != nil }
    func contains(any needles: [[UInt8]]) -> Bool { needles.contains { find($0) != nil } }
    func hasPrefix(_ needle: [UInt8]) -> Bool { bytes.count >= needle.count && bytes[..<needle.count].elementsEqual(needle) }
}

/// Search terms encoded once.
enum Needles {
    static func of(_ words: [String]) -> [[UInt8]] { words.map { Array($0.lowercased().utf8) } }
}
