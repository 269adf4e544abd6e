import FoundationEssentials
import Glibc

// What owatch used from Foundation beyond FoundationEssentials, which would link ICU's 34 MB of
// data: printf-style numbers, path components, case-insensitive equality, character sets for
// trimming, literal replacement, standard streams and threads.

extension String {
    /// `String(format:)` for numbers (`%04o`, `%.2f`, `%016llx`): C's own formatting, as
    /// Foundation's is for these conversions. No `%@`: interpolate strings.
    public init(cFormat format: String, _ args: CVarArg...) {
        self = withVaList(args) { va in
            var buffer = [CChar](repeating: 0, count: 128)
            let n = Int(vsnprintf(&buffer, buffer.count, format, va))
            guard n >= buffer.count else { return String(cString: buffer) }
            buffer = [CChar](repeating: 0, count: n + 1)
            return withVaList(args) { again in
                _ = vsnprintf(&buffer, buffer.count, format, again)
                return String(cString: buffer)
            }
        }
    }
}

// `@inlinable` where the scan (another module) calls them per header or line: specialised there (`LowerText`).
extension StringProtocol {
    /// Every occurrence of `target` replaced, left to right and not overlapping, compared scalar
    /// by scalar as Foundation's literal `replacingOccurrences(of:with:)` does.
    @inlinable public func replacingAll(_ target: String, with replacement: String) -> String {
        // On UTF-8 bytes: a whole scalar sequence matches only at scalar boundaries.
        let needle = Array(target.utf8)
        guard let head = needle.first else { return String(self) }
        let bytes = Array(utf8)
        guard bytes.contains(head) else { return String(self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var changed = false
        while i < bytes.count {
            if bytes[i] == head, i + needle.count <= bytes.count, bytes[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: replacement.utf8)
                i += needle.count
                changed = true
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : String(self)
    }

    /// The first occurrence of `needle` at or after `from`, byte for byte (scalar for scalar).
    @inlinable public func utf8Range(of needle: String, from: Index? = nil) -> Range<Index>? {
        let n = Array(needle.utf8)
        guard let head = n.first else { return nil }
        let v = utf8
        var i = from ?? v.startIndex
        while let at = v[i...].firstIndex(of: head) {
            if v[at...].starts(with: n) { return at..<v.index(at, offsetBy: n.count) }
            i = v.index(after: at)
        }
        return nil
    }

    /// Equal ignoring case (`caseInsensitiveCompare(_:) == .orderedSame`): ASCII byte by byte,
    /// otherwise by full case mapping and canonical equivalence.
    @inlinable public func equalsIgnoringCase(_ other: some StringProtocol) -> Bool {
        let a = utf8
        let b = other.utf8
        if a.allSatisfy({ $0 < 0x80 }) && b.allSatisfy({ $0 < 0x80 }) {
            return a.count == b.count && zip(a, b).allSatisfy { x, y in Path.asciiLower(x) == Path.asciiLower(y) }
        }
        return String(self).uppercased().lowercased() == String(other).uppercased().lowercased()
    }
}

/// A set of Unicode scalars for trimming and filtering: Foundation's `CharacterSet` as owatch uses it.
public struct ScalarSet: Sendable {
    package let test: @Sendable (Unicode.Scalar) -> Bool
    /// Only spaces and tabs among ASCII: `trimmed` may skip a string whose ends are printable ASCII.
    @usableFromInline package let isWhitespace: Bool

    package init(whitespace: Bool = false, _ test: @escaping @Sendable (Unicode.Scalar) -> Bool) {
        self.test = test
        self.isWhitespace = whitespace
    }

    public init(charactersIn s: String) {
        let members = Set(s.unicodeScalars)
        self.init { members.contains($0) }
    }

    public func contains(_ s: Unicode.Scalar) -> Bool { test(s) }

    /// General category Zs and tab.
    public static let whitespaces = ScalarSet(whitespace: true) { s in
        s.value < 0x80 ? s.value == 0x20 || s.value == 0x09 : s.properties.generalCategory == .spaceSeparator
    }
    /// General category Z*, U+000A…U+000D and U+0085, and tab.
    public static let whitespacesAndNewlines = ScalarSet(whitespace: true) { s in
        switch s.value {
        case 0x09...0x0D, 0x20, 0x85: return true
        case 0..<0x80: return false
        default:
            switch s.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }
    /// General categories L*, M* and N*.
    public static let alphanumerics = ScalarSet { s in
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark, .spacingMark,
            .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default: return false
        }
    }

    public func union(_ other: ScalarSet) -> ScalarSet { ScalarSet { test($0) || other.test($0) } }
}

extension StringProtocol {
    /// `trimmingCharacters(in:)`: the scalars of `set` removed from both ends.
    @inlinable public func trimmingScalars(_ set: ScalarSet) -> String {
        let scalars = Substring(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !set.contains($0) })!
        return String(scalars[first...last])
    }
}

/// Every path under `root`, relative to it, as `FileManager.enumerator(atPath:)` listed them:
/// directories descended (not through symbolic links), an unreadable one skipped; nil when
/// `root` itself cannot be read.
package func walkDirectory(_ root: String) -> [String]? {
    guard let top = try? FileManager.default.contentsOfDirectory(atPath: root) else { return nil }
    var out: [String] = []
    var pending = top.map { $0 }
    while let rel = pending.popLast() {
        out.append(rel)
        var st = stat()
        guard lstat(root + "/" + rel, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { continue }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + rel)) ?? [] { pending.append(rel + "/" + name) }
    }
    return out
}

/// `NSString`'s path components, for the paths owatch builds and is given.
public enum Path {
    /// Repeated slashes made one and a trailing slash dropped (but "/" kept).
    static func fixingSlashes(_ path: String) -> String {
        guard path.utf8.contains(UInt8(ascii: "/")) else { return path }
        var out: [UInt8] = []
        for b in path.utf8 where !(b == UInt8(ascii: "/") && out.last == UInt8(ascii: "/")) { out.append(b) }
        if out.count > 1 && out.last == UInt8(ascii: "/") { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// `lastPathComponent`: "/a/b/" → "b", "/" → "/", "b" → "b".
    public static func lastComponent(_ path: String) -> String {
        let fixed = fixingSlashes(path)
        guard fixed.utf8.count > 1, let slash = fixed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return fixed }
        return String(fixed[fixed.utf8.index(after: slash)...])
    }

    /// `deletingLastPathComponent`: "/a/b" → "/a", "/a" → "/", "a" → "", "/" → "/".
    public static func deletingLastComponent(_ path: String) -> String {
        let fixed = fixingSlashes(path)
        guard let slash = fixed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        if slash == fixed.utf8.startIndex { return "/" }
        return String(fixed[..<slash])
    }

    /// The user's home directory from the password database (`Path.home()` without `$HOME`).
    public static func home() -> String {
        if let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { return String(cString: dir) }
        return "/"
    }

    @usableFromInline static func asciiLower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
}

/// Standard streams and file sizes by file descriptor (Foundation's `FileHandle` is not in
/// FoundationEssentials).
public enum StandardStreams {
    /// Writes all of `bytes` to `fd`, retrying after signals; stops quietly on an error.
    public static func write(_ bytes: [UInt8], to fd: Int32 = 2) {
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }

    public static func writeError(_ text: String) { write(Array(text.utf8), to: 2) }

    /// Reads until end of file or `limit` bytes, whichever comes first.
    public static func read(_ fd: Int32 = 0, limit: Int = .max) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while out.count < limit {
            let want = min(chunk.count, limit - out.count)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: chunk[..<n])
        }
        return out
    }
}

/// A file opened for reading by descriptor: what the readers used of `FileHandle`.
package final class InputFile: @unchecked Sendable {
    package let fd: Int32

    package init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }

    package func seek(to offset: Int) -> Bool { lseek(fd, off_t(offset), SEEK_SET) >= 0 }

    /// At most `count` bytes (fewer only at the end of the file); nil on an error.
    package func read(upTo count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, count - got) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            got += n
        }
        out.removeSubrange(got...)
        return out
    }

    /// A regular file's size by `lstat` (what `FileManager.attributesOfItem` reports), or nil.
    package static func size(_ path: String) -> Int? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }
}

/// A thread of its own for `body` (Foundation's `Thread { … }.start()`), detached.
package func startThread(_ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
        &thread, nil,
        { raw in
            Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box)
    precondition(rc == 0, "cannot start a thread")
    pthread_detach(thread)
}

private final class ThreadBody {
    package let body: @Sendable () -> Void
    package init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// A mutex with a condition (Foundation's `NSCondition`, and `NSLock` when no one waits).
package final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    package func lock() { pthread_mutex_lock(mutex) }
    package func unlock() { pthread_mutex_unlock(mutex) }
    package func wait() { pthread_cond_wait(cond, mutex) }
    func broadcast() { pthread_cond_broadcast(cond) }
}

extension Substring {
    /// `%E2%82%AC` → its bytes (RFC 3986 §2.1; RFC 2231 values, URL passwords); a stray `%` stays.
    package var percentDecodedBytes: [UInt8] {
        var bytes: [UInt8] = []
        var it = Array(utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return bytes
    }
}
