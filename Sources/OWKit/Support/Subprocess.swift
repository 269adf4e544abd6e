import FoundationEssentials
import Glibc

/// A program run with its input on stdin and its output kept (curl, sendmail): the arguments
/// carry no secrets (`ps` shows them to everyone), stdin does.
public enum Subprocess {
    public struct Result: Sendable {
        public enum Ending: Sendable, Equatable {
            case exited(Int32)
            case signaled(Int32)
            case timedOut
            case failed(String)
        }
        public let ending: Ending
        public let stdout: [UInt8]
        public let stderr: [UInt8]
    }

    /// The first executable `name` on PATH (or `name` itself when it holds a slash).
    public static func find(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `path arguments…` with `input` on stdin; stopped (its process group) past `timeout`.
    /// `extraEnvironment` is added to owatch's own (a secret for the child, never its arguments).
    public static func run(
        _ path: String, _ arguments: [String], input: [UInt8], timeout: TimeInterval, extraEnvironment: [String: String] = [:]
    ) -> Result {
        var inFds: [Int32] = [0, 0]
        var outFds: [Int32] = [0, 0]
        var errFds: [Int32] = [0, 0]
        guard pipe(&inFds) == 0, pipe(&outFds) == 0, pipe(&errFds) == 0 else {
            return Result(ending: .failed(String(cString: strerror(errno))), stdout: [], stderr: [])
        }
        for fd in [inFds[1], outFds[0], errFds[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inFds[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outFds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errFds[1], 2)
        for fd in [inFds[0], outFds[1], errFds[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        var attrs = posix_spawnattr_t()
        posix_spawnattr_init(&attrs)
        defer { posix_spawnattr_destroy(&attrs) }
        posix_spawnattr_setflags(&attrs, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attrs, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attrs, argv, envp)
        for fd in [inFds[0], outFds[1], errFds[1]] { close(fd) }
        guard rc == 0 else {
            for fd in [inFds[1], outFds[0], errFds[0]] { close(fd) }
            return Result(ending: .failed(String(cString: strerror(rc))), stdout: [], stderr: [])
        }
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        var io = Pump(input: input, stdin: inFds[1], stdout: outFds[0], stderr: errFds[0])
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            io.step()
            let w = waitpid(pid, &status, WNOHANG)
            if w == pid { break }
            if Date() >= deadline {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                io.finish()
                return Result(ending: .timedOut, stdout: io.out, stderr: io.err)
            }
        }
        io.drain()
        io.finish()
        let low = status & 0x7f
        let ending: Result.Ending = low == 0 ? .exited((status >> 8) & 0xff) : .signaled(low)
        return Result(ending: ending, stdout: io.out, stderr: io.err)
    }

    /// Feeds stdin and reads stdout and stderr without blocking on any of them.
    package struct Pump {
        package let input: [UInt8]
        package var stdin: Int32
        package let stdout: Int32
        package let stderr: Int32
        package var written = 0
        package var out: [UInt8] = []
        package var err: [UInt8] = []
        package static let limit = 1 << 20  // what a program may say before the rest is dropped

        package init(input: [UInt8], stdin: Int32, stdout: Int32, stderr: Int32) {
            self.input = input
            self.stdin = stdin
            self.stdout = stdout
            self.stderr = stderr
            for fd in [stdin, stdout, stderr] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            if input.isEmpty { closeInput() }
        }

        mutating func closeInput() {
            if stdin >= 0 { close(stdin) }
            stdin = -1
        }

        /// One round: waits up to 10 ms for any pipe, then moves what it can.
        package mutating func step() {
            var fds = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0), pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)]
            if stdin >= 0 { fds.append(pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)) }
            _ = poll(&fds, nfds_t(fds.count), 10)
            if stdin >= 0 && written < input.count {
                let n = input.withUnsafeBytes { write(stdin, $0.baseAddress! + written, $0.count - written) }
                if n > 0 { written += n } else if n < 0 && errno != EAGAIN && errno != EINTR { closeInput() }
                if written >= input.count { closeInput() }
            }
            read(stdout, into: &out)
            read(stderr, into: &err)
        }

        mutating func drain() {
            read(stdout, into: &out)
            read(stderr, into: &err)
        }

        package func read(_ fd: Int32, into buffer: inout [UInt8]) {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                guard n > 0 else { return }
                if buffer.count < Pump.limit { buffer += chunk[0..<n] }
            }
        }

        package mutating func finish() {
            closeInput()
            close(stdout)
            close(stderr)
        }
    }
}
