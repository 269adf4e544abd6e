import FoundationEssentials
import Glibc
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// One message read from a source, with the key that recognises it on a later scan.
package struct MailItem {
    package let bytes: [UInt8]
    let fileKey: String?  // Maildir/eml: the file, so an unchanged file is never read twice
}

/// One entry of an mbox: a message, or one too large to read (skipped, never buffered whole).
package enum MboxEntry {
    case message(MailItem, start: Int, end: Int)
    case oversized(start: Int, size: Int, end: Int)

    package var end: Int {
        switch self {
        case .message(_, _, let end), .oversized(_, _, let end): return end
        }
    }
}

/// Streams messages from an mbox (mboxo or mboxrd: `From ` separator lines, `>From ` unquoted,
/// LF or CRLF), starting at a byte offset. Reads in chunks: memory is about one chunk plus the
/// largest message up to `maxMessageBytes`; a larger one is passed over without being kept,
/// and every byte is searched once (a gigabyte of NULs with no newline is linear too).
package struct MboxReader {
    let handle: InputFile
    let maxMessageBytes: Int
    private var buffer: [UInt8] = []
    private var pos = 0  // where the unread part of the buffer starts
    private var bufferStart: Int  // file offset of buffer[0]
    private var eof = false
    private(set) var junkBytes = 0

    package init(path: String, offset: Int, maxMessageBytes: Int = ScanLimits.standard.maxMessageBytes) throws {
        guard let h = InputFile(path: path) else { throw OWError(.missingInput, "cannot open \(path)") }
        handle = h
        bufferStart = offset
        self.maxMessageBytes = maxMessageBytes
        guard h.seek(to: offset) else { throw OWError(.io, "cannot read \(path)") }
    }

    static let chunk = 1 << 20

    /// Drops `buffer[..<keep]` and reads another chunk. Returns how far indices moved, or nil
    /// at the end of the file.
    private mutating func fill(keeping keep: Int) -> Int? {
        guard !eof else { return nil }
        let data = handle.read(upTo: MboxReader.chunk)
        guard let data, !data.isEmpty else {
            eof = true
            return nil
        }
        if keep > 0 {
            buffer.removeSubrange(0..<keep)
            bufferStart += keep
            pos -= keep
        }
        buffer.append(contentsOf: data)
        return keep
    }

    /// Is there a `From ` separator line starting at `i` (which is at a line start)?
    private func isSeparator(_ i: Int) -> Bool {
        i + 5 <= buffer.count && buffer[i] == 0x46 && buffer[i + 1] == 0x72 && buffer[i + 2] == 0x6F && buffer[i + 3] == 0x6D
            && buffer[i + 4] == 0x20
    }

    /// The index of the next line feed at or after `i`, or nil.
    private func newline(from i: Int) -> Int? {
        guard i < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { b in
            memchr(b.baseAddress! + i, 0x0A, b.count - i).map { b.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
        }
    }

    /// Moves `pos` to the next separator line; junk before it is counted. False at the end.
    private mutating func skipToSeparator() -> Bool {
        var atLineStart = true
        while true {
            if atLineStart {
                if buffer.count - pos < 5 {
                    if fill(keeping: pos) != nil { continue }
                    junkBytes += buffer.count - pos
                    pos = buffer.count
                    return false
                }
                if isSeparator(pos) { return true }
            }
            if let nl = newline(from: pos) {
                junkBytes += nl + 1 - pos
                pos = nl + 1
                atLineStart = true
            } else {
                // A junk line that goes on: drop what was searched, never search it again.
                junkBytes += buffer.count - pos
                pos = buffer.count
                atLineStart = false
                if fill(keeping: pos) == nil { return false }
            }
        }
    }

    /// The next entry. A message's bytes are kept from its separator to the next separator;
    /// once they pass `maxMessageBytes` only the search position is kept.
    package mutating func next() -> MboxEntry? {
        guard skipToSeparator() else { return nil }
        let start = bufferStart + pos
        var keep = pos  // the first byte still needed
        var search = pos  // where the search for a line feed resumes
        var bodyStart: Int?  // after the separator line (nil while oversized)
        var oversized = false
        var end: Int
        // The separator line, then each following line start until one is a separator.
        while true {
            var found: Int?
            while true {
                guard let nl = newline(from: search) else {
                    search = buffer.count  // no line feed up to here: never searched again
                    break
                }
                if bodyStart == nil && !oversized {
                    bodyStart = nl + 1
                    search = nl + 1
                    continue
                }
                if nl + 6 > buffer.count {  // need more bytes to decide
                    search = nl
                    break
                }
                if isSeparator(nl + 1) {
                    found = nl + 1
                    break
                }
                search = nl + 1
            }
            if let f = found {
                end = f
                break
            }
            if !oversized, bufferStart + buffer.count - start > maxMessageBytes {
                oversized = true
                bodyStart = nil
            }
            if oversized { keep = min(search, buffer.count) }
            guard let shift = fill(keeping: keep) else {
                end = buffer.count
                break
            }
            keep -= shift
            search -= shift
            if let b = bodyStart { bodyStart = b - shift }
        }
        let endOffset = bufferStart + end
        pos = end
        guard !oversized, let body = bodyStart else {
            return .oversized(start: start, size: endOffset - start, end: endOffset)
        }
        var bytes = Array(buffer[min(body, end)..<end])
        MboxReader.unquote(&bytes)
        return .message(MailItem(bytes: bytes, fileKey: nil), start: start, end: endOffset)
    }

    /// mboxrd: a line `>From ` (any number of `>`) loses one `>`.
    static func unquote(_ bytes: inout [UInt8]) {
        // Most messages have no quoted line at all: look for one before copying anything.
        func quotedFrom(at i: Int) -> Bool {
            var j = i
            while j < bytes.count, bytes[j] == 0x3E { j += 1 }
            return j > i && j + 5 <= bytes.count && bytes[j] == 0x46 && bytes[j + 1] == 0x72 && bytes[j + 2] == 0x6F && bytes[j + 3] == 0x6D
                && bytes[j + 4] == 0x20
        }
        var any = quotedFrom(at: 0)
        if !any {
            // Line by line with memchr (a byte loop over every message was 2% of a scan).
            any = bytes.withUnsafeBufferPointer { b in
                var k = 0
                while k < b.count, let hit = memchr(b.baseAddress! + k, 0x0A, b.count - k) {
                    let at = b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if at + 1 < b.count && b[at + 1] == 0x3E && quotedFrom(at: at + 1) { return true }
                    k = at + 1
                }
                return false
            }
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
    package static func check(path: String, offset: Int) -> String? {
        guard offset > 0, let h = InputFile(path: path) else { return nil }
        let head = h.read(upTo: 4096) ?? []
        let tailStart = max(0, offset - 4096)
        let tail = h.seek(to: tailStart) ? h.read(upTo: offset - tailStart) ?? [] : []
        return Crypto.hex(Crypto.sha256(head + tail))
    }
}

package enum MailFiles {
    package enum Contents {
        case bytes([UInt8])
        case tooLarge(Int)
        case unreadable
    }

    /// A file's bytes, or its size when it is larger than `maxBytes`: a 2 GB file dropped in
    /// `Maildir/new` is never read (the size is looked at first, and at most `maxBytes + 1`
    /// bytes are read, in case it grew).
    package static func read(_ path: String, maxBytes: Int) -> Contents {
        guard let h = InputFile(path: path) else { return .unreadable }
        var st = stat()
        guard fstat(h.fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return .unreadable }
        if Int(st.st_size) > maxBytes { return .tooLarge(Int(st.st_size)) }
        guard let data = h.read(upTo: maxBytes + 1) else { return .unreadable }
        if data.count > maxBytes { return .tooLarge(data.count) }
        return .bytes(data)
    }

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
        var isDir = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw OWError(.missingInput, "no such file \(path)")
        }
        var files: [String] = []
        if isDir {
            let all = walkDirectory(path) ?? []
            for f in all where f.lowercased().hasSuffix(".eml") { files.append(path + "/" + f) }
        } else {
            files = [path]
        }
        return files.sorted().map { f in
            let attrs = try? FileManager.default.attributesOfItem(atPath: f)
            let size = InputFile.size(f) ?? 0
            let mtime = (attrs?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return (f, "eml:\(f):\(size):\(Int(mtime))")
        }
    }
}
