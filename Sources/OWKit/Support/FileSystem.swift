import FoundationEssentials
import Glibc

/// File handling with the strictness of OpenSSH: secrets are 0600, written atomically,
/// and refused when others can read them.
public enum FileSystem {
    /// A file-system error in words: the system's own for the underlying errno.
    static func errorDescription(_ error: any Error) -> String {
        if let e = error as? CocoaError, let posix = e.underlying as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        return "\(error)"
    }

    public static func makeDirectory(_ path: String, mode: mode_t) throws {
        guard !path.isEmpty, !FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: Int(mode)])
        } catch {
            throw OWError(.io, "cannot create directory \(path): \(errorDescription(error))")
        }
    }

    /// Writes a file atomically (temp file + rename) with the given mode from the first byte,
    /// so a secret is never briefly readable and a crash never leaves half a file.
    public static func writeAtomically(_ path: String, contents: String, mode: mode_t = 0o600) throws {
        try writeAtomically(path, bytes: Array(contents.utf8), mode: mode)
    }

    public static func writeAtomically(_ path: String, bytes: [UInt8], mode: mode_t = 0o600) throws {
        let dir = Path.deletingLastComponent(path)
        try makeDirectory(dir.isEmpty ? "." : dir, mode: 0o700)
        let tmp = path + ".tmp-\(getpid())-\(Crypto.hex(Crypto.randomBytes(4)))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw OWError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            written += n
        }
        let synced = fsync(fd) == 0
        _ = fchmod(fd, mode)
        close(fd)
        guard written == bytes.count, synced, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw OWError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// An output file the user named (`report html --out`): like `writeAtomically`, but a
    /// missing parent directory is an error (a typo should not create directories).
    public static func writeOutput(_ path: String, contents: String, mode: mode_t = 0o600) throws {
        try writeOutput(path, bytes: Array(contents.utf8), mode: mode)
    }

    public static func writeOutput(_ path: String, bytes: [UInt8], mode: mode_t = 0o600) throws {
        let dir = Path.deletingLastComponent(path)
        guard dir.isEmpty || isDirectory(dir) else {
            throw OWError(
                .missingInput, "no directory \(dir) to write \(Path.lastComponent(path)) into",
                hint: "create it first, or choose another path")
        }
        try writeAtomically(path, bytes: bytes, mode: mode)
    }

    /// An input file the user named, at most `maxBytes`. Standard input (`-`) is the front end's to
    /// read, through the run's streams (`Invocation.readInput`).
    public static func readInput(_ path: String, maxBytes: Int = 256 << 20) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw OWError(.missingInput, "no file \(path)") }
        guard !isDirectory(path) else { throw OWError(.missingInput, "\(path) is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw OWError(.io, "cannot read \(path)") }
        guard data.count <= maxBytes else { throw OWError.badData("\(path) is larger than \(maxBytes >> 20) MB") }
        return [UInt8](data)
    }

    /// Reads a secret (token or private key), refusing it when group or others may read it.
    public static func readSecret(_ path: String, what: String, maxBytes: Int = 1 << 20) throws -> String {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw OWError(.missingInput, "no \(what) at \(path)")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw OWError.badData("\(what) \(path) is not a regular file") }
        if st.st_mode & 0o077 != 0 {
            throw OWError(
                .notPermitted,
                "\(what) \(path) is accessible by others (mode \(String(cFormat: "%04o", Int(st.st_mode & 0o7777)))); it must be private",
                hint: "chmod 600 \(ShellWord.quoted(path))")
        }
        guard st.st_size <= off_t(maxBytes) else { throw OWError.badData("\(what) \(path) is too large") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OWError(.io, "cannot read \(what) \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public static func isDirectory(_ path: String) -> Bool {
        var isDir = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir
    }

    /// Why a file whose contents owatch acts on (a hook, the server's configuration) cannot be
    /// trusted, or nil when it can: like sshd's StrictModes, it and the directory holding it must
    /// be owned by this process's effective user or root and writable by nobody else. A symbolic
    /// link is judged by what it points to and that file's directory too.
    public static func untrusted(_ path: String) -> String? {
        var places = [path, Path.deletingLastComponent(path)]
        if let real = realpath(path, nil) {
            let resolved = String(cString: real)
            free(real)
            if resolved != path { places += [resolved, Path.deletingLastComponent(resolved)] }
        }
        let me = geteuid()
        for place in places where !place.isEmpty {
            var st = stat()
            guard stat(place, &st) == 0 else { return "\(place) cannot be read (\(String(cString: strerror(errno))))" }
            if st.st_uid != me && st.st_uid != 0 {
                return "\(place) belongs to another user (uid \(st.st_uid)); it must be owned by \(Self.userName(me)) or root"
            }
            if st.st_mode & 0o022 != 0 {
                let who = st.st_mode & 0o002 != 0 ? "anyone" : "its group"
                return "\(place) is writable by \(who) (mode \(String(cFormat: "%04o", Int(st.st_mode & 0o7777)))): chmod go-w \(place)"
            }
        }
        return nil
    }

    /// A user id's login name, for messages.
    public static func userName(_ uid: uid_t) -> String {
        guard let pw = getpwuid(uid), let name = pw.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    public static func mode(_ path: String) -> mode_t? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return st.st_mode & 0o7777
    }
}
