import FoundationEssentials
import Glibc

/// Lower-cased UTF-8 text searched with libc's memchr and memcmp. On Linux, `String.contains` and
/// `range(of:)` go through NSString (UTF-16 conversion and CFStringFind); those were two
/// thirds of a scan's time. Needles are lower-case and encoded once (`Needles`).
/// The scan (OWOffice) calls these per line across the module boundary: `@inlinable` lets them be
/// inlined and specialised there; generic code called across modules runs unspecialised, through
/// witness tables and runtime metadata (issue 30: a third of the scan's CPU after the layers split).
package struct LowerText {
    package let bytes: [UInt8]

    @inlinable package init(_ text: String) { bytes = Array(text.lowercased().utf8) }
    @inlinable package init(lowered: [UInt8]) { bytes = lowered }

    /// A line of UTF-8 bytes: ASCII (nearly every line) is lower-cased byte by byte, the rest
    /// through String. Offsets match the line's whenever the lengths agree.
    @inlinable package init(utf8 line: ArraySlice<UInt8>) {
        bytes = Self.asciiFolded(line, onlyASCII: true) ?? Array(String(decoding: line, as: UTF8.self).lowercased().utf8)
    }

    /// ASCII letters lower-cased, every other byte kept: offsets always match the original's,
    /// whatever case-changing characters (`İ` grows when lower-cased) the line holds.
    @inlinable package init(asciiFolding line: ArraySlice<UInt8>) {
        bytes = Self.asciiFolded(line, onlyASCII: false)!
    }

    /// `line` with ASCII letters lower-cased; nil when `onlyASCII` and it holds another byte. Through
    /// pointers: `allSatisfy` and `map` ran a closure through a generic iterator per byte in debug
    /// builds, on every line of every receipt (issue 32, scan speed).
    @usableFromInline static func asciiFolded(_ line: ArraySlice<UInt8>, onlyASCII: Bool) -> [UInt8]? {
        line.withUnsafeBufferPointer { p -> [UInt8]? in
            guard let from = p.baseAddress, p.count > 0 else { return [] }
            let count = p.count
            if onlyASCII {
                var i = 0
                while i < count {
                    if from[i] >= 0x80 { return nil }
                    i += 1
                }
            }
            return [UInt8](unsafeUninitializedCapacity: count) { out, written in
                let to = out.baseAddress!
                var i = 0
                while i < count {
                    let b = from[i]
                    to[i] = b >= 65 && b <= 90 ? b | 0x20 : b
                    i += 1
                }
                written = count
            }
        }
    }

    /// Whether `word` (lower case) stands here as a word of its own: no letter, digit or non-ASCII
    /// byte (part of "ä", "ß") on either side. One rule for every whole-word test of a reader.
    package func hasWord(_ word: [UInt8]) -> Bool {
        func wordByte(_ at: Int) -> Bool {
            guard at >= 0, at < bytes.count else { return false }
            let b = bytes[at]
            return b >= 0x80 || (b >= 48 && b <= 57) || (b >= 97 && b <= 122)
        }
        var from = 0
        while let at = find(word, from: from) {
            if !wordByte(at - 1) && !wordByte(at + word.count) { return true }
            from = at + 1
        }
        return false
    }

    /// Byte offset of the first occurrence of `needle` at or after `from`.
    /// Always inlined: called once per label per line from OWOffice, where a call across the module
    /// boundary retained and released both arrays on every call (issue 30).
    @inlinable @inline(__always) package func find(_ needle: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, from >= 0, bytes.count - from >= needle.count else { return nil }
        return bytes.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let base = h.baseAddress!
                let last = h.count - n.count  // the last offset a match can start at
                var i = from
                while i <= last {
                    guard let hit = memchr(base + i, Int32(n[0]), last - i + 1) else { return nil }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    // The last byte first: most hits of a common first letter fail there, without a call.
                    if base[at + n.count - 1] == n[n.count - 1], memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }

    @inlinable package func contains(_ needle: [UInt8]) -> Bool { find(needle) != nil }
    /// Whether any term of `set` is in the text: a long set is ruled out term by term against the
    /// bytes the text holds with each term's own byte set, made once (four ANDs, not a walk over
    /// the term's bytes on every call: the readers ask this of every subject, issue 32).
    @inlinable package func contains(any set: NeedleSet) -> Bool {
        guard set.needles.count >= 16 else { return set.needles.contains { find($0) != nil } }
        return first(of: set) != nil
    }

    /// The first term of `set`, in the set's order (labels ranked best first), that is in the text,
    /// and where. Through buffers: iterating the arrays of terms retained and released each term
    /// per line (a third of the total label's search in a release scan, issue 32).
    @inlinable package func first(of set: NeedleSet) -> (index: Int, at: Int)? {
        let held = ByteMask(bytes)
        return set.needles.withUnsafeBufferPointer { needles in
            set.masks.withUnsafeBufferPointer { masks in
                for i in 0..<needles.count where held.covers(masks[i]) {
                    if let at = find(needles[i]) { return (i, at) }
                }
                return nil
            }
        }
    }
    @inlinable package func hasPrefix(_ needle: [UInt8]) -> Bool {
        bytes.count >= needle.count && bytes[..<needle.count].elementsEqual(needle)
    }
}

/// Search terms encoded once.
package enum Needles {
    package static func of(_ words: [String]) -> [[UInt8]] { words.map { Array($0.lowercased().utf8) } }
}

/// Search terms encoded once, each with the set of its bytes, for `LowerText.contains(any:)`.
package struct NeedleSet: Sendable {
    package let needles: [[UInt8]]
    @usableFromInline let masks: [ByteMask]

    package init(_ words: [String]) {
        needles = Needles.of(words)
        masks = needles.map(ByteMask.init)
    }
}

/// The set of byte values a text holds (256 bits): a needle with a byte the text lacks is not in
/// it, so long lists of needles are mostly ruled out without a search.
package struct ByteMask: Sendable {
    /// Internal, not private: the inlinable members below read it in the caller's module.
    @usableFromInline var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Of an array, not any sequence: a generic init is not specialised in the readers' module (OWReaders)
    /// even when inlinable, and ran there through witness tables on every line (issue 30).
    @inlinable package init(_ bytes: [UInt8]) {
        // Without branches: letters and digits, spaces and punctuation fall in different words at random.
        var (w0, w1, w2, w3) = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for b in bytes {
            let bit = UInt64(1) << UInt64(b & 63)
            let quarter = b >> 6
            w0 |= quarter == 0 ? bit : 0
            w1 |= quarter == 1 ? bit : 0
            w2 |= quarter == 2 ? bit : 0
            w3 |= quarter == 3 ? bit : 0
        }
        words = (w0, w1, w2, w3)
    }

    /// Whether every byte of `needle` (its mask) is in this one.
    @inlinable package func covers(_ needle: ByteMask) -> Bool {
        needle.words.0 & ~words.0 == 0 && needle.words.1 & ~words.1 == 0 && needle.words.2 & ~words.2 == 0
            && needle.words.3 & ~words.3 == 0
    }
}

// Generic over StringProtocol and called by the scan in another module: inlinable, so they are
// specialised for String and Substring there (see `LowerText`).
extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, CR and LF, trimmed natively
    /// (Foundation's `trimmingCharacters` bridges to NSString on Linux; it is on every header).
    @inlinable package var trimmedBlanks: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !blank($0) }) else { return "" }
        let last = lastIndex(where: { !blank($0) })!
        return String(self[first...last])
    }

    /// Equality ignoring ASCII case, as header names compare (RFC 5322).
    @inlinable package func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let a = utf8
        let b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in x == y || (x | 0x20 == y | 0x20 && x | 0x20 >= 97 && x | 0x20 <= 122) }
    }

    /// Whether the text ends with `suffix` (ASCII, lower case), ignoring ASCII case; no copy.
    @inlinable package func hasSuffixIgnoringASCIICase(_ suffix: String) -> Bool {
        // Forward over the tail: a generic `utf8` is only a Collection, whose reversed() builds an array per call.
        let count = utf8.count
        let wanted = suffix.utf8.count
        guard count >= wanted else { return false }
        for (x, b) in zip(utf8.dropFirst(count - wanted), suffix.utf8) {
            guard x == b || (x | 0x20 == b && b >= 97 && b <= 122) else { return false }
        }
        return true
    }

    /// Every `target` byte removed, on UTF-8 (for CR and LF in folded headers and bodies).
    @inlinable package func removingByte(_ target: UInt8) -> String {
        utf8.contains(target) ? String(decoding: utf8.filter { $0 != target }, as: UTF8.self) : String(self)
    }

    /// Every `target` byte (ASCII) replaced by `replacement`, on UTF-8: the text itself when it holds none, as
    /// nearly every payee and field does (the standard library's `replacing` ran a generic search on each,
    /// per exported charge). By byte, not by character: a `"` or `|` with a combining mark after it is
    /// still one, where the character-wise search would have left it for a CSV or journal reader to see.
    @inlinable package func replacingByte(_ target: UInt8, with replacement: String) -> String {
        guard utf8.contains(target) else { return String(self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + replacement.utf8.count)
        for b in utf8 {
            if b == target { bytes.append(contentsOf: replacement.utf8) } else { bytes.append(b) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    /// Substring test on UTF-8 bytes (Foundation's `contains` bridges to NSString on Linux).
    @inlinable package func includes(_ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard !n.isEmpty else { return true }
        // A native string's bytes are searched where they are (this runs on whole messages); others are copied.
        if let found = utf8.withContiguousStorageIfAvailable({ Self.find(n, in: $0) }) { return found }
        return Array(utf8).withUnsafeBufferPointer { Self.find(n, in: $0) }
    }

    @usableFromInline static func find(_ n: [UInt8], in h: UnsafeBufferPointer<UInt8>) -> Bool {
        guard h.count >= n.count else { return false }
        let first = n[0]
        var i = 0
        let last = h.count - n.count
        while i <= last {
            guard let hit = memchr(h.baseAddress! + i, Int32(first), last - i + 1) else { return false }
            let at = h.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if n.withUnsafeBufferPointer({ memcmp(h.baseAddress! + at, $0.baseAddress!, n.count) }) == 0 { return true }
            i = at + 1
        }
        return false
    }
}
