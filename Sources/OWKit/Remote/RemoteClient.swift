import FoundationEssentials
import Glibc
import OWCore

/// The client side of `owatch --remote`: sends one request through the transport, then turns
/// the server's frames back into this terminal's stdout, stderr, files and exit code.
public enum RemoteClient {
    /// Fills in the input files' entries (and checks they exist) and whether outputs exist.
    public static func prepare(_ request: inout RemoteRequest) throws {
        var total = 0
        for i in request.slots.indices {
            let path = request.slots[i].original
            switch request.slots[i].use {
            case .input, .inputTree:
                guard FileSystem.exists(path) else { throw OWError(.missingInput, "no file \(path)") }
                if FileSystem.isDirectory(path) {
                    guard request.slots[i].use == .inputTree else { throw OWError(.missingInput, "\(path) is a directory, not a file") }
                    request.slots[i].isDirectory = true
                    request.slots[i].entries = try tree(path)
                } else {
                    request.slots[i].entries = [try entry(path, relative: "")]
                }
                total += request.slots[i].entries.reduce(0) { $0 + $1.size }
                guard total <= RemoteProtocol.maxUpload, request.slots[i].entries.count <= RemoteProtocol.maxEntries else {
                    throw OWError.badData(
                        "the files to send are larger than \(RemoteProtocol.maxUpload >> 20) MB (or more than \(RemoteProtocol.maxEntries))",
                        hint: "run the command on the server, or scan a smaller part")
                }
            case .output, .outputDirectory:
                request.slots[i].exists = FileSystem.exists(path)
            }
        }
    }

    static func entry(_ path: String, relative: String) throws -> RemoteSlot.Entry {
        var st = stat()
        guard stat(path, &st) == 0 else { throw OWError(.io, "cannot read \(path)") }
        return .init(path: relative, size: Int(st.st_size), mode: Int(st.st_mode & 0o777))
    }

    /// Regular files under a directory, sorted; symbolic links and hidden names are skipped
    /// (a Maildir's `.` folders are its subfolders, so those are kept).
    static func tree(_ root: String) throws -> [RemoteSlot.Entry] {
        guard let walker = walkDirectory(root) else { throw OWError(.io, "cannot read \(root)") }
        var out: [RemoteSlot.Entry] = []
        for rel in walker {
            let full = root + "/" + rel
            var st = stat()
            guard lstat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, RemoteRequest.isSafeRelative(rel) else { continue }
            out.append(.init(path: rel, size: Int(st.st_size), mode: Int(st.st_mode & 0o777)))
            if out.count > RemoteProtocol.maxEntries { break }
        }
        return out.sorted { $0.path < $1.path }
    }

    /// Runs the request; returns the command's exit code (74 when the connection is lost).
    public static func run(_ remote: RemoteURL, _ request: RemoteRequest, tokenPath: String, environment env: [String: String]) throws
        -> Int32
    {
        let argv = remote.transportCommand(environment: env)
        var toServer: [Int32] = [0, 0]
        var fromServer: [Int32] = [0, 0]
        guard pipe(&toServer) == 0, pipe(&fromServer) == 0 else {
            throw OWError(.io, "cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toServer[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromServer[1], 1)
        for fd in [toServer[0], toServer[1], fromServer[0], fromServer[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        let spawned = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ)
        close(toServer[0])
        close(fromServer[1])
        guard spawned == 0 else {
            close(toServer[1])
            close(fromServer[0])
            throw OWError(
                .io, "cannot run \(argv[0]) to reach \(remote.display): \(String(cString: strerror(spawned)))",
                hint: remote.transport == .ssh ? "install an ssh client, or set OWATCH_SSH" : "install sudo")
        }
        signal(SIGPIPE, SIG_IGN)
        // The request and files go out on a thread of their own: the server may answer (an error,
        // say) before it has read them all, and both pipes must keep moving.
        let sendFD = toServer[1]
        startThread {
            let out = FDStream(sendFD)
            let header = Array(request.json.encoded().utf8)
            var ok = out.write(Array("\(RemoteProtocol.magic) \(RemoteProtocol.version)\n".utf8) + RemoteFrame.be32(header.count) + header)
            for slot in request.slots where ok && (slot.use == .input || slot.use == .inputTree) {
                for e in slot.entries where ok {
                    ok = sendFile(slot.isDirectory ? slot.original + "/" + e.path : slot.original, size: e.size, to: out)
                }
            }
            if ok && request.streamsStdin {
                while true {
                    let chunk = FDStream(0).read(upTo: 64 << 10)
                    if chunk.isEmpty || !out.write(chunk) { break }
                }
            }
            close(sendFD)
        }
        let code = receive(FDStream(fromServer[0]), remote: remote, request: request, tokenPath: tokenPath)
        close(fromServer[0])
        var status: Int32 = 0
        if code == nil { kill(pid, SIGTERM) }
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if let code { return code }
        let exited = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
        let why =
            remote.transport == .ssh && exited == 255
            ? "could not reach \(remote.display) (ssh exited with 255; its message is above)"
            : "lost the connection to \(remote.display) before the command finished"
        StandardStreams.writeError("owatch: error: \(why)\n")
        return OWError.Kind.io.rawValue
    }

    /// Sends exactly `size` bytes of a file (padded with zeros if it shrank meanwhile, so the
    /// stream stays in step; the server then reads what was there).
    static func sendFile(_ path: String, size: Int, to out: FDStream) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        var left = size
        if fd >= 0 {
            defer { close(fd) }
            let input = FDStream(fd)
            while left > 0 {
                let chunk = input.read(upTo: min(left, 256 << 10))
                if chunk.isEmpty { break }
                guard out.write(chunk) else { return false }
                left -= chunk.count
            }
        }
        while left > 0 {
            let n = min(left, 64 << 10)
            guard out.write([UInt8](repeating: 0, count: n)) else { return false }
            left -= n
        }
        return true
    }

    /// Reads frames to the exit frame; nil when the stream ends first.
    static func receive(_ input: FDStream, remote: RemoteURL, request: RemoteRequest, tokenPath: String) -> Int32? {
        var greeted = false
        while let head = input.read(exactly: 5) {
            let length = RemoteFrame.int32(head[1..<5])
            guard length <= RemoteProtocol.maxFrame, let payload = input.read(exactly: length) else { return nil }
            let frame: RemoteFrame?
            do { frame = try RemoteFrame.decode(type: head[0], payload: payload) } catch {
                return failed("\(remote.display) sent a malformed reply: \(error)")
            }
            guard let frame else { continue }  // a newer server's frame this client does not know
            if !greeted {
                guard case .hello(let hello) = frame else {
                    return failed(
                        "\(remote.display) does not speak owatch's remote protocol",
                        hint: "install owatch \(request.clientVersion) or newer on \(remote.display)")
                }
                greeted = true
                let theirs = hello["protocol"]?.intValue ?? 0
                if theirs < Int64(RemoteProtocol.version) {
                    return failed(
                        "owatch \(hello["version"]?.stringValue ?? "?") on \(remote.display) speaks remote protocol \(theirs); this owatch \(request.clientVersion) speaks \(RemoteProtocol.version)",
                        hint: "upgrade owatch on \(remote.display)")
                }
                continue
            }
            switch frame {
            case .hello: continue
            case .stdout(let b): FDStream(1).write(b)
            case .stderr(let b): FDStream(2).write(b)
            case .file(let meta, let bytes):
                if let problem = writeFile(meta, bytes, request: request) {
                    FDStream(2).write(Array("owatch: error: \(problem)\n".utf8))
                    return OWError.Kind.io.rawValue
                }
            case .token(let text):
                do {
                    if let text {
                        try FileSystem.writeAtomically(tokenPath, contents: text, mode: 0o600)
                    } else if FileSystem.exists(tokenPath) {
                        unlink(tokenPath)
                    }
                } catch let e as OWError {
                    FDStream(2).write(Array("owatch: error: \(e.message)\n".utf8))
                    return e.exitCode
                } catch { return OWError.Kind.io.rawValue }
            case .exit(let code): return code
            }
        }
        return nil
    }

    package static func failed(_ message: String, hint: String? = nil) -> Int32 {
        FDStream(2).write(Array(("owatch: error: \(message)\n" + (hint.map { "hint: \($0)\n" } ?? "")).utf8))
        return OWError.Kind.refused.rawValue
    }

    /// An output file the command wrote on the server, put where the user asked, with its mode.
    static func writeFile(_ meta: JSON, _ bytes: [UInt8], request: RemoteRequest) -> String? {
        guard let index = meta["slot"]?.intValue, index >= 0, Int(index) < request.slots.count else {
            return "the server sent a file nobody asked for"
        }
        let slot = request.slots[Int(index)]
        guard slot.use == .output || slot.use == .outputDirectory else { return "the server sent a file for an input" }
        let rel = meta["path"]?.stringValue ?? ""
        guard RemoteRequest.isSafeRelative(rel), (slot.use == .output) == rel.isEmpty, !rel.contains("/") else {
            return "the server sent a file with a path outside the one asked for"
        }
        let mode = mode_t((meta["mode"]?.intValue ?? 0o600) & 0o777)
        let target = rel.isEmpty ? slot.original : slot.original + "/" + rel
        do {
            if slot.use == .outputDirectory { try FileSystem.makeDirectory(slot.original, mode: 0o700) }
            try FileSystem.writeAtomically(target, bytes: bytes, mode: mode)
        } catch let e as OWError { return e.message } catch { return "cannot write \(target)" }
        return nil
    }
}
