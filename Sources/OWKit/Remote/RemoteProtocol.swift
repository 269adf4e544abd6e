import FoundationEssentials
import Glibc
import OWCore

/// owatch's remote protocol: one command run on the machine that holds the ledger, with the
/// client's files, token and terminal, over any byte pipe (ssh, sudo). Nothing of the request
/// is ever on a command line: the client always runs the fixed `owatch remote-exec`.
///
/// Client → server, on the server's standard input:
///   `OWATCH-REMOTE <protocol>\n`, a 4-byte big-endian length and that many bytes of JSON
///   (the `RemoteRequest`), then each input file's bytes in the order and sizes the request
///   lists, then, when the request says so, the client's standard input to its end.
/// Server → client, on the server's standard output: frames of one type byte, a 4-byte
///   big-endian length and the payload (`RemoteFrame`), the first a hello, the last the exit code.
public enum RemoteProtocol {
    /// Raised when the wire format changes; a server answers the protocols it speaks.
    public static let version = 1
    public static let magic = "OWATCH-REMOTE"
    /// Bounds against a hostile or broken peer.
    public static let maxHeader = 4 << 20
    public static let maxUpload = 512 << 20
    public static let maxEntries = 100_000
    public static let maxFrame = 1 << 30
}

/// What a file-naming argument or option is, as the command table declares it.
public enum FileUse: String, Sendable {
    case input  // read on the client and sent (`-` streams standard input)
    case inputTree  // like input; a directory is sent with everything under it (a Maildir)
    case output  // written on the client, with the mode the command gave it
    case outputDirectory
}

/// One file-naming value of the command line, and what travels for it.
public struct RemoteSlot: Sendable, Equatable {
    public var argument: Int  // index in `RemoteRequest.arguments`
    public var use: FileUse
    public var original: String  // as the user typed it: shown in messages
    public var entries: [Entry] = []  // inputs: the files sent, in order
    public var isDirectory = false
    public var exists = false  // outputs: whether the client already has it

    public struct Entry: Sendable, Equatable {
        public var path: String  // relative to the slot ("" for a single file)
        public var size: Int
        public var mode: Int
        public init(path: String, size: Int, mode: Int) {
            self.path = path
            self.size = size
            self.mode = mode
        }
    }

    public init(argument: Int, use: FileUse, original: String) {
        self.argument = argument
        self.use = use
        self.original = original
    }
}

/// The request header.
public struct RemoteRequest: Sendable, Equatable {
    public var protocolVersion = RemoteProtocol.version
    public var clientVersion: String
    public var arguments: [String]
    public var slots: [RemoteSlot] = []
    public var token: String?
    public var tokenName = "your token file"  // the client's path, for messages
    public var ledger: String?  // the path of the URL, when it names one
    public var environment: [String: String] = [:]
    public var stdoutIsTTY = false
    public var stderrIsTTY = false
    public var stdinIsTTY = false
    public var width: Int?
    public var streamsStdin = false

    public init(clientVersion: String, arguments: [String]) {
        self.clientVersion = clientVersion
        self.arguments = arguments
    }

    /// The environment variables that change what a command prints; nothing else travels.
    public static let forwardedEnvironment = ["OWATCH_FORMAT", "NO_COLOR", "TERM", "LC_ALL", "LC_CTYPE", "LANG"]

    public var json: JSON {
        .obj([
            ("protocol", .int(protocolVersion)), ("client", .string(clientVersion)),
            ("arguments", .array(arguments.map(JSON.string))),
            (
                "slots",
                .array(
                    slots.map { s in
                        .obj([
                            ("argument", .int(s.argument)), ("use", .string(s.use.rawValue)), ("original", .string(s.original)),
                            ("directory", .bool(s.isDirectory)), ("exists", .bool(s.exists)),
                            (
                                "entries",
                                .array(
                                    s.entries.map { .obj([("path", .string($0.path)), ("size", .int($0.size)), ("mode", .int($0.mode))]) })
                            ),
                        ])
                    })
            ),
            ("token", token.map(JSON.string) ?? .null), ("token_name", .string(tokenName)), ("ledger", ledger.map(JSON.string) ?? .null),
            ("environment", .obj(environment.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            (
                "terminal",
                .obj([
                    ("stdout", .bool(stdoutIsTTY)), ("stderr", .bool(stderrIsTTY)), ("stdin", .bool(stdinIsTTY)),
                    ("width", width.map { .int($0) } ?? .null),
                ])
            ),
            ("stdin", .bool(streamsStdin)),
        ])
    }

    /// Reads a header, checking every field: it comes from whoever can reach the account.
    public init(json j: JSON) throws {
        func bad(_ what: String) -> OWError { OWError.badData("the remote request's \(what) is malformed") }
        guard let p = j["protocol"]?.intValue else { throw bad("protocol") }
        protocolVersion = Int(p)
        clientVersion = j["client"]?.stringValue ?? "?"
        guard let args = j["arguments"]?.arrayValue?.compactMap(\.stringValue), args.count == j["arguments"]?.arrayValue?.count else {
            throw bad("arguments")
        }
        arguments = args
        var total = 0
        var entryCount = 0
        for s in j["slots"]?.arrayValue ?? [] {
            guard let index = s["argument"]?.intValue, index >= 0, Int(index) < args.count,
                let use = s["use"]?.stringValue.flatMap(FileUse.init(rawValue:)), let original = s["original"]?.stringValue
            else { throw bad("file list") }
            var slot = RemoteSlot(argument: Int(index), use: use, original: original)
            slot.isDirectory = s["directory"]?.boolValue ?? false
            slot.exists = s["exists"]?.boolValue ?? false
            for e in s["entries"]?.arrayValue ?? [] {
                guard let path = e["path"]?.stringValue, RemoteRequest.isSafeRelative(path), let size = e["size"]?.intValue, size >= 0,
                    let mode = e["mode"]?.intValue
                else { throw bad("file list") }
                total += Int(size)
                entryCount += 1
                slot.entries.append(.init(path: path, size: Int(size), mode: Int(mode) & 0o777))
            }
            slots.append(slot)
        }
        guard total <= RemoteProtocol.maxUpload, entryCount <= RemoteProtocol.maxEntries else {
            throw OWError.badData(
                "the request's files are larger than \(RemoteProtocol.maxUpload >> 20) MB or more than \(RemoteProtocol.maxEntries) files")
        }
        token = j["token"]?.stringValue
        tokenName = j["token_name"]?.stringValue ?? tokenName
        ledger = j["ledger"]?.stringValue
        for m in j["environment"]?.members ?? [] where RemoteRequest.forwardedEnvironment.contains(m.key) {
            environment[m.key] = m.value.stringValue
        }
        let t = j["terminal"]
        stdoutIsTTY = t?["stdout"]?.boolValue ?? false
        stderrIsTTY = t?["stderr"]?.boolValue ?? false
        stdinIsTTY = t?["stdin"]?.boolValue ?? false
        width = t?["width"]?.intValue.map(Int.init).flatMap { (1...10_000).contains($0) ? $0 : nil }
        streamsStdin = j["stdin"]?.boolValue ?? false
        // No command line carries a NUL, and the command started for this request gets C strings, cut at the
        // first one: a value the server checked would mean something else to the command it runs.
        let texts = arguments + slots.map(\.original) + [token, tokenName, ledger].compactMap { $0 } + environment.values
        guard !texts.contains(where: { $0.utf8.contains(0) }) else {
            throw OWError.badData("the remote request holds a NUL byte, which no command line can")
        }
    }

    /// A path inside a slot's directory: relative, no `..`, no empty or hidden tricks.
    static func isSafeRelative(_ path: String) -> Bool {
        if path.isEmpty { return true }
        guard !path.hasPrefix("/"), !path.utf8.contains(0), path.utf8.count < 4096 else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }
}

/// A server → client frame.
public enum RemoteFrame: Equatable, Sendable {
    case hello(JSON)  // h: {"protocol": 1, "version": "0.1.0"}
    case stdout([UInt8])  // o
    case stderr([UInt8])  // e
    case file(JSON, [UInt8])  // f: {"slot": N, "path": "rel", "mode": 384}, then the bytes
    case token(String?)  // t: the client's token file is now this (nil: removed)
    case exit(Int32)  // x: the command's exit code; the last frame

    public var encoded: [UInt8] {
        let (type, payload): (UInt8, [UInt8])
        switch self {
        case .hello(let j): (type, payload) = (UInt8(ascii: "h"), Array(j.encoded().utf8))
        case .stdout(let b): (type, payload) = (UInt8(ascii: "o"), b)
        case .stderr(let b): (type, payload) = (UInt8(ascii: "e"), b)
        case .file(let meta, let bytes):
            let m = Array(meta.encoded().utf8)
            (type, payload) = (UInt8(ascii: "f"), RemoteFrame.be32(m.count) + m + bytes)
        case .token(let t): (type, payload) = (UInt8(ascii: "t"), t.map { [1] + Array($0.utf8) } ?? [0])
        case .exit(let code): (type, payload) = (UInt8(ascii: "x"), RemoteFrame.be32(Int(UInt32(bitPattern: code))))
        }
        return [type] + RemoteFrame.be32(payload.count) + payload
    }

    static func be32(_ n: Int) -> [UInt8] { [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }
    static func int32(_ b: ArraySlice<UInt8>) -> Int {
        let s = b.startIndex
        return Int(b[s]) << 24 | Int(b[s + 1]) << 16 | Int(b[s + 2]) << 8 | Int(b[s + 3])
    }

    /// Decodes one frame from its type and payload; nil for a type this version does not know.
    public static func decode(type: UInt8, payload: [UInt8]) throws -> RemoteFrame? {
        switch type {
        case UInt8(ascii: "h"): return .hello(try JSON.parse(payload))
        case UInt8(ascii: "o"): return .stdout(payload)
        case UInt8(ascii: "e"): return .stderr(payload)
        case UInt8(ascii: "f"):
            guard payload.count >= 4 else { throw OWError.badData("a malformed file frame") }
            let n = int32(payload[0..<4])
            guard payload.count >= 4 + n else { throw OWError.badData("a malformed file frame") }
            return .file(try JSON.parse(Array(payload[4..<(4 + n)])), Array(payload[(4 + n)...]))
        case UInt8(ascii: "t"):
            guard let flag = payload.first else { throw OWError.badData("a malformed token frame") }
            return .token(flag == 1 ? String(decoding: payload.dropFirst(), as: UTF8.self) : nil)
        case UInt8(ascii: "x"):
            guard payload.count == 4 else { throw OWError.badData("a malformed exit frame") }
            return .exit(Int32(bitPattern: UInt32(int32(payload[0..<4]))))
        default: return nil
        }
    }
}

/// Unbuffered reads and writes on a file descriptor, retrying short ones: the server hands its
/// standard input on to the command, so it must never read a byte past what is its own.
/// With a `timeout`, a read that waits longer than that for its next bytes gives up (a client
/// that stalls is dropped instead of holding the server), and `failure` says so.
public struct FDStream {
    public let fd: Int32
    let timeout: Int32?  // milliseconds without a byte
    private let state = State()
    package final class State: @unchecked Sendable { var timedOut = false }

    public init(_ fd: Int32, timeout: Int32? = nil) {
        self.fd = fd
        self.timeout = timeout
    }

    /// Whether bytes (or the end) can be read before the timeout.
    private func ready() -> Bool {
        guard let timeout else { return true }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let n = poll(&p, 1, timeout)
            if n > 0 { return true }
            if n == 0 {
                state.timedOut = true
                return false
            }
            if errno != EINTR { return false }
        }
    }

    /// Why the last read came back short, as the error to send.
    public func failure(_ ended: String) -> OWError {
        state.timedOut
            ? OWError(
                .io, "the request stalled for \((timeout ?? 0) / 1000) s and was dropped", hint: "check the connection and run it again")
            : OWError.badData(ended)
    }

    /// Exactly `count` bytes; nil at end of file or timeout (a partial read is also nil).
    public func read(exactly count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            guard ready() else { return nil }
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, count - got) }
            if n > 0 { got += n } else if n < 0 && errno == EINTR { continue } else { return nil }
        }
        return out
    }

    /// Up to `max` bytes as they come; empty at end of file.
    public func read(upTo max: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max)
        while true {
            guard ready() else { return [] }
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, max) }
            if n >= 0 { return Array(out.prefix(n)) }
            if errno != EINTR { return [] }
        }
    }

    /// A line up to `\n` (not included), read a byte at a time; nil past `limit` or at end of file.
    public func readLine(limit: Int) -> String? {
        var line: [UInt8] = []
        while line.count <= limit {
            guard let b = read(exactly: 1) else { return nil }
            if b[0] == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(b[0])
        }
        return nil
    }

    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buf in
            var done = 0
            while done < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + done, buf.count - done)
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return false }
            }
            return true
        }
    }
}
