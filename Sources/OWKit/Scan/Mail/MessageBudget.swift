import FoundationEssentials
import Glibc
import OWBase

/// What one message may cost a scan. A hostile message (a header of 200 KB of `=?`, 120 PDFs
/// each inflating 8 MB, a 2 GB file in `Maildir/new`) must not stall the cron scan or take the
/// machine's memory: past a limit the message is skipped with a counted warning and remembered,
/// so the next scan does not try it again (`scan source list` shows how many).
public struct ScanLimits: Sendable {
    /// The largest message read, in bytes: Postfix's default `message_size_limit`.
    public var maxMessageBytes = 10_240_000
    /// Bytes inflated from all the PDF attachments of one message together.
    public var maxInflatedBytes = 8 << 20
    /// Text analysed per message (decoded text parts, HTML, PDF text together).
    public var maxTextBytes = 2 << 20
    /// Processor time one message may take to read (the reading thread's CPU clock, not the
    /// wall clock: on a loaded server a legitimate invoice waiting for a core must not be skipped
    /// for good, while a hostile one spins the processor and is caught all the same).
    public var secondsPerMessage: Double = 5

    public init() {}
    public static let standard = ScanLimits()
}

/// Why a message was passed over: it went past one of its limits.
package struct OverBudget: Error, Sendable {
    package let reason: String
}

/// What one message may still spend, shared by the MIME reader, the PDF reader and the
/// receipt reader while they read it, on the one thread that made it (its clock is that thread's).
package final class MessageBudget {
    let limits: ScanLimits
    /// The processor time the message may take, in nanoseconds.
    private let allowance: UInt64
    /// When reading began, on the wall clock (a vDSO read: no system call).
    private let started: UInt64
    /// The thread's processor time once the message had taken a millisecond (`cpuFrom`) on the
    /// wall clock; nil before. The thread's CPU clock is a system call (no vDSO): read for every
    /// message and at every check it was 3.5 % of a release scan's CPU (issue 32, scan speed).
    private var cpuStart: UInt64?
    private(set) var inflatedLeft: Int
    private(set) var textLeft: Int

    package init(_ limits: ScanLimits) {
        self.limits = limits
        self.allowance = UInt64(max(0, limits.secondsPerMessage) * 1e9)
        self.started = MessageBudget.now()
        self.inflatedLeft = limits.maxInflatedBytes
        self.textLeft = limits.maxTextBytes
    }

    /// No limits but the standard ones, for reading one message by hand (`scan inspect`).
    package static func standard() -> MessageBudget { MessageBudget(.standard) }

    package static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// The calling thread's processor time, in nanoseconds.
    static func cpuNow() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// Throws once the message has spent its processor time; cheap enough to call per part, stream
    /// or line. A thread's processor time never runs ahead of the wall clock, so a message that has
    /// not taken its allowance on the wall clock has time left: the common case (a message read in
    /// well under a millisecond) never reads the thread's CPU clock. One that has taken `cpuFrom`
    /// is timed on that clock from then on, so waiting for a core spends nothing; what it spent
    /// before (at most that, plus one step between checks) goes uncounted.
    func checkTime() throws {
        guard allowance > 0 else { throw over }
        let elapsed = MessageBudget.now() &- started
        guard elapsed >= min(allowance / 100, Self.cpuFrom) else { return }
        guard let cpuStart else {
            cpuStart = MessageBudget.cpuNow()
            return
        }
        if elapsed > allowance, MessageBudget.cpuNow() &- cpuStart > allowance { throw over }
    }

    /// Wall time after which a message is timed on its thread's CPU clock: 1 ms (or a hundredth of a smaller allowance).
    static let cpuFrom: UInt64 = 1_000_000

    private var over: OverBudget { OverBudget(reason: "took longer than \(Self.format(limits.secondsPerMessage)) s to read") }

    /// Takes `n` inflated bytes; false once the message's inflate allowance is spent.
    func spendInflated(_ n: Int) { inflatedLeft = max(0, inflatedLeft - n) }

    /// The part of `text` the message's text allowance still covers (taken from it); past the
    /// allowance nothing is decoded: nobody reads megabytes of it.
    func spendText(_ text: [UInt8]) -> ArraySlice<UInt8> {
        let granted = min(text.count, textLeft)
        textLeft -= granted
        return text.prefix(granted)
    }

    package static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

extension ScanLimits {
    package static func tooLarge(_ size: Int, _ limits: ScanLimits) -> String {
        "\(size) bytes, larger than scan.max_message_size (\(limits.maxMessageBytes))"
    }
}
