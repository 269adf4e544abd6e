import FoundationEssentials
import Glibc
import OWCore

/// The server side, `owatch remote-exec`: reads one request from standard input, runs the
/// command as this account (its ledger, its issuer key) with the client's token, files and
/// terminal, and sends back what the command printed and wrote, as frames.
///
/// Whoever can reach the account is a stranger until the command has verified their token, so
/// until then the server holds little: the header is bounded before it is read, files stream to
/// disk, every read has a deadline, and the working directory goes on every way out.
public enum RemoteServer {
    /// How long the client may keep the server waiting for the next bytes of its request.
    public static let idleTimeout: Int32 = 10_000  // milliseconds

    /// `check` is the front end's: the arguments must be the canonical form of a command line
    /// whose file-naming values are exactly the request's slots (so a client cannot name one of
    /// the server's files, such as its issuer key, as an input).
    public static func serve(
        version: String, executable: String, environment env: [String: String],
        check: (RemoteRequest) throws -> Void
    ) -> Int32 {
        let env = accountEnvironment(env)
        let input = FDStream(0, timeout: idleTimeout)
        let output = FrameWriter(FDStream(1))
        signal(SIGPIPE, SIG_IGN)
        Cleanup.start()
        defer { output.flush() }
        output.write(RemoteFrame.hello(.obj([("protocol", .int(RemoteProtocol.version)), ("version", .string(version))])).encoded)
        // The server's own paths, as the client may see them: never the real ones.
        var hidden = ServerNames(environment: env)
        func fail(_ error: OWError) -> Int32 {
            var text = "owatch: error: \(error.message)\n"
            for hint in error.hints { text += "hint: \(hint)\n" }
            output.write(RemoteFrame.stderr(hidden.rename(Array(SafeText.visible(text, newlines: true).utf8))).encoded)
            output.write(RemoteFrame.exit(error.exitCode).encoded)
            return error.exitCode
        }
        guard let greeting = input.readLine(limit: 64), greeting.hasPrefix(RemoteProtocol.magic + " ") else {
            return fail(
                OWError.usage(
                    "this is not an owatch remote request", hint: "run commands from your computer with `owatch --remote ssh://HOST …`"))
        }
        let theirs = Int(greeting.dropFirst(RemoteProtocol.magic.count + 1)) ?? 0
        guard theirs == RemoteProtocol.version else {
            return fail(
                OWError.refused(
                    "this server's owatch \(version) speaks remote protocol \(RemoteProtocol.version); the client speaks \(theirs)",
                    hint: theirs > RemoteProtocol.version ? "upgrade owatch on the server" : "upgrade owatch on your computer"))
        }
        // The length is checked before a byte of the header is allocated.
        guard let lengthBytes = input.read(exactly: 4) else { return fail(input.failure("the request ended early")) }
        let length = RemoteFrame.int32(lengthBytes[0..<4])
        guard length <= RemoteProtocol.maxHeader else { return fail(OWError.badData("the request header is too large")) }
        guard let headerBytes = input.read(exactly: length) else { return fail(input.failure("the request header ended early")) }
        let request: RemoteRequest
        let ledger: ServedLedgers.Served
        do {
            request = try RemoteRequest(json: try JSON.parse(headerBytes))
            try check(request)
            ledger = try ServedLedgers.load(environment: env).resolve(request.ledger)
        } catch let e as OWError { return fail(e) } catch { return fail(OWError.badData("the request is malformed")) }
        for (server, client) in ledger.serverNames {
            hidden.add(server: server, client: client == "the office ledger" ? request.ledger ?? client : client)
        }
        if let key = ledger.key { hidden.add(server: key, client: "the office ledger's issuer key") }
        let work: Workspace
        do { work = try Workspace(request, input: input, hidden: hidden, environment: env) } catch let e as OWError { return fail(e) } catch
        {
            return fail(OWError(.io, "the server could not store the request's files"))
        }
        defer { work.remove() }
        let code: Int32
        do {
            code = try run(executable, work, request, ledger: ledger, environment: env, output: output)
        } catch let e as OWError { return fail(e) } catch { return fail(OWError(.io, "the server could not run the command")) }
        work.sendBack(request, to: output)
        output.write(RemoteFrame.exit(code).encoded)
        return code
    }

    /// This account's environment. Under sudo, what the invoking user kept (a sudoers `env_keep`)
    /// is theirs, not the account's: where its home, ledger, key and temporary files are comes
    /// from the account's own entry in the password database instead.
    static func accountEnvironment(_ env: [String: String]) -> [String: String] {
        guard env["SUDO_UID"] != nil || env["SUDO_USER"] != nil else { return env }
        var own = env.filter { key, _ in !(key.hasPrefix("OWATCH_") || key.hasPrefix("XDG_") || key == "HOME" || key == "TMPDIR") }
        if let pw = getpwuid(geteuid()), let dir = pw.pointee.pw_dir { own["HOME"] = String(cString: dir) }
        return own
    }

    /// Server paths and what the client is told instead, longest first, for every byte sent back.
    package struct ServerNames {
        var pairs: [(server: [UInt8], client: [UInt8])] = []

        package init(environment env: [String: String]) {
            if let home = env["HOME"], home.count > 1 { add(server: home, client: "~") }
        }

        package mutating func add(server: String, client: String) {
            guard server.count > 1 else { return }
            pairs.append((Array(server.utf8), Array(client.utf8)))
            pairs.sort { $0.server.count > $1.server.count }
        }

        package func rename(_ bytes: [UInt8]) -> [UInt8] {
            var out = bytes
            for (server, client) in pairs { out = ByteReplace.all(server, with: client, in: out) }
            return out
        }
    }

    /// A private directory holding the request's files, its token and the outputs.
    package struct Workspace {
        package let root: String
        package var arguments: [String]
        package let tokenPath: String
        let tokenBefore: String?
        var outputs: [(slot: Int, path: String, placeholder: Bool)] = []
        package var names: ServerNames

        /// Made whole or not at all: a failure removes what was made before it is thrown.
        package init(_ request: RemoteRequest, input: FDStream, hidden: ServerNames, environment: [String: String]) throws {
            var template = Array(
                ((environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/owatch-remote-XXXXXX")
                    .utf8CString)
            guard let made = Cleanup.makeWorkspace(&template) else {
                throw OWError(.io, "the server cannot make a working directory: \(String(cString: strerror(errno)))")
            }
            root = made
            names = hidden
            names.add(server: root, client: "(the request)")
            arguments = request.arguments
            tokenPath = root + "/token"
            tokenBefore = request.token
            names.add(server: tokenPath, client: request.tokenName)
            do {
                if let token = request.token { try FileSystem.writeAtomically(tokenPath, contents: token, mode: 0o600) }
                try receive(request, input)
            } catch {
                remove()
                if let e = error as? OWError { throw OWError(e.kind, String(decoding: names.rename(Array(e.message.utf8)), as: UTF8.self)) }
                throw error
            }
        }

        private mutating func receive(_ request: RemoteRequest, _ input: FDStream) throws {
            for (k, slot) in request.slots.enumerated() {
                let dir = root + "/\(k)"
                try FileSystem.makeDirectory(dir, mode: 0o700)
                var path = dir + "/" + Workspace.safeName(slot.original)
                switch slot.use {
                case .input, .inputTree:
                    // A tree only where the command declares one; a file is one entry with no path.
                    let tree = slot.use == .inputTree && slot.isDirectory
                    guard tree || (slot.entries.count == 1 && slot.entries[0].path.isEmpty) else {
                        throw OWError.badData("the request's files do not match what the command reads")
                    }
                    if tree { path = dir + "/tree" }
                    for e in slot.entries {
                        let target = tree ? path + "/" + e.path : path
                        try FileSystem.makeDirectory(Path.deletingLastComponent(target), mode: 0o700)
                        try Workspace.copy(e.size, from: input, to: target)
                    }
                case .output, .outputDirectory:
                    guard slot.entries.isEmpty, !slot.isDirectory || slot.use == .outputDirectory else {
                        throw OWError.badData("the request's files do not match what the command writes")
                    }
                    if slot.use == .outputDirectory {
                        path = dir + "/out"
                        if slot.exists { try FileSystem.makeDirectory(path, mode: 0o700) }
                        outputs.append((k, path, false))
                    } else {
                        // The command sees what it would locally: a file that exists (so it refuses
                        // to overwrite a token, or needs --force) or none.
                        if slot.exists { try FileSystem.writeAtomically(path, bytes: [], mode: 0o600) }
                        outputs.append((k, path, slot.exists))
                    }
                }
                // An option's slot is its `--name=VALUE` argument: the name stays.
                let sentinel = request.arguments.firstIndex(of: "--") ?? request.arguments.count
                if slot.argument < sentinel, let eq = arguments[slot.argument].firstIndex(of: "=") {
                    arguments[slot.argument] = String(arguments[slot.argument][...eq]) + path
                } else {
                    arguments[slot.argument] = path
                }
                // A folder's name as the command prints it (`tokens/bob.token`, not `tokens//bob.token`).
                var client = slot.original
                while slot.use == .outputDirectory && client.count > 1 && client.hasSuffix("/") { client.removeLast() }
                names.add(server: path, client: client)
            }
        }

        /// Streams one uploaded file to disk in pieces: never executable, never a whole file in
        /// memory, whatever the client declared.
        package static func copy(_ size: Int, from input: FDStream, to path: String) throws {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw OWError(.io, "the server cannot store a file of the request: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            var left = size
            while left > 0 {
                let piece = input.read(upTo: min(left, 64 << 10))
                guard !piece.isEmpty else { throw input.failure("the request ended before its files did") }
                guard FDStream(fd).write(piece) else {
                    throw OWError(.io, "the server cannot store a file of the request: \(String(cString: strerror(errno)))")
                }
                left -= piece.count
            }
        }

        /// The name a file had on the client, without its directories and never `..`.
        static func safeName(_ original: String) -> String {
            let base = Path.lastComponent(original)
            return base.isEmpty || base == "." || base == ".." || base == "/" ? "file" : base
        }

        /// Output files and a changed token go back to the client.
        func sendBack(_ request: RemoteRequest, to output: FrameWriter) {
            for o in outputs {
                let slot = request.slots[o.slot]
                if slot.use == .outputDirectory {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: o.path)) ?? []
                    for name in names.sorted() { send(o.path + "/" + name, slot: o.slot, relative: name, to: output) }
                } else {
                    var st = stat()
                    guard stat(o.path, &st) == 0, !(o.placeholder && st.st_size == 0) else { continue }
                    send(o.path, slot: o.slot, relative: "", to: output)
                }
            }
            let tokenNow = FileManager.default.contents(atPath: tokenPath).map { String(decoding: $0, as: UTF8.self) }
            if tokenNow != tokenBefore { output.write(RemoteFrame.token(tokenNow).encoded) }
        }

        package func send(_ path: String, slot: Int, relative: String, to output: FrameWriter) {
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, let data = FileManager.default.contents(atPath: path) else {
                return
            }
            let meta = JSON.obj([("slot", .int(slot)), ("path", .string(relative)), ("mode", .int(Int(st.st_mode & 0o777)))])
            output.write(RemoteFrame.file(meta, [UInt8](data)).encoded)
        }

        package func remove() {
            try? FileManager.default.removeItem(atPath: root)
            Cleanup.workspace(nil)
        }

        /// The user's names for this workspace's paths, in a chunk of output.
        package func rename(_ bytes: [UInt8]) -> [UInt8] { names.rename(bytes) }
    }

    /// What a signal (the connection dropped, the service stopped) must not leave behind: the
    /// working directory and the command. A thread of its own waits for the signals, which every
    /// other thread blocks, so the cleaning is ordinary code, not a signal handler's.
    package enum Cleanup {
        package nonisolated(unsafe) static var root: String?
        nonisolated(unsafe) static var child: pid_t = 0
        static let lock = Condition()
        static let signals = [SIGHUP, SIGINT, SIGTERM]

        static func blocked() -> sigset_t {
            var set = sigset_t()
            sigemptyset(&set)
            for s in signals { sigaddset(&set, s) }
            return set
        }

        static func start() {
            var set = blocked()
            pthread_sigmask(SIG_BLOCK, &set, nil)
            startThread {
                var set = blocked()
                var caught: Int32 = 0
                while sigwait(&set, &caught) != 0 {}
                lock.lock()
                if child > 0 { kill(child, SIGTERM) }
                if let root { try? FileManager.default.removeItem(atPath: root) }
                _exit(128 + caught)
            }
        }

        /// Makes the working directory and registers it in one step, under the lock the signal
        /// thread takes: a signal never finds it made but not yet registered (and so left behind).
        static func makeWorkspace(_ template: inout [CChar]) -> String? {
            lock.lock()
            defer { lock.unlock() }
            guard let made = mkdtemp(&template) else { return nil }
            root = String(cString: made)
            return root
        }

        static func workspace(_ path: String?) {
            lock.lock()
            root = path
            lock.unlock()
        }

        package static func command(_ pid: pid_t) {
            lock.lock()
            child = pid
            lock.unlock()
        }
    }

    /// Runs the command with its output on pipes, relayed as frames as it comes.
    package static func run(
        _ executable: String, _ work: Workspace, _ request: RemoteRequest, ledger: ServedLedgers.Served, environment env: [String: String],
        output: FrameWriter
    ) throws -> Int32 {
        var childEnv = env
        for key in RemoteRequest.forwardedEnvironment + ["OWATCH_TOKEN", "OWATCH_LEDGER", "SSH_ORIGINAL_COMMAND", "COLUMNS"] {
            childEnv[key] = nil
        }
        for (k, v) in request.environment { childEnv[k] = v }
        childEnv["OWATCH_TOKEN"] = work.tokenPath
        childEnv["OWATCH_LEDGER"] = ledger.ledger
        if let key = ledger.key { childEnv["OWATCH_KEY"] = key }
        childEnv["OWATCH_REMOTE"] = ""
        childEnv["OWATCH_SERVED"] = "1"
        childEnv["OWATCH_TERMINAL"] =
            "stdout=\(request.stdoutIsTTY ? 1 : 0),stderr=\(request.stderrIsTTY ? 1 : 0),stdin=\(request.stdinIsTTY ? 1 : 0)"
            + (request.width.map { ",width=\($0)" } ?? "")
        var out: [Int32] = [0, 0]
        var err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw OWError(.io, "cannot make a pipe") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if !request.streamsStdin { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        for fd in out + err { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = [executable] + work.arguments
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = childEnv.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in cArgs + cEnv { free(p) } }
        // The command gets the signals this process blocks for its cleaner.
        var attrs = posix_spawnattr_t()
        posix_spawnattr_init(&attrs)
        defer { posix_spawnattr_destroy(&attrs) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attrs, &none)
        posix_spawnattr_setflags(&attrs, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attrs, cArgs, cEnv)
        close(out[1])
        close(err[1])
        guard spawned == 0 else {
            close(out[0])
            close(err[0])
            throw OWError(.io, "the server cannot run owatch: \(String(cString: strerror(spawned)))")
        }
        Cleanup.command(pid)
        defer { Cleanup.command(0) }
        var relays = [Relay(fd: out[0], frame: RemoteFrame.stdout), Relay(fd: err[0], frame: RemoteFrame.stderr)]
        while relays.contains(where: { $0.open }) {
            var fds = relays.map { pollfd(fd: $0.open ? $0.fd : -1, events: Int16(POLLIN), revents: 0) }
            let n = poll(&fds, nfds_t(fds.count), -1)
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            for i in relays.indices where relays[i].open && fds[i].revents != 0 {
                relays[i].pump(work, to: output)
            }
            // Once a pipe has closed the end is near: the rest goes with the exit frame.
            if relays.allSatisfy(\.open) { output.flush() }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// One of the command's output pipes. Text is passed on a line at a time (or at a carriage
    /// return, for progress) so a server path split across two reads is still renamed.
    package struct Relay {
        package let fd: Int32
        let frame: ([UInt8]) -> RemoteFrame
        package var open = true
        package var pending: [UInt8] = []

        mutating func pump(_ work: Workspace, to output: FrameWriter) {
            let chunk = FDStream(fd).read(upTo: 64 << 10)
            if chunk.isEmpty {
                open = false
                close(fd)
                flush(work, to: output, all: true)
                return
            }
            pending += chunk
            flush(work, to: output, all: pending.count > 256 << 10)
        }

        mutating func flush(_ work: Workspace, to output: FrameWriter, all: Bool) {
            let cut = all ? pending.count : (pending.lastIndex { $0 == 10 || $0 == 13 }.map { $0 + 1 } ?? 0)
            guard cut > 0 else { return }
            output.write(frame(work.rename(Array(pending[..<cut]))).encoded)
            pending.removeFirst(cut)
        }
    }
}

/// Frames collected and written together: one small write after another on a TCP connection
/// waits on delayed acknowledgements (Nagle), so the hello goes out with the first output and
/// the last output, files and exit code in one write.
package final class FrameWriter {
    let stream: FDStream
    var buffer: [UInt8] = []
    package init(_ stream: FDStream) { self.stream = stream }

    package func write(_ bytes: [UInt8]) {
        buffer += bytes
        if buffer.count > 256 << 10 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        stream.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Replacing every occurrence of a byte string (server paths in messages).
package enum ByteReplace {
    package static func all(_ needle: [UInt8], with replacement: [UInt8], in haystack: [UInt8]) -> [UInt8] {
        guard !needle.isEmpty, haystack.count >= needle.count, let first = needle.first, haystack.contains(first) else { return haystack }
        var out: [UInt8] = []
        out.reserveCapacity(haystack.count)
        var i = 0
        let last = haystack.count - needle.count
        while i < haystack.count {
            if i <= last, haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) {
                out += replacement
                i += needle.count
            } else {
                out.append(haystack[i])
                i += 1
            }
        }
        return out
    }
}
