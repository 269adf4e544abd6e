import Foundation

/// One message read from a source, with the key that recognises it on a later scan.
struct MailItem {
    let bytes: [UInt8]
    let fileKey: String?     // Maildir/eml: the file, so an unchanged file is never read twice
}

/// Streams messages from an mbox (mboxo or mboxrd: `From ` separator lines, `>From ` unquoted,
/// LF or CRLF), starting at a byte offset. Reads in chunks: memory follows the largest
/// message, not the file.
struct MboxReader {
    let handle: FileHandle
    private var buffer: [UInt8] = []
    private var pos = 0                   // where the unread part of the buffer starts
    private var bufferStart: Int          // file offset of buffer[0]
    private var eof = false
    private(set) var junkBytes = 0

    init(path: String, offset: Int) throws {
        guard let h = FileHandle(forReadingAtPath: path) else { throw OWError(.missingInput, "cannot open \(path)") }
        handle = h
        bufferStart = offset
        try h.seek(toOffset: UInt64(offset))
    }

    static let chunk = 1 << 20

    /// Reads another chunk; first drops what was consumed, so memory stays about one chunk
    /// plus the largest message, whatever the size of the file.
    private mutating func fill() -> Bool {
        guard !eof else { return false }
        if pos > 0 {
            buffer.removeSubrange(0..<pos)
            bufferStart += pos
            pos = 0
        }
        let data = (try? handle.read(upToCount: MboxReader.chunk)) ?? nil
        guard let data, !data.isEmpty else { eof = true; return false }
        buffer.append(contentsOf: data)
        return true
    }

    /// Is there a `From ` separator line starting at `i` (which is at a line start)?
    private func isSeparator(_ i: Int) -> Bool {
        i + 5 <= buffer.count && buffer[i] == 0x46 && buffer[i + 1] == 0x72 && buffer[i + 2] == 0x6F && buffer[i + 3] == 0x6D && buffer[i + 4] == 0x20
    }

    /// The index of the next line feed at or after `i`, or nil.
    private func newline(from i: Int) -> Int? {
        guard i < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { b in
            memchr(b.baseAddress! + i, 0x0A, b.count - i).map { b.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
        }
    }

    /// The next message and the file offset just past it. Indices below are relative to the
    /// buffer, whose consumed prefix `fill` may drop; they are rebased after each fill.
    mutating func next() -> (MailItem, Int)? {
        // Find the first separator at a line start; junk before it is skipped line by line.
        while true {
            if pos + 5 > buffer.count { guard fill() else { junkBytes += buffer.count - pos; pos = buffer.count; return nil }; continue }
            if isSeparator(pos) { break }
            guard let nl = newline(from: pos) else {
                if !fill() { junkBytes += buffer.count - pos; pos = buffer.count; return nil }
                continue
            }
            junkBytes += nl + 1 - pos
            pos = nl + 1
        }
        // Skip the separator line itself.
        var bodyOffset: Int        // from pos
        while true {
            if let nl = newline(from: pos) { bodyOffset = nl + 1 - pos; break }
            if !fill() { bodyOffset = buffer.count - pos; break }
        }
        // Find the next separator line (a line starting "From " after a line break).
        var scanOffset = bodyOffset  // from pos: where the search for the next separator resumes
        var endOffset: Int
        while true {
            var found: Int? = nil
            var i = pos + scanOffset
            while let nl = newline(from: i) {
                if nl + 6 > buffer.count { break }          // need more bytes to decide
                if isSeparator(nl + 1) { found = nl + 1; break }
                i = nl + 1
            }
            if let f = found { endOffset = f - pos; break }
            scanOffset = i - pos
            if !fill() { endOffset = buffer.count - pos; break }
        }
        var bytes = Array(buffer[(pos + bodyOffset)..<(pos + endOffset)])
        MboxReader.unquote(&bytes)
        pos += endOffset
        return (MailItem(bytes: bytes, fileKey: nil), bufferStart + pos)
    }

    /// mboxrd: a line `>From ` (any number of `>`) loses one `>`.
    static func unquote(_ bytes: inout [UInt8]) {
        // Most messages have no quoted line at all: look for one before copying anything.
        func quotedFrom(at i: Int) -> Bool {
            var j = i
            while j < bytes.count, bytes[j] == 0x3E { j += 1 }
            return j > i && j + 5 <= bytes.count && bytes[j] == 0x46 && bytes[j + 1] == 0x72 && bytes[j + 2] == 0x6F && bytes[j + 3] == 0x6D && bytes[j + 4] == 0x20
        }
        var any = quotedFrom(at: 0)
        var k = 0
        while !any, k < bytes.count {
            if bytes[k] == 0x0A && k + 1 < bytes.count && bytes[k + 1] == 0x3E && quotedFrom(at: k + 1) { any = true }
            k += 1
        }
        guard any else { return }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var lineStart = true
        var i = 0
        while i < bytes.count {
            if lineStart, bytes[i] == 0x3E, quotedFrom(at: i) { i += 1 }
            lineStart = bytes[i] == 0x0A
            out.append(bytes[i])
            i += 1
        }
        bytes = out
    }

    /// Fingerprint of the bytes just before `offset` and at the start of the file: if either
    /// changed, the mbox was rewritten and is read again from the start.
    static func check(path: String, offset: Int) -> String? {
        guard offset > 0, let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 4096)) ?? Data()
        let tailStart = max(0, offset - 4096)
        try? h.seek(toOffset: UInt64(tailStart))
        let tail = (try? h.read(upToCount: offset - tailStart)) ?? Data()
        return Crypto.hex(Crypto.sha256([UInt8](head) + [UInt8](tail)))
    }
}

enum MailFiles {
    /// Maildir messages in `cur/` and `new/`, keyed by their unique name (flags after `:2,` ignored).
    static func maildir(_ path: String) throws -> [(path: String, key: String)] {
        var out: [(String, String)] = []
        for sub in ["cur", "new"] {
            let dir = path + "/" + sub
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for n in names.sorted() where !n.hasPrefix(".") {
                let unique = n.split(separator: ":", maxSplits: 1).first.map(String.init) ?? n
                out.append((dir + "/" + n, "maildir:" + unique))
            }
        }
        guard FileManager.default.fileExists(atPath: path + "/cur") || FileManager.default.fileExists(atPath: path + "/new") else {
            throw OWError.badData("\(path) is not a Maildir (no cur/ or new/)")
        }
        return out
    }

    /// A `.eml` file, or every `.eml` file in a directory (recursively), keyed by path, size and time.
    static func eml(_ path: String) throws -> [(path: String, key: String)] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw OWError(.missingInput, "no such file \(path)") }
        var files: [String] = []
        if isDir.boolValue {
            let e = FileManager.default.enumerator(atPath: path)
            while let f = e?.nextObject() as? String { if f.lowercased().hasSuffix(".eml") { files.append(path + "/" + f) } }
        } else {
            files = [path]
        }
        return files.sorted().map { f in
            let attrs = try? FileManager.default.attributesOfItem(atPath: f)
            let size = (attrs?[.size] as? NSNumber)?.intValue ?? 0
            let mtime = (attrs?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return (f, "eml:\(f):\(size):\(Int(mtime))")
        }
    }
}
