import CSystem
import FoundationEssentials
import Glibc
import OWCore
import OWIdentity

/// Git-style hooks (SPEC §4): executables named after events in `<ledger dir>/hooks/`
/// (or `config hooks.dir`), run after the change committed, with the event as JSON on stdin
/// and `OWATCH_EVENT` in the environment. A failing or hanging hook warns; it never undoes.
public enum Hooks {
    public static let events = ["post-request", "post-approve", "post-reject", "post-scan", "license-renewing", "seat-reclaimed"]
    public static let timeout: TimeInterval = 10

    public struct Outcome: Sendable {
        public let event: String
        public let ran: Bool
        public let warning: String?
    }

    public static func directory(_ ledger: Ledger) -> String {
        if let dir = try? Config.get(ledger, "hooks.dir"), !dir.isEmpty { return dir }
        return ledger.localDirectory + "/hooks"
    }

    /// What is wrong with the hooks directory and its hooks: one that another user owns or may
    /// write lets them run code as whoever next approves or scans (`doctor` reports it).
    public static func unsafe(_ ledger: Ledger) -> [String] {
        let dir = directory(ledger)
        guard FileSystem.mode(dir) != nil else { return [] }
        let hooks = events.map { dir + "/" + $0 }.filter { FileSystem.mode($0) != nil }
        return ([dir] + hooks).compactMap { path in FileSystem.untrusted(path).map { "hook \(path): \($0)" } }
    }

    /// Runs the hook for `event` if one is installed. Missing hooks are not an error.
    /// The hook runs in its own process group, so a timeout stops it and everything it started.
    public static func run(_ event: String, payload: JSON, ledger: Ledger, timeout: TimeInterval = Hooks.timeout) -> Outcome {
        let path = directory(ledger) + "/" + event
        guard FileManager.default.isExecutableFile(atPath: path) else { return Outcome(event: event, ran: false, warning: nil) }
        // As sshd's StrictModes: a hook that another user owns or may change is not run, so
        // nobody can make owatch run their code as whoever approves or scans.
        if let why = FileSystem.untrusted(path) {
            return Outcome(event: event, ran: false, warning: "hook \(event) not run: \(why); see `owatch doctor`")
        }
        var env = ProcessInfo.processInfo.environment
        env["OWATCH_EVENT"] = event
        env["OWATCH_LEDGER"] = ledger.path
        let input = Array((payload.encoded() + "\n").utf8)
        switch spawn(path, environment: env, input: input, timeout: timeout) {
        case .failed(let why): return Outcome(event: event, ran: false, warning: "hook \(event) could not start: \(why)")
        case .timedOut:
            return Outcome(
                event: event, ran: true, warning: "hook \(event) did not finish within \(Int(timeout)) s and was stopped; the change stands"
            )
        case .signaled(let sig):
            return Outcome(event: event, ran: true, warning: "hook \(event) was killed by signal \(sig); the change stands")
        case .exited(0): return Outcome(event: event, ran: true, warning: nil)
        case .exited(let code): return Outcome(event: event, ran: true, warning: "hook \(event) exited \(code); the change stands")
        }
    }

    package enum Ending {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
        case failed(String)
    }

    /// Ends every process left under owatch (it is their subreaper): each round kills and reaps
    /// our children, whose own children then come to us, until none is left.
    static func endOrphans() {
        for _ in 0..<100 {
            let children = childProcesses()
            if children.isEmpty { return }
            for child in children {
                kill(child, SIGKILL)
                var status: Int32 = 0
                _ = waitpid(child, &status, 0)
            }
        }
    }

    /// This process's children, from /proc (field 4 of /proc/PID/stat is the parent).
    static func childProcesses() -> [pid_t] {
        let me = getpid()
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name), let stat = FileManager.default.contents(atPath: "/proc/\(name)/stat") else { return nil }
            // "PID (COMM) STATE PPID …": COMM may hold spaces and parentheses, so read after the last ")".
            let text = String(decoding: stat, as: UTF8.self)
            guard let close = text.lastIndex(of: ")") else { return nil }
            let fields = text[text.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == me ? pid : nil
        }
    }

    /// posix_spawn with stdin from a pipe, stdout and stderr to our stderr (stdout carries only
    /// owatch's data), in a new process group.
    static func spawn(_ path: String, environment: [String: String], input: [UInt8], timeout: TimeInterval) -> Ending {
        let pid: pid_t
        let writeEnd: Int32
        do {
            (pid, writeEnd) = try launch(path, environment: environment)
        } catch {
            return .failed(error.message)
        }
        // The event is fed to the hook as it reads, without ever blocking: a hook that never
        // reads cannot hold owatch past the timeout. One that exits without reading closes the
        // pipe; the write then fails with EPIPE, and SIGPIPE (which would kill owatch) is
        // ignored while the hook runs.
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        var written = 0
        var inputOpen = true
        func feed() {
            while inputOpen && written < input.count {
                let n = input.withUnsafeBytes { write(writeEnd, $0.baseAddress! + written, $0.count - written) }
                if n > 0 {
                    written += n
                    continue
                }
                if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
                break  // EPIPE or another error: the hook stopped reading
            }
            if inputOpen {
                close(writeEnd)
                inputOpen = false
            }
        }
        feed()
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let w = waitpid(pid, &status, WNOHANG)
            if w == pid { break }
            if w < 0 && errno != EINTR {
                if inputOpen { close(writeEnd) }
                return .failed(String(cString: strerror(errno)))
            }
            if Date() >= deadline {
                if inputOpen {
                    close(writeEnd)
                    inputOpen = false
                }
                kill(-pid, SIGTERM)
                usleep(200_000)
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                endOrphans()
                return .timedOut
            }
            feed()
            usleep(5_000)
        }
        if inputOpen { close(writeEnd) }
        let low = status & 0x7f
        if low == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(low)
    }

    struct LaunchFailure: Error { let message: String }

    /// Starts the hook in a process group of its own, its standard input a pipe whose write end
    /// (close-on-exec) is returned; its standard output goes to owatch's standard error.
    static func launch(_ path: String, environment: [String: String]) throws(LaunchFailure) -> (pid: pid_t, writeEnd: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LaunchFailure(message: String(cString: strerror(errno))) }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        var attrs = posix_spawnattr_t()
        posix_spawnattr_init(&attrs)
        defer { posix_spawnattr_destroy(&attrs) }
        posix_spawnattr_setflags(&attrs, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attrs, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        // Orphans of the hook (a `setsid` grandchild leaves its process group) come to owatch
        // instead of init, so the timeout can end them too.
        _ = owatch_become_subreaper()
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attrs, argv, envp)
        close(readEnd)
        guard rc == 0 else {
            close(writeEnd)
            throw LaunchFailure(message: String(cString: strerror(rc)))
        }
        return (pid, writeEnd)
    }
}
