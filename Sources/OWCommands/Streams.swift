import FoundationEssentials
import Glibc
import OWKit
import Synchronization

/// The bytes of one run: the process's standard streams in production, memory in a test (as gh's
/// `iostreams.Test()`). Every command reads and writes only through the run's `Terminal`, which
/// holds one of these, so a command runs in-process with its output captured.
public final class Streams: Sendable {
    private let memory: Buffer?

    private struct Memory {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var stdin: [UInt8]
    }

    /// Shared by the threads of a run (a scan's progress), so behind a lock.
    private final class Buffer: Sendable {
        let bytes: Mutex<Memory>
        init(_ memory: Memory) { bytes = Mutex(memory) }
        func withLock<R>(_ body: (inout Memory) -> R) -> R { bytes.withLock { body(&$0) } }
    }

    private init(memory: Memory?) { self.memory = memory.map(Buffer.init) }

    /// File descriptors 0, 1 and 2.
    public static let standard = Streams(memory: nil)

    /// In memory: `stdin` is what the run reads; `stdout` and `stderr` collect what it writes.
    public static func inMemory(stdin: String = "") -> Streams { Streams(memory: Memory(stdin: Array(stdin.utf8))) }

    public var stdout: String { String(decoding: memory?.withLock { $0.stdout } ?? [], as: UTF8.self) }
    public var stderr: String { String(decoding: memory?.withLock { $0.stderr } ?? [], as: UTF8.self) }

    /// Writes bytes to stdout as they are, retrying short writes. A closed pipe (`| head`)
    /// ends the output quietly, as for any Unix filter.
    func out(_ bytes: [UInt8]) {
        guard let memory else { return StandardStreams.write(bytes, to: STDOUT_FILENO) }
        memory.withLock { $0.stdout += bytes }
    }

    func err(_ bytes: [UInt8]) {
        guard let memory else { return StandardStreams.write(bytes, to: STDERR_FILENO) }
        memory.withLock { $0.stderr += bytes }
    }

    /// Standard input until its end or `limit` bytes.
    func read(limit: Int) -> [UInt8] {
        guard let memory else { return StandardStreams.read(STDIN_FILENO, limit: limit) }
        return memory.withLock { m in
            let taken = Array(m.stdin.prefix(limit))
            m.stdin.removeFirst(taken.count)
            return taken
        }
    }

    /// One line of standard input without its line feed; nil at its end.
    func readLine() -> String? {
        guard let memory else { return Swift.readLine() }
        return memory.withLock { m in
            guard !m.stdin.isEmpty else { return nil }
            let end = m.stdin.firstIndex(of: UInt8(ascii: "\n")) ?? m.stdin.endIndex
            let line = String(decoding: m.stdin[..<end], as: UTF8.self)
            m.stdin.removeFirst(min(end + 1, m.stdin.count))
            return line
        }
    }
}
