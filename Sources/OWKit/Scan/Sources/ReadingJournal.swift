import Dispatch
import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

#if canImport(Glibc)
    import Glibc
#endif

/// Which messages a scan is reading at this moment, in a file beside the ledger
/// (`ledger.db.scan.reading`), so that a scan that dies while reading one — a crash in a reader,
/// a kill — is followed by one that knows the message and skips it: a poison message never
/// stops a scan twice.
///
/// The file has a slot per message of a chunk (messages are read a chunk at a time, on every
/// core); a reader thread marks its slot before it hands the message to the readers and clears
/// it after, with one `pwrite` each (no fsync: the file outlives the process, and a power cut is
/// no poison message). A fatal signal on a reading thread (a Swift trap is SIGILL or SIGTRAP; a
/// stack overflow SIGSEGV) marks that thread's slot as the one it died on, then lets the signal
/// take its course. A kill (SIGKILL, the OOM killer, a time limit, Ctrl-C) marks nothing: then
/// a message still being read is the suspect only if it had been read for longer than a message
/// may take (`scan.message_timeout`) when the scan died — the scan writes the time every second,
/// so the moment it died is known — and the messages that merely happened to be on the readers
/// are read again.
///
/// Only the scan that holds the scan lock opens it, so one process writes it at a time.
package final class ReadingJournal: @unchecked Sendable {
    /// What a dead scan left: the message it died on (or, after a kill, each it was reading).
    package struct Entry: Equatable, Sendable {
        let sourceID: Int64
        /// The key the message is remembered under once skipped (its file's key, or its place in the mbox).
        package let key: String
        /// Where it is, for people: "receipts.mbox message 12 (byte 40960)" or a file's path.
        package let place: String
        /// The slot was marked by the signal that ended the process (not merely being read).
        let crashed: Bool
        /// Seconds it had been read when the scan was last heard of (for a kill).
        let seconds: Double
    }

    package static let slots = SourceReader.chunkMessages
    static let slotBytes = 1024
    private static let reading = UInt8(ascii: "R")
    private static let crashedHere = UInt8(ascii: "C")

    package let path: String
    private let fd: Int32

    package init(ledger: Ledger) throws {
        path = ledger.besidePath(".scan.reading")
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OWError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
    }

    deinit {
        heartbeat?.cancel()
        if ReadingJournal.signalFD == fd { ReadingJournal.signalFD = -1 }
        close(fd)
    }

    /// What the last scan left in the file: the slots it died on when a signal named them, else
    /// the slots whose message had been read longer than `limit` seconds when it was last heard of.
    func leftover(limit: Double) -> [Entry] {
        var beat = [UInt8](repeating: 0, count: 32)
        let got = beat.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 32, off_t(ReadingJournal.heartbeatOffset)) }
        let heard = got > 0 ? Double(String(decoding: beat.prefix(max(got, 0)).prefix { $0 >= 48 && $0 <= 57 }, as: UTF8.self)) : nil
        var entries: [Entry] = []
        var buffer = [UInt8](repeating: 0, count: ReadingJournal.slotBytes)
        for slot in 0..<ReadingJournal.slots {
            let n = buffer.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress, ReadingJournal.slotBytes, off_t(slot * ReadingJournal.slotBytes))
            }
            guard n > 0, buffer[0] == ReadingJournal.reading || buffer[0] == ReadingJournal.crashedHere else { continue }
            // "R<source id>\t<began, ms since 1970>\t<key>\t<place>\n", padded with NULs.
            let body = buffer[1..<n].prefix { $0 != 0 && $0 != 10 }
            let fields = body.split(separator: 9, maxSplits: 3, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            guard fields.count == 4, let source = Int64(fields[0]), let began = Double(fields[1]), !fields[2].isEmpty else { continue }
            let seconds = max(0, ((heard ?? 0) - began) / 1000)
            entries.append(
                Entry(
                    sourceID: source, key: fields[2], place: fields[3], crashed: buffer[0] == ReadingJournal.crashedHere, seconds: seconds))
        }
        let crashed = entries.filter(\.crashed)
        return crashed.isEmpty ? entries.filter { heard != nil && $0.seconds > limit } : crashed
    }

    static var heartbeatOffset: Int { slots * slotBytes }
    private var heartbeat: DispatchSourceTimer?

    /// Writes the time every second while the scan runs (also while every reader is stuck), so a
    /// later scan knows when this one was last alive.
    func startHeartbeat() {
        let fd = self.fd
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now(), repeating: 1.0)
        timer.setEventHandler {
            let text = Array("\(ReadingJournal.nowMilliseconds())\n".utf8)
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, text.count, off_t(ReadingJournal.heartbeatOffset)) }
        }
        timer.resume()
        heartbeat = timer
    }

    func stopHeartbeat() {
        heartbeat?.cancel()
        heartbeat = nil
    }

    static func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Empties every slot (after a dead scan's messages are recorded, or a scan ended).
    func clear() {
        _ = ftruncate(fd, 0)
    }

    /// Marks `slot` as reading the message `key` of source `sourceID`, on the calling thread.
    func begin(slot: Int, sourceID: Int64, key: String, place: String) {
        guard slot >= 0, slot < ReadingJournal.slots else { return }
        var record = [ReadingJournal.reading] + Array("\(sourceID)\t\(ReadingJournal.nowMilliseconds())\t\(key)\t".utf8)
        // The place is for people: cut to fit (at a character boundary), never the key.
        record += Array(String(decoding: Array(place.utf8.prefix(ReadingJournal.slotBytes - record.count - 2)), as: UTF8.self).utf8)
        record = Array(record.prefix(ReadingJournal.slotBytes - 1)) + [10]
        record += [UInt8](repeating: 0, count: ReadingJournal.slotBytes - record.count)
        ReadingJournal.threads[slot] = pthread_self()
        ReadingJournal.threadSet[slot] = 1
        _ = record.withUnsafeBytes { pwrite(fd, $0.baseAddress, record.count, off_t(slot * ReadingJournal.slotBytes)) }
    }

    /// The message of `slot` was read (or refused) without harm.
    package func end(slot: Int) {
        guard slot >= 0, slot < ReadingJournal.slots else { return }
        ReadingJournal.threadSet[slot] = 0
        var free: UInt8 = 0
        _ = pwrite(fd, &free, 1, off_t(slot * ReadingJournal.slotBytes))
    }

    /// Runs `body` with the message marked in `slot`.
    func reading<T>(slot: Int, sourceID: Int64, key: String, place: String, _ body: () throws -> T) rethrows -> T {
        begin(slot: slot, sourceID: sourceID, key: key, place: place)
        defer { end(slot: slot) }
        return try body()
    }

    // MARK: The signal that ends a reading thread

    /// Which thread reads which slot, for the signal handler (written by each thread for its own slot only).
    nonisolated(unsafe) fileprivate static let threads = UnsafeMutablePointer<pthread_t>.allocate(capacity: slots)
    nonisolated(unsafe) fileprivate static let threadSet: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: slots)
        p.initialize(repeating: 0, count: slots)
        return p
    }()
    nonisolated(unsafe) fileprivate static var signalFD: Int32 = -1
    /// The handlers there were before, by signal number (a plain array: the handler reads it).
    nonisolated(unsafe) fileprivate static let previous: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        p.initialize(repeating: sigaction(), count: 65)
        return p
    }()
    nonisolated(unsafe) fileprivate static let installed: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 65)
        p.initialize(repeating: 0, count: 65)
        return p
    }()
    static let fatalSignals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

    /// From now on, a fatal signal on a thread that is reading a message marks its slot. The
    /// handlers that were installed before (the Swift runtime's backtracer) still run after.
    func catchFatalSignals() {
        ReadingJournal.signalFD = fd
        _ = (ReadingJournal.threads, ReadingJournal.threadSet, ReadingJournal.previous, ReadingJournal.installed)  // made before any signal
        for sig in ReadingJournal.fatalSignals where ReadingJournal.installed[Int(sig)] == 0 {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = readingJournalSignal
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_ONSTACK)
            if sigaction(sig, &action, ReadingJournal.previous + Int(sig)) == 0 { ReadingJournal.installed[Int(sig)] = 1 }
        }
    }
}

/// Async-signal-safe: compares thread ids, one `pwrite`, puts the earlier handler back and raises again.
private func readingJournalSignal(_ sig: Int32) {
    let fd = ReadingJournal.signalFD
    if fd >= 0 {
        let me = pthread_self()
        for slot in 0..<ReadingJournal.slots
        where ReadingJournal.threadSet[slot] == 1 && pthread_equal(ReadingJournal.threads[slot], me) != 0 {
            var mark = UInt8(ascii: "C")
            _ = pwrite(fd, &mark, 1, off_t(slot * ReadingJournal.slotBytes))
        }
    }
    if sig > 0, sig < 65, ReadingJournal.installed[Int(sig)] == 1 {
        sigaction(sig, ReadingJournal.previous + Int(sig), nil)
    } else {
        signal(sig, SIG_DFL)
    }
    raise(sig)
}

#if DEBUG
    /// Debug builds only, for the end-to-end tests of the journal: a real crash (a trap, as a
    /// reader's bug would be) or a hang (for a kill) while reading a message whose bytes contain
    /// `OWATCH_TEST_CRASH_ON` or `OWATCH_TEST_HANG_ON`. Release builds have no such code.
    package enum TestFault {
        static let crashOn = ProcessInfo.processInfo.environment["OWATCH_TEST_CRASH_ON"].map { Array($0.utf8) } ?? []
        static let hangOn = ProcessInfo.processInfo.environment["OWATCH_TEST_HANG_ON"].map { Array($0.utf8) } ?? []

        static func reading(_ bytes: [UInt8]) {
            if !crashOn.isEmpty, bytes.firstRange(of: crashOn) != nil {
                fatalError("OWATCH_TEST_CRASH_ON: a test's crash while reading a message")
            }
            if !hangOn.isEmpty, bytes.firstRange(of: hangOn) != nil {
                while true { sleep(1) }
            }
        }
    }
#endif
